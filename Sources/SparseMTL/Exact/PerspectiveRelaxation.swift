/// Coefficients at a fractional Z ∈ [0,1]^{p×K}: the minimiser of the perspective relaxation
///
///     Σ_k (1/n_k)‖ỹ_k − X̃_kβ_k‖² + λ tr(BLBᵀ) + α Σ_jk β_jk²/z_jk   (β_jk = 0 where z_jk = 0),
///
/// whose tight dual point gives the cut that lifts a fractional master point toward the
/// perspective bound (DESIGN.md section 3). Any coefficients give a valid cut through
/// `CutBuilder.dualPoint`, so this needs to be good, not exact: the box is ignored, α = 0 is replaced
/// by a small surrogate, and for λ > 0 a few block sweeps over tasks stand in for the joint solve.
/// Each task's block is a ridge with diagonal weights Λ_j = α/z_j + λL_kk (with a perspective
/// shift d_k, λ = 0: (α + d_k)/z_j − d_k, the shifted relaxation of `DualPoint`) and linear term λ·m
/// (m = Σ_l w_kl β_l), solved in whichever form is smaller: with |S| < n the |S| × |S| system
/// (X_SᵀX_S/n + Λ)β_S = b, else the n × n Woodbury form
///     β = Λ⁻¹b − Λ⁻¹X_Sᵀ(nI + X_SΛ⁻¹X_Sᵀ)⁻¹X_SΛ⁻¹b,   b = X_Sᵀỹ/n + λm.
///
/// Tasks with more rows than features (n_k > p) are solved on their Gram matrix G_k = X̃_kᵀX̃_k/n_k,
/// formed once per task on first use (`gram`): each solve then costs |S|³ instead of n_k|S|², which
/// on n = 4 000, p = 64 is what Frank–Wolfe at every node of the tree pays (`NodeRelaxation`).
public struct PerspectiveRelaxation {
    public let instance: Instance
    /// Block sweeps over the tasks when λ > 0.
    public var sweeps = 4
    private let grams: GramCache

    /// G_k and X̃_kᵀỹ_k/n_k of the tasks used so far (a class: the relaxation stays a value, and
    /// the copies a solve makes share it; one thread).
    private final class GramCache: @unchecked Sendable {
        var entries: [Int: (gram: Matrix, correlation: [Double])] = [:]
    }

    public init(_ instance: Instance) {
        self.instance = instance
        grams = GramCache()
    }

    /// G_k = X̃_kᵀX̃_k/n_k and b_k = X̃_kᵀỹ_k/n_k, when task k has more rows than features (else nil).
    func gram(_ k: Int) -> (gram: Matrix, correlation: [Double])? {
        let x = instance.designs[k]
        guard x.rows > x.columns else { return nil }
        if let cached = grams.entries[k] { return cached }
        var b = BLAS.multiply(x, instance.responses[k], .transpose)
        Vector.scale(1 / Double(x.rows), &b)
        let entry = (PerspectiveShift.gram(x), b)
        grams.entries[k] = entry
        return entry
    }

    /// B at the fractional point z (p × K).
    public func coefficients(at z: Matrix) -> Matrix {
        let p = instance.featureCount, kCount = instance.taskCount
        let lambda = instance.penalty.bbar
        var b = Matrix(rows: p, columns: kCount)
        let passes = lambda > 0 && kCount > 1 ? sweeps : 1
        let weights = instance.graph.weightMatrix
        let laplacian = instance.graph.laplacian
        for _ in 0..<passes {
            for k in 0..<kCount {
                var pull = [Double](repeating: 0, count: p)
                if lambda > 0 { for l in 0..<kCount where weights[k, l] > 0 { Vector.axpy(weights[k, l], b.column(l), &pull) } }
                let beta = taskBlock(k, z: z.column(k), diagonalExtra: lambda * laplacian[k, k], linear: pull.map { lambda * $0 })
                b.setColumn(k, beta)
            }
        }
        return b
    }

    /// One task's reweighted ridge; `shift` overrides the task's perspective shift (a node's
    /// restricted shift d_F, `NodeRelaxation`; z must then be 0 outside F).
    func taskBlock(_ k: Int, z: [Double], diagonalExtra: Double, linear: [Double], shift: Double? = nil) -> [Double] {
        let x = instance.designs[k], y = instance.responses[k]
        let n = Double(x.rows), p = x.columns
        let alpha = effectiveRidge(k)
        let support = (0..<p).filter { z[$0] > 1e-12 }
        var beta = [Double](repeating: 0, count: p)
        guard !support.isEmpty else { return beta }
        // With a perspective shift d (`PerspectiveShift`, λ = 0) the relaxation is
        // βᵀ(G − dI)β − 2bᵀβ + Σ_j (α + d)β_j²/z_j: a ridge with weights (α + d)/z_j − d.
        let d = shift ?? (instance.penalty.bbar == 0 ? instance.perspectiveShifts?[k] ?? 0 : 0)
        let inverseWeight = support.map { 1 / ((alpha + d) / min(z[$0], 1) - d + diagonalExtra) }
        if let (g, b) = gram(k) {
            var system = Matrix(rows: support.count, columns: support.count)
            for (c, j) in support.enumerated() { for (r, i) in support.enumerated() { system[r, c] = g[i, j] } }
            for c in support.indices { system[c, c] += 1 / inverseWeight[c] }
            let rhs = support.map { b[$0] + linear[$0] }
            let solved = (try? Cholesky(system))?.solve(rhs) ?? [Double](repeating: 0, count: support.count)
            for (c, j) in support.enumerated() { beta[j] = solved[c] }
            return beta
        }
        let xs = x.columns(support)
        let xty = BLAS.multiply(xs, y, .transpose)
        let rhs = support.indices.map { xty[$0] / n + linear[support[$0]] }
        if support.count < xs.rows {
            // Fewer variables than rows: the primal system (X_SᵀX_S/n + Λ)β_S = b is the smaller one.
            var system = Matrix(rows: support.count, columns: support.count)
            BLAS.syrk(.transpose, alpha: 1 / n, xs, &system)
            for c in support.indices { system[c, c] += 1 / inverseWeight[c] }
            let solved = (try? Cholesky(system))?.solve(rhs) ?? [Double](repeating: 0, count: support.count)
            for (c, j) in support.enumerated() { beta[j] = solved[c] }
            return beta
        }
        let db = zip(inverseWeight, rhs).map { $0 * $1 }
        var scaled = xs
        for (c, d) in inverseWeight.enumerated() {
            let root = d.squareRoot()
            for i in 0..<xs.rows { scaled[i, c] *= root }
        }
        var system = Matrix(rows: xs.rows, columns: xs.rows)
        BLAS.syrk(.none, scaled, &system)  // X_S Λ⁻¹ X_Sᵀ
        for i in 0..<xs.rows { system[i, i] += n }
        let t = BLAS.multiply(xs, db)
        let s = (try? Cholesky(system))?.solve(t) ?? [Double](repeating: 0, count: xs.rows)
        let correction = BLAS.multiply(xs, s, .transpose)
        for (c, j) in support.enumerated() { beta[j] = db[c] - inverseWeight[c] * correction[c] }
        return beta
    }

    /// α, or with α = 0 (a box must then be set) a surrogate 10⁻³ × the mean ‖x_j‖²/n of the task.
    func effectiveRidge(_ k: Int) -> Double {
        let alpha = instance.penalty.ridge
        if alpha > 0 { return alpha }
        let x = instance.designs[k]
        let mean = Vector.dot(x.storage, x.storage) / Double(max(x.rows * x.columns, 1))
        return max(1e-3 * mean, 1e-12)
    }
}
