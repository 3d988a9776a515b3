import Foundation

/// Lagrangian prices for the task decomposition by column generation (Dantzig–Wolfe). The
/// restricted master is the LP
///
///     min Σ_k Σ_S λ_kS g_k(S) + Σ_{e = (k,l), j} δw_e (z_jk + z_jl − 2 v_ej)
///     s.t. Σ_S λ_kS [j ∈ S] = z_jk (dual π_jk),   Σ_S λ_kS = 1 (dual μ_k),
///          v_ej ≤ z_jk,  v_ej ≤ z_jl,  λ, z, v ≥ 0,
///
/// over the supports S found so far for each task (its columns): the Lagrangian dual of the Zbar
/// coupling (the edge rows of the master relaxed, `TaskDecomposition`) restricted to those supports.
/// At its duals, a support S of task k with g_k(S) + c_kᵀ1_S < μ_k, where c_jk = −π_jk, would lower
/// it; the heuristic, given these linear costs, looks for one per task. When it finds none, the
/// costs c are where the Lagrangian dual is best as far as the heuristic can see, and the task
/// decomposition then solves each task exactly at c. Only those exact solves certify anything:
/// their rows are valid for every c, so a weak heuristic can only make the bound weaker, never wrong.
///
/// The tasks are not priced at the duals themselves (`prices`): there each task has many
/// near-optimal supports and is slow to solve exactly. They are priced at a weighted mean of the
/// duals and a stability centre, which moves to those prices when a round at them raised the bound
/// (Wentges' smoothing). Measured on ladder-K5-p250-n100, α = 1, box 10 (UB 65.38868; one round of
/// exact task solves at fixed costs, no time limit): Polyak prices after two steps gave a
/// Lagrangian bound of 65.3680 with task t1 solved in 17 s; the duals of this column generation
/// (17 rounds, 37 columns, 2 s) 65.3874 with t1 in 220 s; their midpoint 65.3874 with t1 in 19 s
/// and all five tasks in 27 s. (Seven rounds of Polyak steps, every task exact in each, reached
/// 65.3709.)
final class ColumnGeneration {
    let instance: Instance
    private let inner: InnerProblem
    private let heuristic: HeuristicSettings
    private let lp = GLPKProblem(name: "sparsemtl_prices")
    private let p: Int
    /// The row Σ_S λ_kS [j ∈ S] − z_jk = 0 of feature j and task k, at j + k·p.
    private var linkRows: [Int] = []
    /// The row Σ_S λ_kS = 1 of each task.
    private var convexityRows: [Int] = []
    /// Each task's columns: supports and g_k(S).
    private(set) var columns: [[(support: [Int], value: Double)]]
    /// The LP column of λ_kS for each task's columns, in the order of `columns`.
    private var lambdaColumns: [[Int]]
    private var known: [Set<[Int]>]
    /// Each task alone, and its caches for the heuristic (built once, reused by every pricing).
    private let singles: [Instance]
    private let pricingProblems: [InnerProblem]
    /// The stability centre of the smoothing (p × K costs).
    private(set) var center: Matrix
    /// The weight of the duals in `prices` (1: the duals alone).
    let dualWeight: Double

    /// - Parameter center: the first stability centre (the task decomposition passes the root LP's
    ///   prices), weighted 1 − `dualWeight` in `prices`.
    init(_ instance: Instance, inner: InnerProblem, heuristic: HeuristicSettings, center: Matrix, dualWeight: Double) {
        self.instance = instance
        self.inner = inner
        self.center = center
        self.dualWeight = dualWeight
        // A wider shortlist than the heuristic's default (50 moves scored exactly per step): with 50,
        // pricing at the costs of ladder-K5-p250-n100 (α = 1) stopped at 8.1035 for task t1 where an
        // exhaustive local search and the exact solve found 8.0978; with 200 it found 8.0978 too.
        var pricing = heuristic
        pricing.exactCandidates = max(pricing.exactCandidates, 200)
        self.heuristic = pricing
        p = instance.featureCount
        let taskCount = instance.taskCount
        singles = (0..<taskCount).map { instance.task($0) }
        pricingProblems = singles.map {
            InnerProblem($0, gramColumnsPerTask: pricing.gramColumnsPerTask(features: $0.featureCount, tasks: 1, sparsity: $0.penalty.sparsity))
        }
        columns = Array(repeating: [], count: taskCount)
        lambdaColumns = Array(repeating: [], count: taskCount)
        known = Array(repeating: [], count: taskCount)
        var zCost = [Double](repeating: 0, count: p * taskCount)
        // No upper bounds on z and v (the convexity rows imply z ≤ 1): with them the duals of a
        // z_jk = 1 at its bound are free, and the costs c = −π came out arbitrary for such features.
        for k in 0..<taskCount { for j in 0..<p { lp.addColumn(name: "z_\(j)_\(k)", lower: 0) } }
        for k in 0..<taskCount {
            for j in 0..<p {
                linkRows.append(lp.addRow(name: "link_\(j)_\(k)", columns: [j + k * p], coefficients: [-1], lower: 0, upper: 0))
            }
            convexityRows.append(lp.addRow(name: "convexity_\(k)", columns: [], coefficients: [], lower: 1, upper: 1))
        }
        for (e, edge) in instance.graph.edges.enumerated() {
            let w = instance.penalty.zbar * edge.weight
            for j in 0..<p {
                let v = lp.addColumn(name: "v_\(j)_\(e)", lower: 0, cost: -2 * w)
                lp.addRow(name: "va_\(e)_\(j)", columns: [v, j + edge.k * p], coefficients: [1, -1], upper: 0)
                lp.addRow(name: "vb_\(e)_\(j)", columns: [v, j + edge.l * p], coefficients: [1, -1], upper: 0)
                zCost[j + edge.k * p] += w
                zCost[j + edge.l * p] += w
            }
        }
        for (column, cost) in zCost.enumerated() where cost != 0 { lp.setCost(column, cost) }
    }

