/// Why a solver stopped (DESIGN.md section 5), apart from whether it has a point to return.
public enum SolveStatus: String, Sendable {
    /// The exact solver proved the gap tolerance was reached.
    case optimal
    /// A user-set gap limit was reached.
    case gapLimit = "gap_limit"
    /// The time limit was reached; the best point and bound so far are returned.
    case timeLimit = "time_limit"
    /// Interrupted (Ctrl-C); the best point and bound so far are returned.
    case interrupted
    /// The bound cannot be raised further for numerical reasons (GLPK failed, or its tree ended
    /// short of the gap): the incumbent and the valid bound so far are returned, with a message.
    case numericalLimit = "numerical_limit"
    /// No feasible point exists.
    case infeasible
    /// The solver failed and has no valid result; see the message.
    case error
    /// An iteration limit was reached; the best point so far is returned.
    case iterationLimit = "iteration_limit"
    /// A convex first-order method (GenGL) met its stopping rule on the relative objective change.
    case converged
    /// The heuristic ended at a local optimum: no move in its neighbourhood improves F
    /// (optimality is not claimed; the exact solver says how far from global it is).
    case localOptimum = "local_optimum"
}
