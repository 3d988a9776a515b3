/// How the Zbar term is represented in the master (both exact at binary Z, DESIGN.md section 3).
/// `edges` is the default: its LP relaxation is much stronger (see `Master.init`).
public enum ZbarEncoding: String, CaseIterable, Sendable {
    /// Per edge (k, l) and feature j: v ≤ z_jk, v ≤ z_jl, cost δw_kl(z_jk + z_jl − 2v). Any graph.
    case edges
    /// Per feature: one-hot levels y_jm for m_j = Σ_k z_jk ∈ {0…K}, cost δw·m(K − m).
    /// Only for the complete graph with one weight w on every edge (the default graph).
    case levels
}

/// The master MILP of DESIGN.md section 3 over binary Z:
///
///     min Σ η (+ δ·Zbar_lin(Z))   s.t.  η ≥ constant_t − Σ a^t_jk z_jk for every cut t,
///                                      Σ_j z_jk ≤ s,  η ≥ 0,  Z binary,
///
/// with one η_k per task when λ = 0 (cuts per task) and one η when λ > 0. Column layout:
/// z_jk at j + k·p, then the η columns, then the Zbar encoding's columns.
final class Master {
    let problem = GLPKProblem(name: "sparsemtl_master")
    let p: Int, taskCount: Int
    let perTask: Bool
    let encoding: ZbarEncoding?
    let etaColumns: [Int]
    /// The δ of the master's Zbar term (at most the instance's).
    let zbarWeight: Double
    private(set) var rowsFromCuts = 0
    /// Edge encoding: (edge index, feature) → column of v. Levels encoding: feature → first level column.
    private var auxiliary: [Int] = []
    private let edges: [TaskGraph.Edge]

    /// Edge encoding: the rows v ≤ z_jk and v ≤ z_jl of edge e and feature j, at e·p + j.
    private(set) var edgeRows: [(a: Int, b: Int)] = []
    /// The task-bound rows added (`addTaskBound`), for the certificate.
    private(set) var taskBounds: [TaskBound] = []

    /// - Parameter linearCosts: extra objective costs c_jk on z_jk (p × K), as in the task
    ///   decomposition's single-task problems (`TaskDecomposition`); nil for none.
    /// - Parameter zbarWeight: the δ of the master's Zbar term, at most the instance's (nil: the
    ///   instance's). A smaller δ gives a relaxation (Zbar ≥ 0), so every bound still holds; see
    ///   `ExactSolver.masterZbarWeight` for why one is used.
    init(_ instance: Instance, encoding requested: ZbarEncoding?, linearCosts: Matrix? = nil, zbarWeight: Double? = nil) throws {
        p = instance.featureCount
        taskCount = instance.taskCount
        perTask = instance.penalty.bbar == 0
        edges = instance.graph.edges
        precondition(zbarWeight.map { $0 >= 0 && $0 <= instance.penalty.zbar } ?? true, "Master: the Zbar weight may only be lowered")
        let delta = zbarWeight ?? instance.penalty.zbar
        self.zbarWeight = delta
        let uniformComplete = edges.count == taskCount * (taskCount - 1) / 2 && Set(edges.map(\.weight)).count <= 1
        if delta > 0 && taskCount > 1 && !edges.isEmpty {
            // Edges by default: measured on ladder-K5-p250-n100 (α = 1), its LP relaxation gives a root
            // bound of 64.34 against 61.48 with levels (UB 65.39): the levels LP can mix m = 0 and
            // m = K at no cost, so its Zbar term nearly vanishes at fractional points.
            let chosen = requested ?? .edges
            if chosen == .levels && !uniformComplete {
                throw InputError(file: "command line", "--zbar-encoding levels needs the complete graph with one weight on every edge")
            }
            encoding = chosen
        } else {
            encoding = nil
        }
        let master = problem, separate = perTask
        for k in 0..<taskCount { for j in 0..<p { master.addColumn(name: "z_\(j)_\(k)", kind: .binary) } }
        etaColumns = (0..<(separate ? taskCount : 1)).map { master.addColumn(name: separate ? "eta_\($0)" : "eta", lower: 0, cost: 1) }
        for k in 0..<taskCount {
            problem.addRow(name: "card_\(k)", columns: (0..<p).map { $0 + k * p }, coefficients: [Double](repeating: 1, count: p),
                           upper: Double(instance.penalty.sparsity))
        }
        switch encoding {
        case .edges?:
            for (e, edge) in edges.enumerated() {
                let w = delta * edge.weight
                for j in 0..<p {
                    let v = problem.addColumn(name: "v_\(j)_\(edge.k)_\(edge.l)", lower: 0, upper: 1, cost: -2 * w)
                    auxiliary.append(v)
                    let a = problem.addRow(name: "va_\(e)_\(j)", columns: [v, zColumn(j, edge.k)], coefficients: [1, -1], upper: 0)
                    let b = problem.addRow(name: "vb_\(e)_\(j)", columns: [v, zColumn(j, edge.l)], coefficients: [1, -1], upper: 0)
                    edgeRows.append((a, b))
                }
                for j in 0..<p {
                    addCost(zColumn(j, edge.k), w)
                    addCost(zColumn(j, edge.l), w)
                }
            }
        case .levels?:
            let w = edges.first?.weight ?? 0
            for j in 0..<p {
                let first = problem.columnCount
                auxiliary.append(first)
                for m in 0...taskCount {
                    problem.addColumn(name: "y_\(j)_\(m)", kind: .binary, cost: delta * w * Double(m * (taskCount - m)))
                }
                let levels = Array(first...(first + taskCount))
                problem.addRow(name: "onehot_\(j)", columns: levels, coefficients: [Double](repeating: 1, count: taskCount + 1),
                               lower: 1, upper: 1)
                problem.addRow(name: "count_\(j)", columns: levels + (0..<taskCount).map { zColumn(j, $0) },
                               coefficients: (0...taskCount).map(Double.init) + [Double](repeating: -1, count: taskCount),
                               lower: 0, upper: 0)
            }
        case nil:
            break
        }
        if let linearCosts {
            for k in 0..<taskCount { for j in 0..<p where linearCosts[j, k] != 0 { addCost(zColumn(j, k), linearCosts[j, k]) } }
        }
    }

