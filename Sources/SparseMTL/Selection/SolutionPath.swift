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

    public init(settings: HeuristicSettings = HeuristicSettings()) { self.settings = settings }

    /// Solves `instance` at every penalty of the grid (α and M stay the instance's).
    /// - Parameter progress: called after each point with its index, the count and the point.
    public func run(_ instance: Instance, grid: PenaltyGrid, progress: ((Int, Int, PathPoint) -> Void)? = nil) -> [PathPoint] {
        let penalties = grid.penalties(base: instance.penalty)
        var current = instance
        var points: [PathPoint] = []
        var previous: Support? = nil
        for (index, penalty) in penalties.enumerated() {
            if Interrupt.isRequested { break }
            current.penalty = penalty
            let result = HeuristicSolver(settings: settings).solve(current, start: previous)
            let point = PathPoint(penalty: penalty, result: result)
            points.append(point)
            previous = result.support
            progress?(index, penalties.count, point)
        }
        return points
    }
}
