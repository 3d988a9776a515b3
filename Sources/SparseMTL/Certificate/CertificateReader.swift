/// A certificate read back from its JSON with the problem rebuilt from the data it names, and
/// every cut re-derived from its stored dual point (DESIGN.md section 2): nothing the solver
/// computed is trusted, the stored cut coefficients are only compared with the re-derived ones.
public struct CertificateReader {
    /// The problem, rebuilt from the data file, penalty, graph and standardisation of the certificate.
    public let instance: Instance
    /// The same problem in the units of the cuts and the master (`ProblemScaling`).
    public let model: Instance
    /// Those units.
    public let scaling: ProblemScaling
    /// UB and LB as the certificate states them (LB nil: the solve stopped before it had one).
    public let upperBound: Double
    public let lowerBound: Double?
    /// The incumbent: B in original units, and Z.
    public let coefficients: Matrix
    public let support: Support
    /// The master's Zbar encoding (nil when the problem has no Zbar term).
    public let encoding: ZbarEncoding?
    /// The δ of the master's Zbar term (at most the penalty's: a relaxation).
    public let zbarWeight: Double
    /// Every cut, re-derived from its dual point.
    public let cuts: [Cut]
    /// The task-bound rows (η_k + Σ_j c_j z_jk ≥ bound), as stated; `Verifier` checks each.
    public let taskBounds: [TaskBound]
    /// Indices of the cuts whose stored constant or coefficients differ from the re-derived ones
    /// by more than 10⁻¹² of the terms they are summed from (`CutBuilder.termSizes`).
    public let mismatchedCuts: [Int]
    /// Tasks whose stated perspective shift d_k leaves G_k − d_k·I not positive semidefinite
    /// (`PerspectiveShift.isValid`): their shifted cuts would not be bounds.
    public let invalidShifts: [Int]
    /// Indices of the restricted cuts (`DualPoint.Restriction`) whose shift d_F leaves G_FF − d_F·I
    /// not positive semidefinite: they would not be bounds.
    public let invalidRestrictions: [Int]
    /// The problem's scale, F at B = 0 in the master's units: the floor of relative comparisons.
    public let scale: Double

