import Foundation

/// Laplacian-constrained Gaussian maximum likelihood (DESIGN.md section 6): given the K × K sample
/// covariance S of task vectors, find graph weights w ≥ 0 minimising
///
///     f(w) = tr(L(w)·S) − log det(L(w) + 11ᵀ/K) + ρ Σ_{k<l} w_kl,
///
/// where L(w) = Σ_{k<l} w_kl (e_k − e_l)(e_k − e_l)ᵀ. With d_kl = S_kk + S_ll − 2S_kl (the mean
/// squared distance between the centred task vectors k and l), tr(L S) = Σ w_kl d_kl, so
/// f is convex in w with gradient ∂f/∂w_kl = d_kl + ρ − r_kl, where r_kl = (e_k − e_l)ᵀ(L + 11ᵀ/K)⁻¹(e_k − e_l)
/// is the effective resistance between k and l. At the optimum r_kl = d_kl + ρ on every edge and
/// r_kl ≤ d_kl + ρ where w_kl = 0 (the KKT conditions the tests check).
///
/// Method: projected gradient on w ≥ 0 with an Armijo backtracking line search (every accepted
/// step decreases f, and steps that leave the domain L + 11ᵀ/K ≻ 0 are shortened), stopping when
/// the relative decrease of f falls below `tolerance` or after `maxIterations`.
public struct LaplacianEstimator: Sendable {
    /// ρ: the ℓ1 weight on the off-diagonal (sparser graphs for larger ρ).
    public var l1 = 0.0
    /// Stop when (f_prev − f)/max(1, |f|) < tolerance.
    public var tolerance = 1e-13
    public var maxIterations = 20_000

    public init(l1: Double = 0, tolerance: Double = 1e-13, maxIterations: Int = 20_000) {
        self.l1 = l1
        self.tolerance = tolerance
        self.maxIterations = maxIterations
    }

    /// What the estimate is and how it was reached.
    public struct Estimate: Sendable {
        /// The K × K weight matrix W (symmetric, zero diagonal): w_kl = −L_kl.
        public var weights: Matrix
        /// f after every accepted iteration (the first entry is f at the start).
        public var objectiveTrace: [Double]
        public var iterations: Int
        /// Whether the relative-decrease rule stopped it (false: iteration limit).
        public var converged: Bool
        /// The Laplacian L = diag(W·1) − W.
        public var laplacian: Matrix { TaskGraph.laplacian(of: weights) }
        /// f at the estimate.
        public var objective: Double { objectiveTrace.last ?? .nan }
    }

    /// S = W̃ᵀW̃ / p for task vectors `coefficients` (p × K), after removing from every coordinate
    /// (row) its mean across tasks: each coordinate is one sample of the K-vector.
    public static func covariance(of coefficients: Matrix) -> Matrix {
        var centred = coefficients
        let (p, taskCount) = (coefficients.rows, coefficients.columns)
        for j in 0..<p {
            var mean = 0.0
            for k in 0..<taskCount { mean += centred[j, k] }
            mean /= Double(taskCount)
            for k in 0..<taskCount { centred[j, k] -= mean }
        }
        return BLAS.gram(centred, alpha: 1 / Double(p))
    }

    /// The estimate for sample covariance `s` (K × K, K ≥ 2).
    public func estimate(covariance s: Matrix) -> Estimate {
        let taskCount = s.rows
        precondition(taskCount >= 2 && s.columns == taskCount, "LaplacianEstimator: S must be K × K with K ≥ 2")
        let pairs = (0..<taskCount).flatMap { k in ((k + 1)..<taskCount).map { (k, $0) } }
        // d_kl + ρ, floored so that identical tasks do not send a weight to infinity.
        let meanDistance = pairs.reduce(0.0) { $0 + s[$1.0, $1.0] + s[$1.1, $1.1] - 2 * s[$1.0, $1.1] } / Double(pairs.count)
        let floor = 1e-12 * max(meanDistance, 1e-300)
        let cost = pairs.map { max(s[$0.0, $0.0] + s[$0.1, $0.1] - 2 * s[$0.0, $0.1], floor) + l1 }

        func weights(_ w: [Double]) -> Matrix {
            var m = Matrix(rows: taskCount, columns: taskCount)
            for (e, (k, l)) in pairs.enumerated() { m[k, l] = w[e]; m[l, k] = w[e] }
            return m
        }
        /// f(w) and, when asked, its gradient; nil outside the domain.
        func evaluate(_ w: [Double], gradient: Bool) -> (Double, [Double])? {
            var a = TaskGraph.laplacian(of: weights(w))
            for k in 0..<taskCount { for l in 0..<taskCount { a[k, l] += 1 / Double(taskCount) } }
            guard let chol = try? Cholesky(a) else { return nil }
            let value = zip(w, cost).reduce(0.0) { $0 + $1.0 * $1.1 } - chol.logDeterminant
            guard value.isFinite else { return nil }
            guard gradient else { return (value, []) }
            let inverse = chol.solve(Matrix.identity(taskCount))
            return (value, pairs.enumerated().map { e, kl in
                cost[e] - (inverse[kl.0, kl.0] + inverse[kl.1, kl.1] - 2 * inverse[kl.0, kl.1])
            })
        }

        // Start: the complete graph whose resistances match the mean distance (w = 1/(K·mean d)).
        var w = [Double](repeating: 1 / (Double(taskCount) * cost.reduce(0, +) / Double(cost.count)), count: pairs.count)
        guard var (value, grad) = evaluate(w, gradient: true) else { preconditionFailure("the starting graph is connected") }
        var trace = [value]
        var step = 1 / max(grad.reduce(0) { max($0, abs($1)) }, 1e-300) * (w.first ?? 1)
        var converged = false
        var iteration = 0
        while iteration < maxIterations {
            iteration += 1
            var accepted: (w: [Double], value: Double)? = nil
            for _ in 0..<60 {
                let candidate = zip(w, grad).map { max(0, $0 - step * $1) }
                var decrease = 0.0, distance = 0.0
                for e in 0..<w.count {
                    let d = candidate[e] - w[e]
                    decrease += grad[e] * d
                    distance += d * d
                }
                if distance == 0 { break }
                if let (v, _) = evaluate(candidate, gradient: false), v <= value + decrease + distance / (2 * step) {
                    accepted = (candidate, v)
                    break
                }
                step /= 2
            }
            guard let next = accepted, let (_, g) = evaluate(next.w, gradient: true) else { converged = true; break }
            let change = (value - next.value) / max(1, abs(next.value))
            w = next.w
            value = next.value
            grad = g
            trace.append(value)
            step *= 1.5  // let the step grow back after backtracking
            if change < tolerance { converged = true; break }
        }
        return Estimate(weights: weights(w), objectiveTrace: trace, iterations: iteration, converged: converged)
    }
}
