import Foundation

/// One point of a path: the penalty and the heuristic's solution for it.
public struct PathPoint: Sendable {
    public var penalty: Penalty
    public var result: SolveResult
}

/// The heuristic along a grid of penalties, each solve warm-started from the previous point's
/// supports (the s − 1 solution gains one feature; a new δ or λ starts from the last solution).
public struct SolutionPath {
    public var settings: HeuristicSettings
    /// When the path stops (nil: never): no point starts after it, and each solve gets what is left.
    public var deadline: Date?

    public init(settings: HeuristicSettings = HeuristicSettings(), deadline: Date? = nil) {
        self.settings = settings
        self.deadline = deadline
    }

    /// Whether a deadline passed or an interrupt came (the path stops at its next point).
    public var stopped: Bool { Interrupt.isRequested || deadline.map { Date() >= $0 } == true }

    /// Solves `instance` at every penalty of the grid (α and M stay the instance's).
    /// - Parameter progress: called after each point with its index, the count and the point.
    public func run(_ instance: Instance, grid: PenaltyGrid, progress: ((Int, Int, PathPoint) -> Void)? = nil) -> [PathPoint] {
        let penalties = grid.penalties(base: instance.penalty)
        var current = instance
        var points: [PathPoint] = []
        var previous: Support? = nil
        for (index, penalty) in penalties.enumerated() {
            if stopped { break }
            current.penalty = penalty
            var solver = settings
            if let deadline { solver.timeLimitSeconds = min(solver.timeLimitSeconds ?? .infinity, max(deadline.timeIntervalSinceNow, 0.001)) }
            let result = HeuristicSolver(settings: solver).solve(current, start: previous)
            // A point cut short by the deadline or an interrupt is not a point of the path.
            if result.status == .timeLimit || result.status == .interrupted, stopped { break }
            let point = PathPoint(penalty: penalty, result: result)
            points.append(point)
            previous = result.support
            progress?(index, penalties.count, point)
        }
        return points
    }
}