    /// Reads the certificate at `path` and the data it names: a relative data path is resolved
    /// against the certificate's folder, or `dataPath` is read instead (a moved copy). When the
    /// certificate records the data's SHA-256, the file read must have it.
    /// - Throws: `InputError` when the certificate or its data cannot be read, is malformed, or the
    ///   data's checksum differs.
    public init(_ path: String, dataPath override: String? = nil) throws {
        let json = try JSONValue.read(path)
        func fail(_ what: String) -> InputError { InputError(file: path, "malformed certificate: \(what)") }
        guard json["format"] == .string(Certificate.format) else { throw fail("\"format\" is not \(Certificate.format)") }
        guard let problem = json["problem"], case .string(let dataPath)? = problem["data"],
              case .string(let taskColumn)? = problem["task_column"], case .string(let responseColumn)? = problem["response_column"],
              case .bool(let standardize)? = problem["standardize"], let penaltyJSON = problem["penalty"],
              case .int(let s)? = penaltyJSON["sparsity"] else { throw fail("\"problem\"") }
        let penalty = Penalty(sparsity: s, ridge: penaltyJSON["ridge"]?.doubleValue ?? 0, bbar: penaltyJSON["bbar"]?.doubleValue ?? 0,
                              zbar: penaltyJSON["zbar"]?.doubleValue ?? 0, bigM: penaltyJSON["big_m"]?.doubleValue)
        let dataFile = override ?? FileIO.resolve(dataPath, relativeTo: path)
        var reader = LongCSVReader(taskColumn: taskColumn, responseColumn: responseColumn)
        func names(_ key: String) throws -> [String]? {
            guard let value = problem[key], value != .null else { return nil }
            guard case .array(let items) = value else { throw fail("\"problem\".\(key)") }
            return try items.map { item in
                guard case .string(let name) = item else { throw fail("\"problem\".\(key)") }
                return name
            }
        }
        reader.responseColumns = try names("responses")
        reader.featureColumns = try names("features")
        reader.droppedColumns = try names("drop") ?? []
        let dataset = try Dataset.read(dataFile, reader: reader)
        if case .string(let recorded)? = problem["data_sha256"], recorded != dataset.sha256 {
            throw InputError(file: dataFile, "this data file's SHA-256 (\(dataset.sha256 ?? "?")) is not the certificate's (\(recorded)): "
                             + "it is not the data the certificate was made from")
        }
        guard case .array(let edgeList)? = problem["task_graph"]?["edges"] else { throw fail("\"task_graph\"") }
        var edges: [TaskGraph.Edge] = []
        for item in edgeList {
            guard case .array(let e) = item, e.count == 3, case .string(let a) = e[0], case .string(let b) = e[1],
                  let w = e[2].doubleValue, let k = dataset.taskLabels.firstIndex(of: a), let l = dataset.taskLabels.firstIndex(of: b)
            else { throw fail("an edge of \"task_graph\"") }
            edges.append(.init(k: k, l: l, weight: w))
        }
        let graph = TaskGraph(taskCount: dataset.taskCount, edges: edges, origin: "certificate")
        let instance = try Instance(name: "certificate", dataset: dataset, penalty: penalty, graph: graph,
                                    standardize: standardize, penaltySource: path)
        let p = instance.featureCount, kCount = instance.taskCount
        var scaling = ProblemScaling.identity
        if let units = json["scaling"] {
            guard let t = units["response"]?.doubleValue, let c = units["features"]?.doubleValue, t.isFinite, c.isFinite, t > 0, c > 0
            else { throw fail("\"scaling\" (positive response and features factors)") }
            scaling = ProblemScaling(response: t, features: c)
        }
        var model = scaling.apply(to: instance)
        let scale = model.nullObjective
        // Shifted cuts are valid only where G_k − d_k·I ⪰ 0: checked here, failed by `Verifier`.
        var invalidShifts: [Int] = []
        if let item = json["perspective_shifts"], item != .null {
            guard case .array(let values) = item, values.count == model.taskCount else { throw fail("\"perspective_shifts\" (one per task)") }
            let shifts = try values.map { v -> Double in
                guard let d = v.doubleValue, d.isFinite, d >= 0 else { throw fail("\"perspective_shifts\" (finite, ≥ 0)") }
                return d
            }
            invalidShifts = shifts.indices.filter { !PerspectiveShift.isValid(shifts[$0], gram: PerspectiveShift.gram(model.designs[$0])) }
            model.perspectiveShifts = shifts
        }
        // The implied box enters the re-derived cuts; `Verifier` checks α·M̂² ≥ F(incumbent).
        if let item = json["implied_box"], item != .null {
            guard let box = item.doubleValue, box.isFinite, box > 0 else { throw fail("\"implied_box\" (finite, > 0)") }
            model.impliedBox = box
        }

        guard let ub = json["upper_bound"]?.doubleValue, ub.isFinite, let incumbent = json["incumbent"] else { throw fail("upper bound or incumbent") }
        let lb: Double?
        switch json["lower_bound"] {
        case .null?: lb = nil
        case let value?: guard let v = value.doubleValue, v.isFinite else { throw fail("\"lower_bound\" (a number or null)") }; lb = v
        case nil: throw fail("no \"lower_bound\"")
        }
        let coefficients = try Self.matrix(incumbent["coefficients"], rows: p, columns: kCount, what: "incumbent coefficients", path: path)
        guard case .array(let lists)? = incumbent["support"], lists.count == kCount else { throw fail("incumbent support") }
        let support = Support(try lists.map { list -> [Int] in
            guard case .array(let items) = list else { throw fail("incumbent support") }
            return try items.map { item in
                guard case .int(let j) = item, (0..<p).contains(j) else { throw fail("incumbent support index") }
                return j
            }
        })

        guard case .array(let cutList)? = json["cuts"] else { throw fail("\"cuts\"") }
        let builder = CutBuilder(model)
        var cuts: [Cut] = []
        var mismatches: [Int] = []
        var invalidRestrictions: [Int] = []
        var checkedRestrictions: [Int: [DualPoint.Restriction: Bool]] = [:]  // by task: each (task, F, d_F) checked once
        for (index, item) in cutList.enumerated() {
            guard let dual = item["dual"], case .array(let taskItems)? = dual["tasks"], let constant = item["constant"]?.doubleValue,
                  case .array(let columns)? = item["coefficients"] else { throw fail("cut \(index)") }
            let tasks = try taskItems.map { t -> Int in
                guard case .int(let k) = t, (0..<kCount).contains(k) else { throw fail("cut \(index) tasks") }
                return k
            }
            // Vectors of one length per task in `tasks` (u: n_k, an anchor: p).
            func vectors(_ key: String, length: (Int) -> Int) throws -> [[Double]]? {
                guard let value = dual[key], value != .null else { return nil }
                guard case .array(let items) = value, items.count == tasks.count else { throw fail("cut \(index) \(key)") }
                return try zip(tasks, items).map { k, item -> [Double] in
                    guard case .array(let values) = item, values.count == length(k) else { throw fail("cut \(index) \(key)") }
                    return try values.map { guard let v = $0.doubleValue, v.isFinite else { throw fail("cut \(index) \(key)") }; return v }
                }
            }
            let anchor = try vectors("anchor") { _ in p }
            var restriction: DualPoint.Restriction? = nil
            if let item = dual["restriction"], item != .null {
                guard case .array(let featureItems)? = item["features"], let d = item["shift"]?.doubleValue, d.isFinite, d >= 0
                else { throw fail("cut \(index) restriction (features and a finite shift ≥ 0)") }
                let features = try featureItems.map { f -> Int in
                    guard case .int(let j) = f, (0..<p).contains(j) else { throw fail("cut \(index) restriction features") }
                    return j
                }
                guard zip(features, features.dropFirst()).allSatisfy({ $0 < $1 }) else { throw fail("cut \(index) restriction features (ascending)") }
                guard anchor != nil, tasks.count == 1, penalty.bbar == 0 else { throw fail("cut \(index) restriction (needs one task, an anchor and λ = 0)") }
                let stated = DualPoint.Restriction(features: features, shift: d)
                let valid = checkedRestrictions[tasks[0]]?[stated] ?? PerspectiveShift.isValid(d, design: model.designs[tasks[0]], features: features)
                checkedRestrictions[tasks[0], default: [:]][stated] = valid
                if !valid { invalidRestrictions.append(index) }
                restriction = stated
            }
            if anchor != nil && (penalty.bbar != 0 || (model.perspectiveShifts == nil && restriction == nil)) {
                throw fail("cut \(index) anchor (needs λ = 0 and perspective_shifts or a restriction)")
            }
            guard let u = try vectors("u", length: { model.designs[$0].rows }) ?? (anchor != nil ? [] : nil) else { throw fail("cut \(index) u") }
            var bHat: Matrix? = nil
            if let bh = dual["b_hat"], bh != .null { bHat = try Self.matrix(bh, rows: p, columns: kCount, what: "cut \(index) b_hat", path: path) }
            let cut = builder.cut(DualPoint(tasks: tasks, u: u, bHat: bHat, anchor: anchor, restriction: restriction))
            let storedTask: Int? = { if case .int(let k)? = item["task"] { return k }; return nil }()
            let cutTasks = cut.task.map { [$0] } ?? Array(0..<kCount)
            let sizes = builder.termSizes(cut.dual)
            var worst = abs(cut.constant - constant) / max(abs(cut.constant) + sizes.constant, 1e-300)
            if storedTask != cut.task || columns.count != cutTasks.count { worst = .infinity } else {
                for (c, k) in cutTasks.enumerated() {
                    guard case .array(let values) = columns[c], values.count == p else { throw fail("cut \(index) coefficients") }
                    for j in 0..<p {
                        let stored = values[j].doubleValue ?? .nan
                        let size = max(abs(cut.coefficients[j, k]) + sizes.coefficients[j, k], 1e-300)
                        worst = max(worst, abs(stored - cut.coefficients[j, k]) / size)
                    }
                }
            }
            if !(worst <= 1e-12) { mismatches.append(index) }
            cuts.append(cut)
        }
        var taskBounds: [TaskBound] = []
        if case .array(let items)? = json["task_bounds"] {
            for (index, item) in items.enumerated() {
                guard case .int(let k)? = item["task"], (0..<kCount).contains(k), let bound = item["bound"]?.doubleValue, bound.isFinite,
                      case .array(let costItems)? = item["costs"], costItems.count == p else { throw fail("task bound \(index)") }
                let costs = try costItems.map { c -> Double in
                    guard let v = c.doubleValue, v.isFinite else { throw fail("task bound \(index) costs") }
                    return v
                }
                taskBounds.append(TaskBound(task: k, costs: costs, bound: bound))
            }
        }
        if !taskBounds.isEmpty && penalty.bbar != 0 { throw fail("task bounds need λ = 0") }
        var encoding: ZbarEncoding? = nil
        if case .string(let e)? = json["master"]?["zbar_encoding"] { encoding = ZbarEncoding(rawValue: e) }
        var zbarWeight = model.penalty.zbar
        if let w = json["master"]?["zbar_weight"], w != .null {
            guard let value = w.doubleValue, value >= 0, value <= model.penalty.zbar else {
                throw fail("master \"zbar_weight\" (between 0 and the penalty's δ in the master's units)")
            }
            zbarWeight = value
        }

        self.instance = instance
        self.model = model
        self.scaling = scaling
        self.upperBound = ub
        self.lowerBound = lb
        self.coefficients = coefficients
        self.support = support
        self.encoding = encoding
        self.zbarWeight = zbarWeight
        self.cuts = cuts
        self.taskBounds = taskBounds
        self.mismatchedCuts = mismatches
        self.invalidShifts = invalidShifts
        self.invalidRestrictions = invalidRestrictions
        self.scale = scale
    }

