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
/// 3. U_g is a dual point of each group, the primal–dual method's (c_g times its unit-ball point) or
///    the smoothed problem's, U_g = c²A_g w/max(μ, c‖A_g w‖), plus the
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

/// Builds the dual point of `GenGLDualityGap` at any fit of one objective; what depends only on the
/// data and the penalty (the groups, the free subspaces, the projection of θ) is prepared once.
struct GenGLDualPoint {
    let objective: GenGLObjective
    /// The groups of every component, where dual points U_g live (one flat vector per component).
    let layouts: [GroupLayout]
    let subspaces: [GenGLPenalty.Subspace]
    /// gramEigenvalues[l][s]: Σ_g c_g²A_gᵀA_g of component l on subspace s (0: not penalised there).
    let gramEigenvalues: [[Double]]
    /// How θ is made to vanish on the free subspaces: nothing, per task, or on the stacked designs.
    enum Projection {
        case none
        case perTask([RangeProjector])
        case pooled(RangeProjector)
    }
    /// nil when the free subspaces are not of a handled kind.
    let projection: Projection?
    /// Where the penalty leaves W's task-constant part c1ᵀ free (pair differences over tasks): the
    /// stacked designs, rows of task k scaled by 1/√n_k, whose least squares give the exact
    /// minimiser over c (`minimizeCommonPart`); nil otherwise.
    let commonPart: RangeProjector?

    /// Whether `gap` meets the relative target: F − D ≤ target·|F|, or F − D ≤ 10⁻¹²·F(0) (F(0) =
    /// Σ_k ‖ỹ_k‖²/n_k, the objective at W = 0), the rounding level of the problem's scale, where a
    /// relative gap has no meaning: an optimum of 0, as when metag's free task-constant part
    /// interpolates the data (Σ_k n_k ≤ p). An absolute floor as in Clarabel's tol_gap_abs.
    func closes(_ gap: GenGLDualityGap, target: Double) -> Bool {
        gap.relative <= target || gap.primal - gap.dual <= 1e-12 * objective.nullLoss
    }

    init(_ objective: GenGLObjective) {
        self.objective = objective
        let instance = objective.instance, penalty = objective.penalty
        let (p, kCount, h) = (instance.featureCount, instance.taskCount, penalty.components.count)
        layouts = (0..<h).map { GroupLayout(penalty, component: $0, features: p, tasks: kCount) }
        let subspaces = GenGLPenalty.Subspace.all(features: p, tasks: kCount)
        self.subspaces = subspaces
        let eigenvalues = (0..<h).map { l in subspaces.map { penalty.weightedGram(component: l, on: $0, features: p, tasks: kCount) } }
        gramEigenvalues = eigenvalues
        // Subspaces some component leaves unpenalised: V must have no part there.
        let free = Set(subspaces.indices.filter { s in eigenvalues.contains { $0[s] == 0 } }.map { subspaces[$0] })
        if free.isEmpty {
            projection = Projection.none
        } else if free == Set(subspaces) {
            // Nothing penalised (γ = 0): X̃_kᵀθ_k = 0 in every task.
            projection = .perTask(instance.designs.map(RangeProjector.init))
        } else if free == Set(subspaces.filter(\.tasksOnes)) {
            // W's part constant across tasks is free: Σ_k X̃_kᵀθ_k = 0, θ projected on the stacked designs.
            let pooled = RangeProjector(GenGLObjective.stacked(instance.designs))
            projection = .pooled(pooled)
            // With equal n_k the weights 1/n_k are one factor: the same least squares.
            let counts = Set(instance.designs.map(\.rows))
            commonPart = counts.count == 1 ? pooled : RangeProjector(GenGLObjective.stacked(instance.designs.map { x in
                var scaled = x
                Vector.scale(1 / Double(max(x.rows, 1)).squareRoot(), &scaled.storage)
                return scaled
            }))
            return
        } else {
            projection = nil
        }
        commonPart = nil
    }

    /// The duality gap at `components` (W_l); nil when the penalty leaves a subspace free that this
    /// construction does not handle (custom operator sets with pair differences over features and
    /// no term covering the rest).
    /// - Parameter duals: the groups' dual points U_g (unit ball, one flat vector per component in
    ///   `layouts`) of a primal–dual method; nil: the smoothed problem's at μ.
    func gap(_ components: [Matrix], mu: Double, duals: [[Double]]? = nil) -> GenGLDualityGap? {
        guard let projection else { return nil }
        let instance = objective.instance, penalty = objective.penalty
        let (p, kCount, h) = (instance.featureCount, instance.taskCount, components.count)
        let w = GenGLObjective.sum(components)
        var theta: [[Double]] = [], loss = 0.0
        for k in 0..<kCount {
            let n = Double(max(instance.designs[k].rows, 1))
            var r = objective.residual(w, task: k)
            loss += Vector.dot(r, r) / n
            Vector.scale(2 / n, &r)
            theta.append(r)
        }
        let primal = loss + (0..<h).reduce(0.0) { $0 + penalty.value(components[$1], component: $1) }
        switch projection {
        case .none: break
        case .perTask(let projectors): theta = (0..<kCount).map { projectors[$0].removingRange(from: theta[$0]) }
        case .pooled(let projector):
            let projected = projector.removingRange(from: theta.flatMap { $0 })
            var start = 0
            for k in 0..<kCount { theta[k] = Array(projected[start..<(start + theta[k].count)]); start += theta[k].count }
        }
        var v = Matrix(rows: p, columns: kCount)
        for k in 0..<kCount { v.setColumn(k, BLAS.multiply(instance.designs[k], theta[k], .transpose)) }
        var rho = 1.0
        for l in 0..<h {
            let u = duals?[l] ?? layouts[l].smoothingDuals(components[l], mu: max(mu, 1e-200))
            // The residual V − Σ_g c_g A_gᵀu_g, spread over the groups by the least-norm correction.
            var residual = v
            layouts[l].addAdjoint(u, scale: -1, into: &residual)
            rho = max(rho, layouts[l].dualRatio(u, correction: leastNormCorrection(residual, component: l)))
        }
        let dual = (0..<kCount).reduce(0.0) { sum, k in
            let n = Double(max(instance.designs[k].rows, 1))
            return sum + Vector.dot(theta[k], instance.responses[k]) / rho - n / 4 * Vector.dot(theta[k], theta[k]) / (rho * rho)
        }
        return GenGLDualityGap(primal: primal, dual: dual)
    }

