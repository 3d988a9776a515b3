import Foundation

/// Learns the task graph w from the data (DESIGN.md section 6, seed: "Multitask Learning with
/// Learned Task Relationships"): each task is fitted alone (non-cooperative estimates β_k), the
/// K × K sample covariance of the task vectors is taken across the p coordinates, and the
/// Laplacian is estimated by `LaplacianEstimator`. The weights w_kl = −L_kl become the task graph.
public struct TaskGraphLearning: Sendable, Equatable {
    /// How each task is fitted alone.
    public enum Fit: String, Sendable, CaseIterable {
        /// β_k = (X̃_kᵀX̃_k/n_k + α_g I)⁻¹ X̃_kᵀỹ_k/n_k.
        case ridge
        /// The heuristic at the problem's s and α, with λ = δ = 0 (tasks independent).
        case sparse
    }

    public var fit: Fit = .ridge
    /// α_g of the ridge fits.
    public var ridge = 0.1
    /// ρ, the ℓ1 weight of the estimator.
    public var l1 = 0.0
    /// Weights below threshold × the largest weight are dropped (0 keeps every positive weight).
    public var threshold = 0.0
    /// Rescale the weights so they sum to (K − 1)/2, the total of the default complete graph
    /// (w = 1/K), so that λ and δ keep the size they have with the default graph.
    public var normalize = false

    public init() {}

    /// The learned graph and how it was obtained.
    public struct Learned: Sendable {
        public var graph: TaskGraph
        /// The non-cooperative estimates (p × K, model scale).
        public var coefficients: Matrix
        public var covariance: Matrix
        public var estimate: LaplacianEstimator.Estimate
        /// The factor the estimate's weights were multiplied by (1 unless normalised).
        public var scale: Double
        /// Things the user should know (few coordinates per task pair).
        public var warnings: [String]
    }

    /// Learns the graph of `instance` (its own graph is not used).
    /// - Throws: `InputError` when there are fewer than 2 tasks or a setting is out of range.
    public func learn(_ instance: Instance) throws -> Learned {
        let taskCount = instance.taskCount, p = instance.featureCount
        guard taskCount >= 2 else { throw InputError(file: "--task-graph", "learning a task graph needs at least 2 tasks, the data has 1") }
        guard ridge > 0, ridge.isFinite else { throw InputError(file: "--graph-ridge", "the ridge of the per-task fits must be positive, got \(ridge)") }
        guard l1 >= 0, l1.isFinite else { throw InputError(file: "--graph-l1", "the ℓ1 weight must be ≥ 0, got \(l1)") }
        guard (0..<1).contains(threshold) else { throw InputError(file: "--graph-threshold", "the threshold must be in [0, 1), got \(threshold)") }
        let coefficients: Matrix
        switch fit {
        case .ridge:
            var b = Matrix(rows: p, columns: taskCount)
            for k in 0..<taskCount {
                let beta = Self.ridgeFit(instance.designs[k], instance.responses[k], alpha: ridge)
                for j in 0..<p { b[j, k] = beta[j] }
            }
            coefficients = b
        case .sparse:
            var alone = instance
            alone.penalty.bbar = 0
            alone.penalty.zbar = 0
            coefficients = HeuristicSolver().solve(alone).coefficients
        }
        var warnings: [String] = []
        if p < 10 * taskCount {
            warnings.append("p = \(p) coordinates for K = \(taskCount) tasks: the graph estimate needs many coordinates per task pair (p ≫ K); treat it with care")
        }
        let covariance = LaplacianEstimator.covariance(of: coefficients)
        let estimate = LaplacianEstimator(l1: l1).estimate(covariance: covariance)
        if !estimate.converged { warnings.append("the graph estimator stopped at its iteration limit (\(estimate.iterations))") }
        var weights = estimate.weights
        let largest = (0..<taskCount).flatMap { k in (0..<taskCount).map { weights[k, $0] } }.max() ?? 0
        var total = 0.0
        for k in 0..<taskCount {
            for l in 0..<taskCount where l != k {
                if weights[k, l] < threshold * largest { weights[k, l] = 0 }
                if l > k { total += weights[k, l] }
            }
        }
        let scale = normalize && total > 0 ? Double(taskCount - 1) / 2 / total : 1
        if scale != 1 { for k in 0..<taskCount { for l in 0..<taskCount { weights[k, l] *= scale } } }
        let graph = TaskGraph(weights: weights, origin: "learned (\(fit.rawValue) fits\(l1 > 0 ? ", ℓ1 \(l1)" : "")\(normalize ? ", normalised" : ""))")
        return Learned(graph: graph, coefficients: coefficients, covariance: covariance, estimate: estimate, scale: scale, warnings: warnings)
    }

    /// The ridge estimate (XᵀX/n + αI)⁻¹Xᵀy/n, through the n × n system Xᵀ(XXᵀ/n + αI)⁻¹y/n when n < p.
    static func ridgeFit(_ x: Matrix, _ y: [Double], alpha: Double) -> [Double] {
        let (n, p) = (x.rows, x.columns)
        let scale = 1 / Double(n)
        if p <= n {
            var a = BLAS.gram(x, alpha: scale)
            for j in 0..<p { a[j, j] += alpha }
            let rhs = BLAS.multiply(x, y, .transpose).map { $0 * scale }
            guard let chol = try? Cholesky(a) else { preconditionFailure("XᵀX/n + αI with α > 0 is positive definite") }
            return chol.solve(rhs)
        }
        var a = BLAS.multiply(x, x, .none, .transpose)
        for i in 0..<n { for j in 0..<n { a[i, j] *= scale } ; a[i, i] += alpha }
        guard let chol = try? Cholesky(a) else { preconditionFailure("XXᵀ/n + αI with α > 0 is positive definite") }
        return BLAS.multiply(x, chol.solve(y.map { $0 * scale }), .transpose)
    }
}