    /// The final master of a solve: every cut and every task bound as a global row (what the
    /// certificate's MPS holds and what `verify` re-solves).
    static func final(_ instance: Instance, encoding: ZbarEncoding?, cuts: [Cut], taskBounds: [TaskBound],
                      zbarWeight: Double? = nil) throws -> Master {
        let master = try Master(instance, encoding: encoding, zbarWeight: zbarWeight)
        for cut in cuts { master.addGlobal(cut) }
        for bound in taskBounds { master.addTaskBound(bound) }
        return master
    }

    /// Adds the row η_k + Σ_j c_j z_jk ≥ bound of a task bound (global, like a cut).
    func addTaskBound(_ bound: TaskBound) {
        precondition(perTask, "task bounds need one η per task (λ = 0)")
        let columns = [etaColumns[bound.task]] + (0..<p).map { zColumn($0, bound.task) }
        problem.addRow(name: "task_\(taskBounds.count)", columns: columns, coefficients: [1] + bound.costs, lower: bound.bound)
        taskBounds.append(bound)
    }

    private var costs: [Int: Double] = [:]
    private func addCost(_ column: Int, _ value: Double) {
        costs[column, default: 0] += value
        problem.setCost(column, costs[column]!)
    }

    func zColumn(_ j: Int, _ k: Int) -> Int { j + k * p }

    /// Reduced-cost fixing after an optimal LP solve with value `lpBound` (DESIGN.md section 3): a
    /// z_jk at 0 with reduced cost d > 0 has master value ≥ lpBound + d wherever z_jk = 1 (LP
    /// duality on a relaxation of every later master), so when lpBound + d > `upperBound` + `margin`
    /// no solution better than the incumbent has z_jk = 1 and it is fixed at 0; likewise z_jk at 1
    /// with lpBound − d > upperBound + margin is fixed at 1. The bound stays valid for the unfixed
    /// master too: its optimum over the cut-off region exceeds the incumbent's value.
    /// - Returns: how many were fixed at 0 and at 1.
    func fixByReducedCost(lpBound: Double, upperBound: Double, margin: Double) -> (zeros: Int, ones: Int) {
        problem.fixByReducedCost(columns: 0..<(p * taskCount), lpBound: lpBound, threshold: upperBound + margin)
    }

    /// The η column a cut bounds.
    func etaColumn(for cut: Cut) -> Int { perTask ? etaColumns[cut.task!] : etaColumns[0] }

