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

    /// The least-norm solution x = A⁺b of the symmetric positive semidefinite system A x = b, through
    /// the eigenvectors of A: eigenvalues below `relativeTolerance`·λ_max count as zero (the part of
    /// b along them is dropped, as a pseudo-inverse does).
    public static func pseudoSolve(_ a: Matrix, _ b: [Double], relativeTolerance: Double = 1e-12) -> [Double] {
        precondition(a.rows == a.columns && a.rows == b.count && a.rows > 0, "pseudoSolve needs a square matrix and a matching vector")
        let n = Int32(a.rows)
        var work = a.storage
        var found: Int32 = 0
        var values = [Double](repeating: 0, count: a.rows)
        var vectors = [Double](repeating: 0, count: a.rows * a.rows)
        var support = [Int32](repeating: 0, count: 2 * a.rows)
        let info = LAPACKE_dsyevr(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "V")), Int8(UInt8(ascii: "A")), Int8(UInt8(ascii: "L")),
                                  n, &work, n, 0, 0, 0, 0, 0, &found, &values, &vectors, n, &support)
        precondition(info == 0 && Int(found) == a.rows, "dsyevr failed (info \(info))")
        let cutoff = relativeTolerance * max(values.last ?? 0, 0)
        var x = [Double](repeating: 0, count: a.rows)
        for i in 0..<a.rows where values[i] > cutoff {
            let column = i * a.rows
            var projection = 0.0
            for r in 0..<a.rows { projection += vectors[column + r] * b[r] }
            let scale = projection / values[i]
            for r in 0..<a.rows { x[r] += scale * vectors[column + r] }
        }
        return x
    }
}
