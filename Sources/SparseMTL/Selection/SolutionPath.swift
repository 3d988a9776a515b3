import Foundation

/// One point of a path: the penalty and the heuristic's solution for it.
public struct PathPoint: Sendable {
    public var penalty: Penalty
    public var result: SolveResult
}

/// The heuristic along a grid of penalties (`PenaltyGrid`, path order), each solve warm-started
/// from its neighbours' supports: the same s at the previous (α, δ, λ) combination and the s − 1
/// point of the same combination (which gains one feature); the better local optimum is kept.
/// Only the first combination also runs the heuristic's common-support start. s = 0 is the
/// intercept-only model B = 0, solved without search.
///
/// When some task has n_k > 2(p + 1) rows the fits run on `Instance.compressed()` (the same F
/// for every B, p + 1 rows per task); F is then recomputed on the given instance unless
/// `recomputeObjective` is off (cross-validation, which scores on held-out rows instead).
public struct SolutionPath: Sendable {
    public var settings: HeuristicSettings
    /// When the path stops (nil: never): no point starts after it, and each solve gets what is left.
    public var deadline: Date?
    /// Whether each point's F is recomputed on the given (uncompressed) rows.
    public var recomputeObjective = true
    /// Whether points after the first combination also run the common-support start (K > 1).
    /// Off, a path is about 2× faster and its F is worse at 10–15 % of the points (by 0.01–0.1 %
    /// on average, at most 3 %, on two synthetic grids of 360 points); cross-validation turns it off.
    public var coldCommonStart = true

    public init(settings: HeuristicSettings = HeuristicSettings(), deadline: Date? = nil) {
        self.settings = settings
        self.deadline = deadline
    }

    /// Whether a deadline passed or an interrupt came (the path stops at its next point).
    public var stopped: Bool { Interrupt.isRequested || deadline.map { Date() >= $0 } == true }

    /// Solves `instance` at every penalty of the grid (M stays the instance's).
    /// - Parameter progress: called after each point with its index, the count and the point.
    public func run(_ instance: Instance, grid: PenaltyGrid, progress: ((Int, Int, PathPoint) -> Void)? = nil) -> [PathPoint] {
        let compress = Self.compresses(instance)
        var working = compress ? instance.compressed() : instance
        let penalties = grid.penalties(base: instance.penalty)
        let perCombination = grid.sparsities.count
        // The data's caches (Gram matrix, X̃ᵀỹ) serve every point: only the penalty changes.
        let caches = InnerProblem(working, gramColumnsPerTask: settings.gramColumnsPerTask(
            features: working.featureCount, tasks: working.taskCount, sparsity: grid.sparsities.max() ?? 1)).tasks
        var points: [PathPoint] = []
        for (index, penalty) in penalties.enumerated() {
            if stopped { break }
            working.penalty = penalty
            var result: SolveResult
            if penalty.sparsity == 0 {
                result = Self.interceptOnly(working)
            } else {
                var solver = settings
                if let deadline { solver.timeLimitSeconds = min(solver.timeLimitSeconds ?? .infinity, max(deadline.timeIntervalSinceNow, 0.001)) }
                // Warm starts: the same s at the previous combination, and s − 1 here.
                var starts: [Support] = []
                if index >= perCombination { starts.append(points[index - perCombination].result.support) }
                if index % perCombination > 0 { starts.append(points[index - 1].result.support) }
                // After the first combination the warm starts are near local optima already; the
                // common-support start (a greedy from empty) would cost as much as a cold solve.
                if index >= perCombination && !coldCommonStart { solver.commonSupportStart = false }
                result = HeuristicSolver(settings: solver).solve(working, problem: InnerProblem(working, caches: caches), starts: starts)
                // A point cut short by the deadline or an interrupt is not a point of the path.
                if result.status == .timeLimit || result.status == .interrupted, stopped { break }
            }
            if compress && recomputeObjective {
                var original = instance
                original.penalty = penalty
                result.objective = Objective.evaluate(original, coefficients: result.coefficients, support: result.support)
            }
            let point = PathPoint(penalty: penalty, result: result)
            points.append(point)
            progress?(index, penalties.count, point)
        }
        return points
    }

    /// Whether a path fits `instance` on its compressed form (some task has n_k > 2(p + 1)).
    public static func compresses(_ instance: Instance) -> Bool {
        instance.designs.contains { $0.rows > 2 * (instance.featureCount + 1) }
    }

    /// The s = 0 model: B = 0 (each task predicts its mean), the only feasible point.
    static func interceptOnly(_ instance: Instance) -> SolveResult {
        let b = Matrix(rows: instance.featureCount, columns: instance.taskCount)
        let support = Support([[Int]](repeating: [], count: instance.taskCount))
        return SolveResult(status: .localOptimum, method: "heuristic", coefficients: b, support: support,
                           objective: Objective.evaluate(instance, coefficients: b, support: support), seconds: 0)
    }
}
