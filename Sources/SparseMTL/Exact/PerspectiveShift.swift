/// The eigenvalue shift of the perspective relaxation (issue 21; the "optimal perspective" of
/// Dong, Chen and Linderoth 2015 in its simplest, diagonal form, as in OKRidge): each task's Gram
/// matrix G_k = X̃_kᵀX̃_k/n_k is split as (G_k − d_k·I) + d_k·I with G_k − d_k·I positive
/// semidefinite, and the perspective acts on (α + d_k)β_j² instead of αβ_j² (`DualPoint`'s shifted
/// cuts). It pays where λ_min(G_k) > 0, that is n_k > p with no collinear columns: sensor and
/// spectra data with many rows per task. With n_k ≤ p, λ_min = 0 and d_k = 0 (the plain cuts);
/// there the same split on the free features F of a node of the tree (`restricted`) still pays.
public enum PerspectiveShift {
    /// The share of λ_min(G_k) taken as d_k: the rest is the margin that keeps G_k − d_k·I
    /// positive definite through rounding, here and when `verify` checks it.
    public static let share = 0.95

    /// d_k for each task: `shift(of: G_k)` where the task has more rows than features, else 0.
    public static func compute(_ instance: Instance) -> [Double] {
        instance.designs.map { x in x.rows > x.columns + 1 && x.columns > 0 ? shift(of: gram(x)) : 0 }
    }

    /// d_F for a node's feature set F (`DualPoint.Restriction`): `shift(of: G_FF)` where F has
    /// fewer features than the task has rows, else 0. G_FF is taken from `gram` (G, p × p) when
    /// given, else formed from the columns X̃_F.
    public static func restricted(_ design: Matrix, gram: Matrix?, features: [Int]) -> Double {
        guard !features.isEmpty, design.rows > features.count + 1 else { return 0 }
        guard let gram else { return shift(of: Self.gram(design.columns(features))) }
        var g = Matrix(rows: features.count, columns: features.count)
        for (c, j) in features.enumerated() { for (r, i) in features.enumerated() { g[r, c] = gram[i, j] } }
        return shift(of: g)
    }

    /// `share`·λ_min(g) where that exceeds 10⁻⁶ of the mean diagonal of g and `isValid` confirms
    /// it, else 0.
    static func shift(of g: Matrix) -> Double {
        let meanDiagonal = (0..<g.rows).reduce(0.0) { $0 + g[$1, $1] } / Double(g.rows)
        let smallest = SymmetricEigen.smallest(g)
        guard smallest > 1e-6 * meanDiagonal else { return 0 }
        let d = share * smallest
        return isValid(d, gram: g) ? d : 0
    }

    /// Whether G_FF − d·I is positive definite with a margin (`isValid` on the principal submatrix
    /// of G = X̃ᵀX̃/n on F): what `verify` checks for each restricted cut.
    public static func isValid(_ d: Double, design: Matrix, features: [Int]) -> Bool {
        guard !features.isEmpty else { return d == 0 }
        return isValid(d, gram: gram(design.columns(features)))
    }

    /// Whether G − d·I is positive definite with a margin: its Cholesky factorisation succeeds
    /// after a further 10⁻¹⁰·max_j G_jj is taken off the diagonal (far above the rounding of
    /// the factorisation, so a success means G − d·I ⪰ 0 for the exact G). Every shifted cut is a
    /// valid bound exactly when G − d·I ⪰ 0.
    public static func isValid(_ d: Double, gram g: Matrix) -> Bool {
        guard d >= 0, d.isFinite else { return false }
        if d == 0 { return true }
        let largest = (0..<g.rows).map { g[$0, $0] }.max() ?? 0
        var shifted = g
        for j in 0..<g.rows { shifted[j, j] -= d + 1e-10 * largest }
        return (try? Cholesky(shifted)) != nil
    }

    /// G = X̃ᵀX̃/n.
    public static func gram(_ x: Matrix) -> Matrix {
        var g = Matrix(rows: x.columns, columns: x.columns)
        BLAS.syrk(.transpose, alpha: 1 / Double(max(x.rows, 1)), x, &g)
        return g
    }
}