    /// A master to re-solve (`Verifier`): its rows, and the cut rows apart when they are added
    /// lazily (`LazyRows`).
    struct ProofMaster {
        let master: Master
        let cuts: LazyRows

        /// `GLPKProblem.proveLowerBound` on this master.
        func proveLowerBound(_ target: Double, timeLimitSeconds: Double?) -> GLPKProblem.BoundProof {
            master.problem.proveLowerBound(target, timeLimitSeconds: timeLimitSeconds, lazy: cuts)
        }
    }

    /// The final master: the MILP of DESIGN.md section 3 with every re-derived cut and every task
    /// bound as a row. With `lazyCuts` the cut rows are kept apart, for `proveLowerBound` to add
    /// where violated; with per-task η (λ = 0), also cuts of the verifier's own at nodes the pool has
    /// nothing for, as `taskMaster` has.
    func master(lazyCuts: Bool) throws -> ProofMaster {
        let master = try Master.final(model, encoding: encoding, cuts: lazyCuts ? [] : cuts, taskBounds: taskBounds,
                                      zbarWeight: zbarWeight)
        guard lazyCuts else { return ProofMaster(master: master, cuts: LazyRows()) }
        guard master.perTask else { return ProofMaster(master: master, cuts: LazyRows(cuts.map(master.row))) }
        let relaxation = NodeRelaxation(model, iterations: ExactSettings().nodeRelaxationIterations)
        let builder = CutBuilder(model)
        return ProofMaster(master: master, cuts: LazyRows(cuts.map(master.row)) { x, lower, upper in
            relaxation.dualPoints(at: master.z(from: x), lower: lower, upper: upper).map { master.row(builder.cut($0)) }
        })
    }