    /// The cut as a row η + Σ a_jk z_jk ≥ constant, divided by its largest coefficient over 256
    /// when that exceeds 1 (the same half-space; with small α the a_jk grow like v²/(4α), and
    /// unscaled dense rows stall GLPK's simplex). F is near 4096 in the solver's units
    /// (`ProblemScaling.objectiveTarget`), so coefficients of that size are ordinary: dividing rows
    /// by all of them (a threshold of 1) shrank η's coefficient so far that LP feasibility
    /// tolerances (10⁻⁶–10⁻⁷ on the row) became errors of 10⁻⁸ relative in η, beyond the bound's
    /// safety margin (SCIP's optimum of exported masters came out above the brute-force optimum);
    /// no division below 4096 made ladder-K5-p1000-n200 (α = 1) 20 % slower (51.5 s against 43.0 s),
    /// 256 keeps both (46.8 s; the interoperability check passes).
    ///
    /// Each a_jk is first capped at the constant (coefficient tightening): at a binary Z with
    /// z_jk = 1 the row then asks η ≥ (a value ≤ 0), which η ≥ 0 holds anyway (g ≥ 0), and at the
    /// others it is the cut itself; so the capped row is valid at every binary Z and stronger at
    /// fractional ones. Without the cap, α = 0 with a box 10⁶ times looser than the fit (y × 10⁻⁶)
    /// gave coefficients of 8·10¹⁰ beside constants of 10⁴, and GLPK's LP of the task master
    /// came back at 0, where the bound was 2 918 (`verify` failed a true certificate).
    func row(_ cut: Cut) -> LazyRows.Row {
        var columns = [etaColumn(for: cut)], coefficients = [1.0]
        let cap = max(cut.constant, 0)
        for k in 0..<taskCount { for j in 0..<p where cut.coefficients[j, k] > 0 && cap > 0 {
            columns.append(zColumn(j, k))
            coefficients.append(min(cut.coefficients[j, k], cap))
        } }
        let scale = max(1, (coefficients.max() ?? 1) / (ProblemScaling.objectiveTarget / 16))
        return LazyRows.Row(columns: columns, coefficients: coefficients.map { $0 / scale }, lower: cut.constant / scale)
    }

    /// Rows of the master that hold cuts (0-based row indices, in the order added).
    private(set) var cutRows: [Int] = []

    /// Adds a cut to the master itself (global: before branch and cut, or for the exported master).
    func addGlobal(_ cut: Cut) {
        let r = row(cut)
        cutRows.append(problem.addRow(name: "cut_\(rowsFromCuts)", columns: r.columns, coefficients: r.coefficients, lower: r.lower))
        rowsFromCuts += 1
    }

    /// Removes the cut rows with slack above `tolerance` (relative) at the last LP solution; they
    /// stay in the caller's pool. Returns how many were removed.
    @discardableResult
    func dropSlackCuts(tolerance: Double) -> Int {
        let slack = cutRows.filter { i in
            let lb = problem.rowLowerBound(i)
            return problem.rowActivity(i) - lb > tolerance * max(1, abs(lb))
        }
        problem.deleteRows(slack)
        let kept = Set(cutRows).subtracting(slack)
        // Rows after a deleted one move up: renumber the kept ones.
        let deleted = slack.sorted()
        cutRows = kept.sorted().map { i in i - deleted.prefix { $0 < i }.count }
        return slack.count
    }

    /// Z (p × K) from a vector of column values.
    func z(from x: [Double]) -> Matrix {
        Matrix(rows: p, columns: taskCount, columnMajor: Array(x[0..<(p * taskCount)]))
    }

    /// η values from a vector of column values.
    func eta(from x: [Double]) -> [Double] { etaColumns.map { x[$0] } }

    /// A full column vector for binary supports and η values, with the Zbar columns set to what
    /// their rows force (v = z_jk·z_jl; the level of m_j).
    func solution(_ supports: [[Int]], eta: [Double]) -> [Double] {
        var x = [Double](repeating: 0, count: problem.columnCount)
        for (k, support) in supports.enumerated() { for j in support { x[zColumn(j, k)] = 1 } }
        for (c, value) in zip(etaColumns, eta) { x[c] = value }
        switch encoding {
        case .edges?:
            for (e, edge) in edges.enumerated() {
                for j in 0..<p { x[auxiliary[e * p + j]] = x[zColumn(j, edge.k)] * x[zColumn(j, edge.l)] }
            }
        case .levels?:
            for j in 0..<p {
                let m = (0..<taskCount).filter { x[zColumn(j, $0)] == 1 }.count
                x[auxiliary[j] + m] = 1
            }
        case nil:
            break
        }
        return x
    }
}
