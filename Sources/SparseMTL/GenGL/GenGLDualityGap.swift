import Foundation

/// A duality gap of a GenGL fit: an upper bound on how far its objective is above the optimum.
///
/// The loss is a maximum over residual duals, (1/n_k)‖r_k‖² = max_θ θᵀr_k − (n_k/4)‖θ‖², so for
/// F(W_1, …, W_h) = Σ_k (1/n_k)‖ỹ_k − X̃_k w_k‖² + Σ_l Ω_l(W_l) with W = Σ_l W_l,
///
///     F* ≥ D(θ) = Σ_k θ_kᵀỹ_k − (n_k/4)‖θ_k‖²   for every θ with Ω_l°(V) ≤ 1 for all l,
///
/// where V = [X̃_kᵀθ_k]_k (p × K) and Ω_l° is the dual norm of Ω_l = Σ_g c_g‖A_g w‖: Ω_l°(V) ≤ ρ
/// when V = Σ_g A_gᵀU_g with ‖U_g‖ ≤ ρ c_g. The dual point is built from the fit:
/// 1. θ_k = 2r_k/n_k (optimal at the optimum);
/// 2. where a component does not penalise a subspace of W (pair differences leave W's part that
///    is constant across tasks free), V must vanish there: θ is projected so that it does;
/// 3. U_g is the smoothed problem's dual point of each group, U_g = c²A_g w/max(μ, c‖A_g w‖), plus the
///    group's share of the least-norm correction of V − Σ_g A_gᵀU_g (closed form: every term's
///    Σ_g A_gᵀA_g is a multiple of the identity on four subspaces, `GenGLPenalty.Subspace`);
/// 4. θ is divided by ρ = max(1, max_l max_g ‖U_g‖/c_g), which makes it feasible.
/// As the fit converges and μ → 0 the correction vanishes, ρ → 1 and the gap → 0. The gap is
/// exact up to rounding (the projection and the correction hold to about 10⁻¹³ relative).
public struct GenGLDualityGap: Sendable, Equatable {
    /// F at the fit (unsmoothed).
    public var primal: Double
    /// D(θ/ρ): a lower bound on the optimum.
    public var dual: Double

    /// (F − D)/|F|, an upper bound on the fit's relative distance to the optimum.
    public var relative: Double { max(primal - dual, 0) / max(abs(primal), 1e-300) }
}

extension GenGLObjective {
    /// The duality gap at `components` (W_l), with the smoothing μ the fit ended at (its dual
    /// points); nil when the penalty leaves a subspace free that this construction does not
    /// handle (custom operator sets with pair differences over features; see README).
    func dualityGap(_ components: [Matrix], mu: Double) -> GenGLDualityGap? {
        let (p, kCount, h) = (instance.featureCount, instance.taskCount, components.count)
        let w = Self.sum(components)
        var theta: [[Double]] = [], loss = 0.0
        for k in 0..<kCount {
            let n = Double(max(instance.designs[k].rows, 1))
            var r = instance.responses[k]
            BLAS.gemv(.none, alpha: -1, instance.designs[k], w.column(k), beta: 1, &r)
            loss += Vector.dot(r, r) / n
            Vector.scale(2 / n, &r)
            theta.append(r)
        }
        let primal = loss + (0..<h).reduce(0.0) { $0 + penalty.value(components[$1], component: $1) }
        // Subspaces some component leaves unpenalised: V must have no part there.
        let subspaces = GenGLPenalty.Subspace.all(features: p, tasks: kCount)
        let free = Set(subspaces.filter { s in (0..<h).contains { penalty.weightedGram(component: $0, on: s, features: p, tasks: kCount) == 0 } })
        if free == Set(subspaces) {
            // Nothing penalised (γ = 0): X̃_kᵀθ_k = 0 in every task.
            theta = (0..<kCount).map { Self.removingRange(of: instance.designs[$0], from: theta[$0]) }
        } else if free == Set(subspaces.filter(\.tasksOnes)) {
            // W's part constant across tasks is free: Σ_k X̃_kᵀθ_k = 0, θ projected on the stacked designs.
            let stacked = Self.stacked(instance.designs)
            let projected = Self.removingRange(of: stacked, from: theta.flatMap { $0 })
            var start = 0
            for k in 0..<kCount { theta[k] = Array(projected[start..<(start + theta[k].count)]); start += theta[k].count }
        } else if !free.isEmpty {
            return nil
        }
        var v = Matrix(rows: p, columns: kCount)
        for k in 0..<kCount { v.setColumn(k, BLAS.multiply(instance.designs[k], theta[k], .transpose)) }
        var rho = 1.0
        let smoothing = max(mu, 1e-200)
        for l in 0..<h {
            var gradient = Matrix(rows: p, columns: kCount)
            _ = penalty.smoothed(components[l], component: l, mu: smoothing, gradient: &gradient)
            var residual = v
            Vector.axpy(-1, gradient.storage, &residual.storage)
            var correction = Matrix(rows: p, columns: kCount)
            for s in subspaces {
                let m = penalty.weightedGram(component: l, on: s, features: p, tasks: kCount)
                if m > 0 { Vector.axpy(1 / m, s.part(of: residual).storage, &correction.storage) }
            }
            rho = max(rho, penalty.dualRatio(components[l], component: l, mu: smoothing, correction: correction))
        }
        let dual = (0..<kCount).reduce(0.0) { sum, k in
            let n = Double(max(instance.designs[k].rows, 1))
            return sum + Vector.dot(theta[k], instance.responses[k]) / rho - n / 4 * Vector.dot(theta[k], theta[k]) / (rho * rho)
        }
        return GenGLDualityGap(primal: primal, dual: dual)
    }

    /// θ − P θ, P the orthogonal projection on the column space of `x` (n × p), through the smaller
    /// of X̃X̃ᵀ and X̃ᵀX̃ and a pseudo-inverse.
    static func removingRange(of x: Matrix, from theta: [Double]) -> [Double] {
        guard x.rows > 0, x.columns > 0 else { return theta }
        var out = theta
        if x.rows <= x.columns {
            let outer = BLAS.multiply(x, x, .none, .transpose)
            let z = SymmetricEigen.pseudoSolve(outer, theta)
            BLAS.gemv(.none, alpha: -1, outer, z, beta: 1, &out)
        } else {
            let lambda = SymmetricEigen.pseudoSolve(BLAS.gram(x), BLAS.multiply(x, theta, .transpose))
            BLAS.gemv(.none, alpha: -1, x, lambda, beta: 1, &out)
        }
        return out
    }

    /// The designs one above the other (Σ n_k × p).
    static func stacked(_ designs: [Matrix]) -> Matrix {
        let rows = designs.reduce(0) { $0 + $1.rows }, p = designs.first?.columns ?? 0
        var out = Matrix(rows: rows, columns: p)
        var start = 0
        for x in designs {
            for j in 0..<p { for i in 0..<x.rows { out[start + i, j] = x[i, j] } }
            start += x.rows
        }
        return out
    }
}