    /// Whether the incumbent, as a master point with η_k = (1/n_k)‖ỹ_k − X̃_kβ_k‖² + α‖β_k‖² (one η
    /// with λ > 0: their sum plus λ tr(BLBᵀ)), violates a row of the master or one of its lazy cut
    /// rows: nil when it satisfies every row, else which row. With every row satisfied the master's
    /// optimum is at most Σ η + δ·Zbar = F(incumbent).
    func incumbentViolation(_ proof: ProofMaster) -> String? {
        let master = proof.master
        var b = model.preprocessing.toModelScale(coefficients)
        Vector.scale(1 / (scaling.features * scaling.response), &b.storage)  // in the master's units
        let alpha = model.penalty.ridge
        var eta = (0..<model.taskCount).map { k -> Double in
            let r = BLAS.residual(model.responses[k], model.designs[k], b.column(k))
            return Vector.dot(r, r) / Double(model.designs[k].rows) + alpha * Vector.dot(b.column(k), b.column(k))
        }
        if !master.perTask {
            let bl = BLAS.multiply(b, model.graph.laplacian)
            eta = [eta.reduce(0, +) + model.penalty.bbar * Vector.dot(bl.storage, b.storage)]
        }
        let x = master.solution(support.indices, eta: eta.map { $0 * (1 + 1e-12) + 1e-12 * scale })
        if let violated = master.problem.firstViolatedRow(at: x, tolerance: 1e-9) {
            return String(format: "row %d: activity %.12g outside [%.12g, %.12g]", violated.row + 1, violated.activity, violated.lower, violated.upper)
        }
        if let violated = proof.cuts.firstViolated(at: x, tolerance: 1e-9) {
            return String(format: "cut %d: activity %.12g below %.12g", violated.row, violated.activity, violated.lower)
        }
        return nil
    }

