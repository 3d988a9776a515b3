import _COpenBLAS

/// The R factor of the Householder QR factorisation A = Q·R of an m × n matrix (LAPACK dgeqrf).
/// Q is not formed: callers that need ‖b − Ax‖ for many x factor the augmented [A b] once and
/// read everything off R (`Instance.compressed()`).
public enum QR {
    /// R (min(m, n) × n, upper trapezoidal, zeros below the diagonal) with AᵀA = RᵀR.
    public static func r(_ a: Matrix) -> Matrix {
        let m = a.rows, n = a.columns
        let rank = min(m, n)
        var r = Matrix(rows: rank, columns: n)
        guard rank > 0 else { return r }
        var factors = a.storage
        var tau = [Double](repeating: 0, count: rank)
        let info = LAPACKE_dgeqrf(LAPACK_COL_MAJOR, Int32(m), Int32(n), &factors, Int32(m), &tau)
        precondition(info == 0, "dgeqrf: illegal argument \(-info)")
        for j in 0..<n { for i in 0...min(j, rank - 1) { r[i, j] = factors[i + j * m] } }
        return r
    }
}