    /// Moves W's task-constant part to its exact minimiser, c ← c + argmin_Δ Σ_k (1/n_k)‖r_k − X̃_kΔ‖²
    /// (r_k the residuals at W = Σ_l W_l), added to every column of W_1; nothing where that part is
    /// penalised. Afterwards Σ_k ∇_k f = 0: the gradient has no task-constant part.
    func minimizeCommonPart(_ components: inout [Matrix]) {
        guard let commonPart else { return }
        let instance = objective.instance
        let w = GenGLObjective.sum(components)
        let equal = Set(instance.designs.map(\.rows)).count == 1
        var t: [Double] = []
        for k in 0..<instance.taskCount {
            var r = objective.residual(w, task: k)
            if !equal { Vector.scale(1 / Double(max(r.count, 1)).squareRoot(), &r) }
            t += r
        }
        let step = commonPart.leastSquares(t)
        let p = step.count
        components[0].storage.withUnsafeMutableBufferPointer { w in
            for k in 0..<instance.taskCount { for j in 0..<p { w[j + k * p] += step[j] } }
        }
    }

    /// Ω°(V) of the objective's penalty, bounded above by the construction of `gap` (group dual
    /// points that are the least-norm correction alone): exact where each component's groups
    /// partition W's entries (lasso, group lasso, rMTFL), an upper bound otherwise. nil where the
    /// penalty leaves a subspace free (Ω° is then infinite off the subspace's complement).
    func dualNorm(_ v: Matrix) -> Double? {
        guard case .none? = projection else { return nil }
        return layouts.indices.reduce(0.0) { largest, l in
            max(largest, layouts[l].dualRatio([Double](repeating: 0, count: layouts[l].size), correction: leastNormCorrection(v, component: l)))
        }
    }

    /// Y = M_l⁺E, M_l = Σ_g c_g²A_gᵀA_g of component l: on each of the four subspaces M_l is a
    /// multiple m of the identity, so Y is E's part there over m, summed over the subspaces it
    /// penalises (E's part on the others is 0 up to rounding, after the projection of θ).
    func leastNormCorrection(_ e: Matrix, component l: Int) -> Matrix {
        let (p, kCount) = (e.rows, e.columns)
        var rowMean = [Double](repeating: 0, count: p), columnMean = [Double](repeating: 0, count: kCount)
        for k in 0..<kCount { for j in 0..<p { rowMean[j] += e[j, k] / Double(kCount); columnMean[k] += e[j, k] / Double(p) } }
        let total = rowMean.reduce(0, +) / Double(p)
        var out = Matrix(rows: p, columns: kCount)
        for (s, subspace) in subspaces.enumerated() where gramEigenvalues[l][s] > 0 {
            let scale = 1 / gramEigenvalues[l][s]
            for k in 0..<kCount {
                for j in 0..<p {
                    let part: Double
                    switch (subspace.tasksOnes, subspace.featuresOnes) {
                    case (true, true): part = total
                    case (true, false): part = rowMean[j] - total
                    case (false, true): part = columnMean[k] - total
                    case (false, false): part = e[j, k] - rowMean[j] - columnMean[k] + total
                    }
                    out[j, k] += scale * part
                }
            }
        }
        return out
    }
}

/// θ ↦ θ − Pθ, P the orthogonal projection on the column space of X (n × p), through the pseudo-
/// inverse of the smaller of XXᵀ and XᵀX (computed once).
struct RangeProjector {
    let x: Matrix
    let inverse: SymmetricPseudoInverse?
    let outer: Bool

    init(_ x: Matrix) {
        self.x = x
        outer = x.rows <= x.columns
        guard x.rows > 0, x.columns > 0 else { inverse = nil; return }
        inverse = SymmetricPseudoInverse(outer ? BLAS.multiply(x, x, .none, .transpose) : BLAS.gram(x))
    }

    func removingRange(from theta: [Double]) -> [Double] {
        guard inverse != nil else { return theta }
        var out = theta
        BLAS.gemv(.none, alpha: -1, x, leastSquares(theta), beta: 1, &out)
        return out
    }

    /// c = X⁺θ, the least-norm minimiser of ‖θ − Xc‖ (Pθ = Xc): Xᵀ(XXᵀ)⁺θ or (XᵀX)⁺Xᵀθ.
    func leastSquares(_ theta: [Double]) -> [Double] {
        guard let inverse else { return [Double](repeating: 0, count: x.columns) }
        return outer ? BLAS.multiply(x, inverse.solve(theta), .transpose) : inverse.solve(BLAS.multiply(x, theta, .transpose))
    }
}

extension GenGLObjective {
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
