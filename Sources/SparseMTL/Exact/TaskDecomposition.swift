import Foundation

/// A valid inequality of the master from one task solved alone: η_k + Σ_j c_j z_jk ≥ bound, where
/// `bound` is a certified lower bound of the single-task problem min { g_k(z) + cᵀz : |z| ≤ s,
/// z binary } (its own exact solve). It holds at every binary master point with η_k ≥ g_k(z_k), so
/// it never cuts off the optimum; the certificate keeps the costs, and the single-task cuts that
/// prove the bound are in the cut pool (`Verifier` re-solves each task's master from them).
public struct TaskBound: Equatable, Sendable {
    public var task: Int
    /// c_j, one per feature.
    public var costs: [Double]
    public var bound: Double

    public init(task: Int, costs: [Double], bound: Double) {
        self.task = task
        self.costs = costs
        self.bound = bound
    }
}

/// Task decomposition at the root (λ = 0, K ≥ 2). The joint tree branches on every task at once,
/// so its size grows like a product over tasks even when δ is small; solving each task alone grows
/// like a sum. Lagrangian relaxation of the Zbar rows separates the tasks: with prices y ≤ 0 on the
/// rows v ≤ z_jk of the edge encoding (any y in [−2δw_e, 0] is valid),
///
///     F(Z) ≥ Σ_k [ g_k(z_k) + Σ_j c_jk z_jk ] + Σ_{e,j} min(0, −2δw_e − y_a − y_b),
///     c_jk = Σ_{edges e ∋ k} (δw_e + y_(e,j,k)).
///
/// With subgradient prices (`ExactSettings.prices`), the first prices are the root LP's row duals
/// (then the right side's relaxation is the root LP bound), and later rounds move them by a
/// projected subgradient step (Polyak's rule) from the tasks' solutions. With column generation
/// (the default) the caller passes each round's costs c directly (`ColumnGeneration`). Each task's
/// problem min g_k + c_kᵀz is solved by the exact solver (K = 1), warm started with the task's
/// earlier solutions, and its certified bound enters the master as a `TaskBound` row: the
/// master's LP then exploits each task's integrality. The master only needs the rows (valid for
/// any c); the constant above is used for the step size alone.
final class TaskDecomposition {
    let instance: Instance
    let settings: ExactSettings
    private let p: Int
    /// Cuts of the full instance (a single-task cut of task k becomes a per-task cut of task k).
    private let builder: CutBuilder
    /// y per edge e and feature j at e·p + j, for the rows of task edge.k (a) and edge.l (b).
    private var prices: [(a: Double, b: Double)]
    /// Each task's cuts so far, as cuts of the single-task instance (to keep repeated ones out of the
    /// pool), and its best supports.
    private var taskCuts: [[Cut]]
    private var taskSupports: [[[Int]]]
    /// Each task's solve time in the last round (the order of the next).
    private var taskSeconds: [Double]
    /// Polyak's step factor, halved when a round does not raise the Lagrangian.
    private var stepFactor = 1.0
    private var bestLagrangian = -Double.infinity

    /// Prices from the master's last LP solve (its row duals, clamped into [−2δw, 0]).
    init(_ instance: Instance, settings: ExactSettings, master: Master) {
        self.instance = instance
        self.settings = settings
        p = instance.featureCount
        builder = CutBuilder(instance)
        taskCuts = Array(repeating: [], count: instance.taskCount)
        taskSupports = Array(repeating: [], count: instance.taskCount)
        taskSeconds = Array(repeating: 0, count: instance.taskCount)
        prices = []
        guard master.encoding == .edges, !master.edgeRows.isEmpty else { return }
        forEachRowPair { i, _, _, w in
            let rows = master.edgeRows[i]
            prices.append((min(max(master.problem.lpRowDual(rows.a), -2 * w), 0), min(max(master.problem.lpRowDual(rows.b), -2 * w), 0)))
        }
    }

