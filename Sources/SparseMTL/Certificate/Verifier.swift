import Foundation

/// Rechecks a certificate from the data alone, trusting nothing the solver computed:
/// 1. the upper bound: F recomputed from the incumbent's coefficients and support (and feasibility);
/// 2. every cut: re-derived from its dual point (any dual point gives a valid bound, DESIGN.md
///    section 2) and compared with the stored constant and coefficients;
/// 3. the lower bound: the master rebuilt with every re-derived cut and solved from scratch by GLPK;
///    the certificate's LB must not exceed that master optimum, which must not exceed UB.
public enum Verifier {
    /// One check and its outcome.
    public struct Check: Sendable {
        public var name: String
        public var passed: Bool
        public var detail: String
    }

    /// All checks; the certificate passes when every one does.
    public struct Report: Sendable {
        public var checks: [Check]
        public var passed: Bool { !checks.isEmpty && checks.allSatisfy(\.passed) }
    }

    /// Verifies the certificate at `path`.
    /// - Throws: `InputError` when the certificate or its data cannot be read or is malformed.
    public static func verify(_ path: String, timeLimitSeconds: Double? = nil) throws -> Report {
        let json = try JSONValue.read(path)
        func fail(_ what: String) -> InputError { InputError(file: path, "malformed certificate: \(what)") }
        guard json["format"] == .string(Certificate.format) else { throw fail("\"format\" is not \(Certificate.format)") }
        guard let problem = json["problem"], case .string(let dataPath)? = problem["data"],
              case .string(let taskColumn)? = problem["task_column"], case .string(let responseColumn)? = problem["response_column"],
              case .bool(let standardize)? = problem["standardize"], let penaltyJSON = problem["penalty"],
              case .int(let s)? = penaltyJSON["sparsity"] else { throw fail("\"problem\"") }
        let penalty = Penalty(sparsity: s, ridge: penaltyJSON["ridge"]?.doubleValue ?? 0, bbar: penaltyJSON["bbar"]?.doubleValue ?? 0,
                              zbar: penaltyJSON["zbar"]?.doubleValue ?? 0, bigM: penaltyJSON["big_m"]?.doubleValue)
        let dataset = try LongCSVReader(taskColumn: taskColumn, responseColumn: responseColumn).read(dataPath)
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
        var checks: [Check] = []

        // 1. Upper bound.
        guard let ub = json["upper_bound"]?.doubleValue, let lb = json["lower_bound"]?.doubleValue,
              let incumbent = json["incumbent"] else { throw fail("bounds or incumbent") }
        let b = try matrix(incumbent["coefficients"], rows: p, columns: kCount, what: "incumbent coefficients", path: path)
        guard case .array(let lists)? = incumbent["support"], lists.count == kCount else { throw fail("incumbent support") }
        let support = Support(try lists.map { list -> [Int] in
            guard case .array(let items) = list else { throw fail("incumbent support") }
            return try items.map { item in
                guard case .int(let j) = item, (0..<p).contains(j) else { throw fail("incumbent support index") }
                return j
            }
        })
        let value = Objective.evaluate(instance, originalCoefficients: b, support: support)
        let scale = ExactSolver.safetyMargin(0, instance) * 1e12  // F(B = 0)
        let tolerance = 1e-9 * max(abs(ub), scale, 1e-300)
        checks.append(Check(name: "incumbent is feasible", passed: value.feasible, detail: value.violations.first ?? "s, support and box respected"))
        checks.append(Check(name: "upper bound = F(incumbent)", passed: abs(value.objective - ub) <= tolerance,
                            detail: String(format: "recomputed %.12g, certificate %.12g", value.objective, ub)))

        // 2. Cuts.
        guard case .array(let cutList)? = json["cuts"] else { throw fail("\"cuts\"") }
        let builder = CutBuilder(instance)
        var cuts: [Cut] = []
        var mismatches: [String] = []
        for (index, item) in cutList.enumerated() {
            guard let dual = item["dual"], case .array(let taskItems)? = dual["tasks"], case .array(let uItems)? = dual["u"],
                  taskItems.count == uItems.count, let constant = item["constant"]?.doubleValue,
                  case .array(let columns)? = item["coefficients"] else { throw fail("cut \(index)") }
            let tasks = try taskItems.map { t -> Int in
                guard case .int(let k) = t, (0..<kCount).contains(k) else { throw fail("cut \(index) tasks") }
                return k
            }
            let u = try zip(tasks, uItems).map { k, item -> [Double] in
                guard case .array(let values) = item, values.count == instance.designs[k].rows else { throw fail("cut \(index) u") }
                return try values.map { guard let v = $0.doubleValue else { throw fail("cut \(index) u") }; return v }
            }
            var bHat: Matrix? = nil
            if let bh = dual["b_hat"], bh != .null { bHat = try matrix(bh, rows: p, columns: kCount, what: "cut \(index) b_hat", path: path) }
            let cut = builder.cut(DualPoint(tasks: tasks, u: u, bHat: bHat))
            let storedTask: Int? = { if case .int(let k)? = item["task"] { return k }; return nil }()
            let cutTasks = cut.task.map { [$0] } ?? Array(0..<kCount)
            var worst = abs(cut.constant - constant) / max(abs(constant), scale, 1e-300)
            if storedTask != cut.task || columns.count != cutTasks.count { worst = .infinity } else {
                for (c, k) in cutTasks.enumerated() {
                    guard case .array(let values) = columns[c], values.count == p else { throw fail("cut \(index) coefficients") }
                    for j in 0..<p {
                        let stored = values[j].doubleValue ?? .nan
                        worst = max(worst, abs(stored - cut.coefficients[j, k]) / max(abs(cut.coefficients[j, k]), scale, 1e-300))
                    }
                }
            }
            if !(worst <= 1e-9) { mismatches.append("cut \(index)") }
            cuts.append(cut)
        }
        checks.append(Check(name: "every cut re-derives from its dual point", passed: mismatches.isEmpty,
                            detail: mismatches.isEmpty ? "\(cuts.count) cuts" : "differ: " + mismatches.prefix(5).joined(separator: ", ")))

        // 3. Lower bound: the master with every re-derived cut, solved from scratch.
        var encoding: ZbarEncoding? = nil
        if case .string(let e)? = json["master"]?["zbar_encoding"] { encoding = ZbarEncoding(rawValue: e) }
        let master = try Master(instance, encoding: encoding)
        for cut in cuts { master.addGlobal(cut) }
        let outcome = master.problem.solveMIP(timeLimitSeconds: timeLimitSeconds)
        if outcome == .optimal {
            let optimum = master.problem.mipObjective
            checks.append(Check(name: "lower bound ≤ master optimum", passed: lb <= optimum + tolerance,
                                detail: String(format: "master re-solved: %.12g, certificate LB %.12g", optimum, lb)))
            checks.append(Check(name: "master optimum ≤ upper bound", passed: optimum <= ub + tolerance,
                                detail: String(format: "%.12g ≤ %.12g", optimum, ub)))
        } else {
            checks.append(Check(name: "lower bound ≤ master optimum", passed: false, detail: "the master was not solved to optimality (\(outcome))"))
        }
        checks.append(Check(name: "lower bound ≤ upper bound", passed: lb <= ub, detail: String(format: "%.12g ≤ %.12g", lb, ub)))
        return Report(checks: checks)
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