    /// The single-task master that proves a task bound: task k alone (λ = δ = 0) with the bound's
    /// costs on z and every re-derived cut of task k as a row (apart with `lazyCuts`, as in
    /// `master(lazyCuts:)`). Its optimum must reach the bound.
    func taskMaster(_ bound: TaskBound, lazyCuts: Bool) throws -> ProofMaster {
        let single = model.task(bound.task)
        let p = model.featureCount
        let master = try Master(single, encoding: nil, linearCosts: Matrix(rows: p, columns: 1, columnMajor: bound.costs))
        let builder = CutBuilder(single)
        let taskCuts = taskCuts(bound.task)
        var rows = LazyRows()
        if lazyCuts {
            // At a node the pool has nothing for, a cut of the verifier's own: Frank–Wolfe on the node's
            // perspective relaxation, as in the solve (`NodeRelaxation`). Any dual point gives a valid
            // cut of the task's problem (DESIGN.md section 2), so the bound proved still holds for it.
            let relaxation = NodeRelaxation(single, iterations: ExactSettings().nodeRelaxationIterations)
            rows = LazyRows(taskCuts.map(master.row)) { x, lower, upper in
                let found = relaxation.dualPoint(task: 0, start: Array(x[0..<p]), lower: Array(lower[0..<p]), upper: Array(upper[0..<p]),
                                                 cost: bound.costs)
                return [master.row(builder.cut(found.dual))]
            }
        } else {
            taskCuts.forEach(master.addGlobal)
        }
        return ProofMaster(master: master, cuts: rows)
    }

    /// The cuts of task k re-derived on task k alone (`model.task(k)`, where it is task 0).
    func taskCuts(_ k: Int) -> [Cut] {
        let builder = CutBuilder(model.task(k))
        return cuts.filter { $0.task == k }.map { builder.cut($0.dual.asTask(0)) }
    }

    /// Writes the final master (minimisation) as MPS through GLPK's writer: free MPS, or fixed MPS
    /// (where GLPK replaces names longer than 8 characters by generated ones).
    public func writeMaster(to path: String, free: Bool = true) throws {
        try master(lazyCuts: false).master.problem.writeMPS(to: path, free: free)
    }

    /// Writes each task bound's single-task master (`taskMaster`) as MPS, at `path` without `.mps`
    /// + `.task<i>.mps`: a solver's optimum for file i must reach `taskBounds[i].bound`.
    /// - Returns: the paths written.
    public func writeTaskMasters(beside path: String, free: Bool = true) throws -> [String] {
        let base = path.hasSuffix(".mps") ? String(path.dropLast(4)) : path
        return try taskBounds.enumerated().map { i, bound in
            let file = "\(base).task\(i).mps"
            try taskMaster(bound, lazyCuts: false).master.problem.writeMPS(to: file, free: free)
            return file
        }
    }

    static func matrix(_ value: JSONValue?, rows: Int, columns: Int, what: String, path: String) throws -> Matrix {
        guard case .array(let list)? = value, list.count == rows else { throw InputError(file: path, "malformed certificate: \(what)") }
        var m = Matrix(rows: rows, columns: columns)
        for (i, row) in list.enumerated() {
            guard case .array(let values) = row, values.count == columns else { throw InputError(file: path, "malformed certificate: \(what)") }
            for (j, v) in values.enumerated() {
                guard let x = v.doubleValue else { throw InputError(file: path, "malformed certificate: \(what)") }
                m[i, j] = x
            }
        }
        return m
    }
}