    /// Calls `body(i, edge, j, δw_e)` for every edge e and feature j, with i = e·p + j (the index of
    /// the pair of rows v ≤ z_jk, v ≤ z_jl and of their prices).
    private func forEachRowPair(_ body: (Int, TaskGraph.Edge, Int, Double) -> Void) {
        for (e, edge) in instance.graph.edges.enumerated() {
            let w = instance.penalty.zbar * edge.weight
            for j in 0..<p { body(e * p + j, edge, j, w) }
        }
    }

    /// The costs c (p × K) at the current prices (zero without a Zbar edge encoding).
    var costs: Matrix {
        var c = Matrix(rows: p, columns: instance.taskCount)
        guard !prices.isEmpty else { return c }
        forEachRowPair { i, edge, j, w in
            c[j, edge.k] += w + prices[i].a
            c[j, edge.l] += w + prices[i].b
        }
        return c
    }

    /// Σ_{e,j} min(0, −2δw_e − y_a − y_b).
    private var constant: Double {
        guard !prices.isEmpty else { return 0 }
        var total = 0.0
        forEachRowPair { i, _, _, w in total += min(0, -2 * w - prices[i].a - prices[i].b) }
        return total
    }

    /// One round: solves each task alone at the current prices; returns the bounds, the new cuts
    /// (per-task cuts of the full instance) and each task's best support (together, a candidate
    /// incumbent), then moves the prices toward a higher Lagrangian bound on the way to `upperBound`.
    /// - Parameter seconds: the round's time, shared among the tasks not yet solved (what a task
    ///   leaves unused goes to the next), or nil for no limit. The tasks go in the order of their
    ///   times in the last round, fastest first, so that the slowest one gets what the others left.
    /// - Parameter given: costs c (p × K) from elsewhere (`ColumnGeneration`); then the prices here
    ///   are neither used nor moved.
    func round(seconds: Double?, upperBound: Double, log: SolverLog, costs given: Matrix? = nil)
        -> (bounds: [TaskBound], cuts: [Cut], supports: [[Int]]) {
        let costs = given ?? self.costs
        let start = Date()
        var result: [TaskBound] = [], cuts: [Cut] = []
        var solutions = [[Int]](repeating: [], count: instance.taskCount)
        var values = [Double](repeating: 0, count: instance.taskCount)
        let order = taskSeconds.indices.sorted { taskSeconds[$0] < taskSeconds[$1] }
        // Before any task's time is known (the first round), each task first gets a quarter of its
        // even share, and the ones that need more get the rest in the second pass below.
        let firstPass = taskSeconds.allSatisfy { $0 == 0 } ? 0.25 : 1.0
        var unfinished: [Int] = []
        func record(_ k: Int, _ solved: Solved) {
            taskSeconds[k] += solved.seconds
            result.append(solved.bound)
            cuts += solved.cuts
            solutions[k] = solved.support
            values[k] = solved.value
        }
        for (done, k) in order.enumerated() {
            if Interrupt.isRequested { return (result, cuts, []) }
            let share = seconds.map { firstPass * max($0 - Date().timeIntervalSince(start), 0.01) / Double(instance.taskCount - done) }
            guard let solved = solve(task: k, costs: costs.column(k), seconds: share, log: log) else {
                return (result, cuts, [])
            }
            taskSeconds[k] = 0
            record(k, solved)
            if !solved.finished { unfinished.append(k) }
        }
        // A task that ran out of its share is solved again with what the round has left (its bound
        // row from the first try stays: both are valid). Measured on ladder-K5-p250-n100, α = 1,
        // 60 s: task t1, first in the first round, stopped after its 4.9 s with a 0.5 % gap of its
        // own; it needs about 20 s at the column-generation prices.
        for (done, k) in unfinished.enumerated() {
            guard let total = seconds, !Interrupt.isRequested else { break }
            let share = (total - Date().timeIntervalSince(start)) / Double(unfinished.count - done)
            guard share > 2 * taskSeconds[k], let solved = solve(task: k, costs: costs.column(k), seconds: share, log: log) else { continue }
            record(k, solved)
        }
        if given == nil { step(solutions, lagrangian: constant + values.reduce(0, +), upperBound: upperBound) }
        return (result, cuts, solutions)
    }

