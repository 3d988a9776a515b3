import Foundation

/// What a solver returns: its status, the incumbent (B, Z) with F recomputed from B by
/// `Objective.evaluate`, a lower bound when it has one, time and counters.
public struct SolveResult: Sendable {
    /// Why the solver stopped.
    public var status: SolveStatus
    /// "heuristic" or "exact".
    public var method: String
    /// B on the model's scale (p × K).
    public var coefficients: Matrix
    /// Z.
    public var support: Support
    /// F(B, Z) and its parts, recomputed from B and Z.
    public var objective: ObjectiveValue
    /// A certified lower bound on F, if any (nil for the heuristic).
    public var lowerBound: Double?
    /// Wall-clock seconds.
    public var seconds: Double
    /// Named counts (iterations, swaps, …), in the order they should be printed.
    public var counters: [(String, Int)]
    /// Why the solver stopped, in words, when the status alone does not say (numerical_limit, error).
    public var message: String? = nil

    public init(status: SolveStatus, method: String, coefficients: Matrix, support: Support,
                objective: ObjectiveValue, lowerBound: Double? = nil, seconds: Double, counters: [(String, Int)] = []) {
        self.status = status
        self.method = method
        self.coefficients = coefficients
        self.support = support
        self.objective = objective
        self.lowerBound = lowerBound
        self.seconds = seconds
        self.counters = counters
    }

    /// (UB − LB) / max(|UB|, 1e-10), as MIP solvers report it, in the units the solver worked in
    /// (the exact solver's bring F near 4096, `ProblemScaling`, so the floor does not depend on the
    /// data's units); nil without a bound. Set by the solver when it changed units.
    public var gap: Double? {
        get { gapInSolverUnits ?? lowerBound.map { (objective.objective - $0) / max(abs(objective.objective), 1e-10) } }
        set { gapInSolverUnits = newValue }
    }
    private var gapInSolverUnits: Double? = nil

    /// The result as the JSON of DESIGN.md section 5 (coefficients and intercepts in original units):
    /// a model file that `predict` reads (`FittedModel`).
    public func json(_ instance: Instance) -> JSONValue {
        let original = instance.preprocessing.toOriginalUnits(coefficients)
        let intercepts = instance.preprocessing.intercepts(originalCoefficients: original)
        let p = instance.penalty
        return .object([
            ("status", .string(status.rawValue)),
            ("message", message.map { .string($0) } ?? .null),
            ("method", .string(method)),
            ("instance", .string(instance.name)),
            ("objective", .number(objective.objective)),
            ("lower_bound", .number(lowerBound)),
            ("gap", .number(gap)),
            ("seconds", .number(seconds)),
            ("feasible", .bool(objective.feasible)),
            ("objective_parts", .object([("loss", .number(objective.loss)), ("ridge", .number(objective.ridge)),
                                         ("bbar", .number(objective.bbar)), ("zbar", .number(objective.zbar))])),
            ("penalty", .object([("sparsity", .int(p.sparsity)), ("ridge", .number(p.ridge)), ("bbar", .number(p.bbar)),
                                 ("zbar", .number(p.zbar)), ("big_m", .number(p.bigM))])),
            ("task_graph", .string(instance.graph.origin)),
            ("task_graph_edges", .array(instance.graph.edges.map {
                .array([.string(instance.taskLabels[$0.k]), .string(instance.taskLabels[$0.l]), .number($0.weight)])
            })),
            ("standardized", .bool(instance.preprocessing.standardized)),
            ("tasks", .array(instance.taskLabels.map { .string($0) })),
            ("features", .array(instance.featureNames.map { .string($0) })),
            ("support", .array(support.indices.map { .array($0.map { .int($0) }) })),
            ("coefficients", .rows(original)),
            ("intercepts", .array(intercepts.map { .number($0) })),
        ] + instance.modelRecord + counters.map { ($0.0, .int($0.1)) })
    }
}
