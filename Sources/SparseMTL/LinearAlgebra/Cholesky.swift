import Foundation
import _COpenBLAS

/// The Cholesky factorisation A = L·Lᵀ of a symmetric positive definite matrix (LAPACK dpotrf),
/// used to solve A·x = b (dpotrs). Only the lower triangle of A is read. The `_work` entry points
/// skip LAPACKE's NaN scan of the input (callers pass finite matrices; it cost 7 % of a path).
public struct Cholesky: Sendable {
    /// The factor: lower triangle holds L (the strict upper triangle is left as given).
    public private(set) var factor: Matrix

    /// Raised when A is not (numerically) positive definite.
    public struct NotPositiveDefinite: Error, CustomStringConvertible {
        /// The leading minor of this order (1-based) is not positive.
        public let minor: Int
        public var description: String { "matrix is not positive definite (leading minor \(minor))" }
    }

    /// Factorises A (n × n, symmetric positive definite).
    /// - Throws: `NotPositiveDefinite` if dpotrf meets a non-positive pivot.
    public init(_ a: Matrix) throws {
        precondition(a.rows == a.columns, "Cholesky needs a square matrix, got \(a.rows)×\(a.columns)")
        factor = a
        let n = a.rows
        if n == 0 { return }
        let info = LAPACKE_dpotrf_work(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "L")), Int32(n), &factor.storage, Int32(n))
        precondition(info >= 0, "dpotrf: illegal argument \(-info)")
        if info > 0 { throw NotPositiveDefinite(minor: Int(info)) }
    }

    /// Order n of the factorised matrix.
    public var order: Int { factor.rows }

    /// x = A⁻¹·b.
    public func solve(_ b: [Double]) -> [Double] {
        var x = b
        solve(inPlace: &x, columns: 1)
        return x
    }

    /// X = A⁻¹·B for several right-hand sides.
    public func solve(_ b: Matrix) -> Matrix {
        var x = b
        solve(inPlace: &x.storage, columns: b.columns)
        return x
    }

    private func solve(inPlace rhs: inout [Double], columns: Int) {
        let n = order
        precondition(rhs.count == n * columns, "Cholesky.solve: right-hand side has wrong length")
        if n == 0 || columns == 0 { return }
        let info = LAPACKE_dpotrs_work(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "L")), Int32(n), Int32(columns),
                                  factor.storage, Int32(n), &rhs, Int32(n))
        precondition(info == 0, "dpotrs: illegal argument \(-info)")
    }

    /// log det A = 2 Σ log L_ii.
    public var logDeterminant: Double {
        var s = 0.0
        for i in 0..<order { s += 2 * log(factor[i, i]) }
        return s
    }
}