    /// What one single-task solve gives (`solve(task:costs:seconds:log:)`).
    private typealias Solved = (bound: TaskBound, cuts: [Cut], support: [Int], value: Double, seconds: Double, finished: Bool)

    /// Solves min g_k(z) + costsᵀz for task k alone (exact solver, K = 1, warm started with the
    /// task's supports so far, whose tight cuts open its pool) and keeps its new cuts and best support.
    /// The task's earlier cuts are not passed on: their dense rows slowed each later solve down more
    /// than they helped (ladder-K2-p50-n50, α = 0.01, box 10: round 2's task t1 ran into its 25 s
    /// with them and certified in 2.6–3.1 s without; ladder-K5-p250-n100, α = 1, no limit: task t1
    /// took 18.8 s and 30.7 s in rounds 2 and 3 with them, 10.0 s and 14.3 s without).
    /// - Returns: the certified bound, the new cuts as per-task cuts of the full instance, the best
    ///   support, its value g_k + costsᵀz, the solve's time and whether it reached its gap; nil when
    ///   the solve failed or gave no bound.
    private func solve(task k: Int, costs column: [Double], seconds: Double?, log: SolverLog) -> Solved? {
        var sub = settings
        sub.timeLimitSeconds = seconds
        sub.relativeGap = settings.relativeGap / 2
        sub.rescale = false  // the cuts it returns must be in this instance's units
        guard let outcome = try? ExactSolver(settings: sub, log: nil)
            .solve(instance.task(k), linearCosts: Matrix(rows: p, columns: 1, columnMajor: column),
                   startSupports: taskSupports[k].map { [$0] }),
              let bound = outcome.result.lowerBound, bound.isFinite else { return nil }
        log.note(String(format: "task %@ alone: bound %.10g (incumbent %.10g, %@, %.2f s, %d nodes)", instance.taskLabels[k],
                        bound, outcome.incumbentValue, outcome.result.status.rawValue, outcome.result.seconds,
                        outcome.result.counters.first { $0.0 == "nodes" }?.1 ?? 0))
        let known = Set(taskCuts[k].map(\.constant))
        let fresh = outcome.cuts.filter { !known.contains($0.constant) || !taskCuts[k].contains($0) }
        taskCuts[k] += fresh
        let support = outcome.result.support.indices[0]
        if !taskSupports[k].contains(support) { taskSupports[k].append(support) }
        return (TaskBound(task: k, costs: column, bound: bound), fresh.map { builder.cut($0.dual.asTask(k)) },
                support, outcome.incumbentValue, outcome.result.seconds, outcome.result.status == .optimal)
    }

    /// Projected subgradient step: ∂/∂y_a = z_jk − v_ej with v_ej the minimiser of
    /// (−2δw − y_a − y_b)·v over [0, 1] (the midpoint of z_jk, z_jl when that cost is zero).
    private func step(_ solutions: [[Int]], lagrangian: Double, upperBound: Double) {
        guard !prices.isEmpty else { return }
        if lagrangian <= bestLagrangian { stepFactor /= 2 } else { bestLagrangian = lagrangian }
        let chosen = solutions.map(Set.init)
        var gradient: [(Double, Double)] = [], norm = 0.0
        forEachRowPair { i, edge, j, w in
            let zk = chosen[edge.k].contains(j) ? 1.0 : 0.0, zl = chosen[edge.l].contains(j) ? 1.0 : 0.0
            let reduced = -2 * w - prices[i].a - prices[i].b
            let v = reduced < -1e-12 ? 1 : (reduced > 1e-12 ? 0 : 0.5 * (zk + zl))
            gradient.append((zk - v, zl - v))
            norm += (zk - v) * (zk - v) + (zl - v) * (zl - v)
        }
        guard norm > 0 else { return }
        let length = stepFactor * max(upperBound - lagrangian, 0) / norm
        forEachRowPair { i, _, _, w in
            prices[i].a = min(max(prices[i].a + length * gradient[i].0, -2 * w), 0)
            prices[i].b = min(max(prices[i].b + length * gradient[i].1, -2 * w), 0)
        }
    }
}
