/// The grids `path` and `cv` use when none is given (DESIGN.md section 7), from the data's own
/// scales, like glmnet's λ_max. On the model's scale (centred, standardised when asked):
///
/// - s: 0 (the intercept-only model), 1, …, min(p, cap, n_max − 1), where n_max is the largest
///   number of rows any task trains on; past it every task could interpolate its rows.
/// - α: 0 and a₀·{10⁻³, 10⁻², 10⁻¹}, with a₀ = mean over tasks and features of ‖x̃_jk‖²/n_k
///   (1 for standardised data): α = a₀/10 shrinks a lone coefficient by about 10 %.
/// - δ (K > 1): 0 and δ₀·{10⁻¹, 1}, with δ₀ = max_jk (x̃_jkᵀỹ_k/n_k)² / (‖x̃_jk‖²/n_k) / d̄:
///   the largest drop in loss any single feature gives its task, over the mean weighted degree
///   d̄ = (1/K) Σ_k Σ_l w_kl. At δ₀ a feature used by one task alone costs as much as the best
///   feature is worth, so supports are (nearly) forced to be common.
/// - λ (K > 1): 0 and λ₀·{10⁻¹, 1, 10}, with λ₀ = a₀/d̄: at λ₀ the pull towards the
///   neighbours' coefficients is as strong as the data's own curvature; at 10λ₀ the tasks
///   share nearly one coefficient vector (pooling, for tasks with few rows each).
/// With K = 1, δ and λ are {0}. Values given by the user replace the rule for that penalty.
/// The default has 4 × 3 × 4 = 48 (α, δ, λ) combinations and s ≤ 30: about 1 500 fits per fold.
public struct AutomaticGrid: Sendable {
    /// The largest s the automatic rule considers before the data's limits (`--max-sparsity`).
    public static let defaultSparsityCap = 30
    /// Multiples of a₀, δ₀ and λ₀ beside 0.
    public static let ridgeFactors = [1e-3, 1e-2, 1e-1]
    public static let zbarFactors = [1e-1, 1]
    public static let bbarFactors = [1e-1, 1, 10]

    /// a₀, δ₀, λ₀ of `instance` (δ₀ = λ₀ = 0 for K = 1 or a graph without edges).
    public let ridgeScale: Double, zbarScale: Double, bbarScale: Double
    /// n_max − 1, capped at p.
    public let sparsityLimit: Int

    /// The scales of `instance`; `trainingRows` caps s (default: the instance's own row counts).
    public init(_ instance: Instance, trainingRows: [Int]? = nil) {
        var variance = 0.0, bestGain = 0.0
        let p = instance.featureCount, kCount = instance.taskCount
        for k in 0..<kCount {
            let x = instance.designs[k], n = Double(max(x.rows, 1))
            let correlation = BLAS.multiply(x, instance.responses[k], .transpose)
            for j in 0..<p {
                let norm = Vector.dot(x.storage, x.rows * j, x.storage, x.rows * j, count: x.rows) / n
                variance += norm
                if norm > 0 { bestGain = max(bestGain, (correlation[j] / n) * (correlation[j] / n) / norm) }
            }
        }
        let a0 = variance / Double(max(p * kCount, 1))
        let degree = instance.graph.edges.reduce(0.0) { $0 + 2 * $1.weight } / Double(max(kCount, 1))
        ridgeScale = a0 > 0 ? a0 : 1
        zbarScale = kCount > 1 && degree > 0 ? bestGain / degree : 0
        bbarScale = kCount > 1 && degree > 0 ? ridgeScale / degree : 0
        let rows = (trainingRows ?? instance.sampleCounts).max() ?? 1
        sparsityLimit = max(0, min(p, rows - 1))
    }

    /// s = 0…min(limit, cap).
    public func sparsities(cap: Int = AutomaticGrid.defaultSparsityCap) -> [Int] { Array(0...max(0, min(sparsityLimit, cap))) }
    /// {0} ∪ a₀·`ridgeFactors`.
    public var ridges: [Double] { [0] + Self.ridgeFactors.map { $0 * ridgeScale } }
    /// {0} ∪ δ₀·`zbarFactors` ({0} when δ₀ = 0).
    public var zbars: [Double] { zbarScale > 0 ? [0] + Self.zbarFactors.map { $0 * zbarScale } : [0] }
    /// {0} ∪ λ₀·`bbarFactors` ({0} when λ₀ = 0).
    public var bbars: [Double] { bbarScale > 0 ? [0] + Self.bbarFactors.map { $0 * bbarScale } : [0] }
}
