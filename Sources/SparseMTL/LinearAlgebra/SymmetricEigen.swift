import _COpenBLAS

/// Eigenvalues of a symmetric matrix (LAPACK dsyevr). Only the lower triangle is read.
public enum SymmetricEigen {
    /// The largest eigenvalue of the symmetric matrix `a` (n × n, n ≥ 1).
    public static func largest(_ a: Matrix) -> Double { eigenvalue(a, index: a.rows) }

    /// The smallest eigenvalue of the symmetric matrix `a` (n × n, n ≥ 1).
    public static func smallest(_ a: Matrix) -> Double { eigenvalue(a, index: 1) }

    /// The eigenvalue of rank `index` (1 = smallest, n = largest).
    static func eigenvalue(_ a: Matrix, index: Int) -> Double {
        precondition(a.rows == a.columns && a.rows > 0, "SymmetricEigen needs a non-empty square matrix")
        let n = Int32(a.rows), which = Int32(index)
        var work = a.storage
        var found: Int32 = 0
        var values = [Double](repeating: 0, count: a.rows)
        var vectors = [Double](repeating: 0, count: 1)
        var support = [Int32](repeating: 0, count: 2 * a.rows)
        let info = LAPACKE_dsyevr(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "N")), Int8(UInt8(ascii: "I")), Int8(UInt8(ascii: "L")),
                                  n, &work, n, 0, 0, which, which, 0, &found, &values, &vectors, 1, &support)
        precondition(info == 0 && found == 1, "dsyevr failed (info \(info))")
        return values[0]
    }
}
