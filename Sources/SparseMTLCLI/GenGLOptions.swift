import ArgumentParser
import Foundation
import SparseMTL

/// The GenGL penalty and solver settings (`relax`, `compare`).
struct GenGLOptions: ParsableArguments {
    @Option(help: "Penalty preset: \(GenGLPreset.allCases.map(\.rawValue).joined(separator: ", ")) (default group-lasso).")
    var preset: GenGLPreset?

    @Option(help: "Operators instead of a preset: components separated by ';', terms by ',', each TASKS:FEATURES[@WEIGHT] with C, F, F2.")
    var operators: String?

    @Option(parsing: .unconditional, help: "φ: component l is weighted γ/φ^(l−1) (> 0).")
    var phi: Double = 2

    @Option(parsing: .unconditional, help: "ssmtl-m: γ₂, the weight of the task-fusion terms (default γ).")
    var gamma2: Double?

    @Option(parsing: .unconditional, help: "metag: the number of components h (≥ 1).")
    var components: Int = 2

    @Option(parsing: .unconditional, help: "μ, the smoothing parameter (default: the smoothed objective within 1e-5 · F(0) of the true one).")
    var smoothing: Double?

    @Option(parsing: .unconditional, help: "Without a gap rule: stop when the relative change of the objective (smoothing, proximal) or of W (primal-dual) is below this (relax: 1e-4; compare: 1e-6).")
    var tolerance: Double?

    @Option(parsing: .unconditional, help: "Stop when the duality gap (objective − dual)/objective is at most this (default 1e-6; 0: no gap rule, stop on --tolerance; --algorithm smoothing: no gap rule unless given).")
    var gap: Double?

    @Option(help: "Method: auto (proximal gradient where the penalty is separable: lasso, group-lasso, rmtfl; else smoothing), smoothing or proximal.")
    var algorithm: GenGLAlgorithm = .auto

    @Option(parsing: .unconditional, help: "Iteration limit (over all continuation stages).")
    var maxIterations: Int = GenGLSettings().maxIterations

    @Option(parsing: .unconditional, help: "GenGL: entry (j, k) is in the support when |w_jk|·sd(x_jk) exceeds this fraction of sd(y_k).")
    var supportThreshold: Double = 1e-3

    func validate() throws {
        if preset != nil && operators != nil { throw ValidationError("give --preset or --operators, not both") }
        if !(phi > 0 && phi.isFinite) { throw ValidationError("--phi must be positive") }
        if components < 1 { throw ValidationError("--components must be at least 1") }
        if let t = tolerance, !(t > 0) { throw ValidationError("--tolerance must be positive") }
        if maxIterations < 1 { throw ValidationError("--max-iterations must be at least 1") }
        if let s = smoothing, !(s > 0 && s.isFinite) { throw ValidationError("--smoothing must be positive") }
        if !(supportThreshold >= 0 && supportThreshold < 1) { throw ValidationError("--support-threshold must be in [0, 1)") }
        if let g = gamma2, !(g >= 0 && g.isFinite) { throw ValidationError("--gamma2 must be ≥ 0") }
        if let gap, !(gap >= 0 && gap < 1) { throw ValidationError("--gap must be in [0, 1)") }
    }

    /// The penalty at γ.
    func penalty(gamma: Double) throws -> GenGLPenalty {
        if let operators { return GenGLPenalty(components: try GenGLPreset.parseOperators(operators), gamma: gamma, phi: phi) }
        return (preset ?? .groupLasso).penalty(gamma: gamma, phi: phi, gamma2: gamma2, components: components)
    }

    /// The solver, stopping at `--tolerance` or else at `defaultTolerance`.
    func solver(defaultTolerance: Double) -> GenGLSolver {
        var settings = GenGLSettings()
        settings.smoothing = smoothing
        settings.tolerance = tolerance ?? defaultTolerance
        settings.maxIterations = maxIterations
        let target = gap ?? (algorithm == .smoothing ? 0 : 1e-6)
        settings.gap = target > 0 ? target : nil
        settings.algorithm = algorithm
        return GenGLSolver(settings: settings)
    }

    /// The result of one fit as JSON (coefficients and components in original units); a tensor-form
    /// fit also records its feature map, which `predict` applies to new rows.
    func json(_ result: GenGLResult, penalty: GenGLPenalty, instance: Instance, interactions: InteractionFeatures? = nil) -> JSONValue {
        let pre = instance.preprocessing
        let original = pre.toOriginalUnits(result.coefficients)
        let support = result.support(instance, relativeThreshold: supportThreshold)
        let terms = penalty.components.map { terms in
            JSONValue.array(terms.map { .string($0.description) })
        }
        return .object([
            ("status", .string(result.status.rawValue)), ("objective", .number(result.objective)),
            ("duality_gap", .number(result.dualityGap?.relative)), ("dual_objective", .number(result.dualityGap?.dual)),
            ("loss", .number(result.loss)), ("penalty_value", .number(result.penaltyValue)),
            ("smoothed_objective", .number(result.smoothedObjective)), ("smoothing", .number(result.mu)),
            ("lipschitz", .number(result.lipschitz)), ("iterations", .int(result.iterations)), ("seconds", .number(result.seconds)),
            ("gengl", .object([("preset", operators == nil ? .string((preset ?? .groupLasso).rawValue) : .null), ("gamma", .number(penalty.gamma)),
                               ("phi", .number(penalty.phi)), ("operators", .array(terms))])),
            ("tasks", .array(instance.taskLabels.map { .string($0) })),
            ("features", .array(instance.featureNames.map { .string($0) })),
            ("support", .array(support.indices.map { .array($0.map { .int($0) }) })),
            ("coefficients", JSONValue.rows(original)),
            ("components", .array(result.components.map { JSONValue.rows(pre.toOriginalUnits($0)) })),
            ("intercepts", .array(pre.intercepts(originalCoefficients: original).map { .number($0) })),
        ] + (interactions.map { [("interactions", $0.json)] } ?? []) + instance.modelRecord)
    }

    /// A comma-separated list of numbers ≥ 0.
    static func parseList(_ text: String, flag: String) throws -> [Double] {
        let values = text.split(separator: ",").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard !values.isEmpty, values.allSatisfy({ $0 != nil && $0! >= 0 && $0!.isFinite }) else {
            throw InputError(file: flag, "expected numbers ≥ 0 separated by commas, got \"\(text)\"")
        }
        return values.map { $0! }
    }
}

extension GenGLPreset: ExpressibleByArgument {}
extension GenGLAlgorithm: ExpressibleByArgument {}