    /// Adds support S of task k as a column, unless it is one already; `fit` is g_k(S) when known.
    /// Returns whether it was new.
    @discardableResult
    func add(_ support: [Int], task k: Int, fit: Double? = nil) -> Bool {
        guard known[k].insert(support).inserted else { return false }
        let value = fit ?? inner.fitTask(k, support: support).value
        columns[k].append((support, value))
        lambdaColumns[k].append(lp.addColumn(name: "lambda_\(k)_\(columns[k].count)", cost: value,
                                             rows: support.map { linkRows[$0 + k * p] } + [convexityRows[k]],
                                             coefficients: [Double](repeating: 1, count: support.count + 1)))
        return true
    }

    /// For each task, the support of its column with the largest λ_kS in the restricted master's
    /// last LP solution: a feasible point of the full problem, and its optimum when that solution is
    /// integral (one column per task). The caller evaluates F there; the value of the restricted
    /// master itself is never taken as an objective.
    func leadingSupports() -> [[Int]] {
        (0..<instance.taskCount).map { k in
            let weights = lambdaColumns[k].map { lp.lpValue($0) }
            return columns[k][weights.indices.max { weights[$0] < weights[$1] }!].support
        }
    }

    /// Solves the restricted master within `seconds` (nil: no limit): its value, the costs
    /// c_jk = −π_jk and the duals μ_k; nil when the LP failed or ran out of time.
    private func solve(seconds: Double?) -> (value: Double, costs: Matrix, mu: [Double])? {
        guard let value = lp.solveLP(timeLimitSeconds: seconds).value else { return nil }
        var costs = Matrix(rows: p, columns: instance.taskCount)
        for k in 0..<instance.taskCount { for j in 0..<p { costs[j, k] = -lp.lpRowDual(linkRows[j + k * p]) } }
        return (value, costs, convexityRows.map { lp.lpRowDual($0) })
    }

    /// The costs for the next round of exact task solves: dualWeight·c + (1 − dualWeight)·centre,
    /// with c the restricted master's costs after `run(seconds:log:)`; nil when its LP failed or did
    /// not solve in time.
    func prices(seconds: Double?, log: SolverLog) -> Matrix? {
        guard let duals = run(seconds: seconds, log: log)?.costs else { return nil }
        var mixed = center.storage
        Vector.scale(1 - dualWeight, &mixed)
        Vector.axpy(dualWeight, duals.storage, &mixed)
        return Matrix(rows: p, columns: instance.taskCount, columnMajor: mixed)
    }

    /// Moves the stability centre to `costs` (a round at them raised the bound).
    func recenter(at costs: Matrix) { center = costs }

    /// Rounds of pricing until the heuristic finds no column that lowers the restricted master, or
    /// `seconds` (nil: no limit) or `maxRounds` ran out. Each task's pricing starts from its column
    /// that is best at the current costs. Needs at least one column per task.
    /// - Returns: the restricted master's last value (an estimate of the Lagrangian dual's optimum,
    ///   not a bound) and its costs c; nil when the LP failed.
    func run(seconds: Double?, maxRounds: Int = 500, log: SolverLog) -> (value: Double, costs: Matrix)? {
        precondition(columns.allSatisfy { !$0.isEmpty }, "column generation needs a column for every task")
        let start = Date()
        var last: (value: Double, costs: Matrix)? = nil
        var rounds = 0
        while rounds < maxRounds {
            guard let (value, costs, mu) = solve(seconds: seconds.map { max($0 - Date().timeIntervalSince(start), 0.01) }) else { break }
            last = (value, costs)
            rounds += 1
            if Interrupt.isRequested || seconds.map({ Date().timeIntervalSince(start) >= $0 }) == true { break }
            var added = 0
            for k in 0..<instance.taskCount {
                let c = costs.column(k)
                func priced(_ column: (support: [Int], value: Double)) -> Double { column.support.reduce(column.value) { $0 + c[$1] } }
                let best = columns[k].min { priced($0) < priced($1) }!
                pricingProblems[k].linearCosts = Matrix(rows: p, columns: 1, columnMajor: c)
                for from in [Support([best.support]), nil] {
                    let support = HeuristicSolver(settings: heuristic).solve(singles[k], problem: pricingProblems[k], start: from).support.indices[0]
                    if known[k].contains(support) { continue }  // both starts often end at the same support
                    let fit = inner.fitTask(k, support: support).value
                    if support.reduce(fit, { $0 + c[$1] }) - mu[k] < -1e-9 * max(1, abs(mu[k])), add(support, task: k, fit: fit) { added += 1 }
                }
            }
            if added == 0 { break }
        }
        if let last {
            log.note(String(format: "column generation: %d rounds, %d columns, restricted master %.10g (%.2f s)", rounds,
                            columns.reduce(0) { $0 + $1.count }, last.value, Date().timeIntervalSince(start)))
        }
        return last
    }
}
