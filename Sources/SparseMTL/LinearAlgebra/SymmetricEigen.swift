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

/// A⁺ of a symmetric positive semidefinite matrix A, kept as its eigenvectors (LAPACK dsyevr), so
/// that A⁺b costs two matrix–vector products: eigenvalues below `relativeTolerance`·λ_max count
/// as zero (the part of b along them is dropped).
public struct SymmetricPseudoInverse: Sendable {
    let size: Int
    /// Eigenvectors (columns) of the eigenvalues kept, and 1/λ of each.
    let vectors: Matrix
    let inverses: [Double]

    public init(_ a: Matrix, relativeTolerance: Double = 1e-12) {
        precondition(a.rows == a.columns && a.rows > 0, "a pseudo-inverse needs a non-empty square matrix")
        let n = Int32(a.rows)
        var work = a.storage
        var found: Int32 = 0
        var values = [Double](repeating: 0, count: a.rows)
        var all = [Double](repeating: 0, count: a.rows * a.rows)
        var support = [Int32](repeating: 0, count: 2 * a.rows)
        let info = LAPACKE_dsyevr(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "V")), Int8(UInt8(ascii: "A")), Int8(UInt8(ascii: "L")),
                                  n, &work, n, 0, 0, 0, 0, 0, &found, &values, &all, n, &support)
        precondition(info == 0 && Int(found) == a.rows, "dsyevr failed (info \(info))")
        let cutoff = relativeTolerance * max(values.last ?? 0, 0)
        let kept = values.indices.filter { values[$0] > cutoff }
        size = a.rows
        vectors = Matrix(rows: a.rows, columns: kept.count, columnMajor: kept.flatMap { all[($0 * a.rows)..<(($0 + 1) * a.rows)] })
        inverses = kept.map { 1 / values[$0] }
    }

    /// A⁺b, the least-norm solution of A x = b (exact when b is in A's range).
    public func solve(_ b: [Double]) -> [Double] {
        precondition(b.count == size, "pseudo-inverse of size \(size) applied to \(b.count) numbers")
        guard !inverses.isEmpty else { return [Double](repeating: 0, count: size) }
        var coordinates = BLAS.multiply(vectors, b, .transpose)
        for i in coordinates.indices { coordinates[i] *= inverses[i] }
        return BLAS.multiply(vectors, coordinates)
    }
}
