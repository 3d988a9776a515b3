import Foundation
import _COpenBLAS

/// Level-1 BLAS on dense vectors stored as `[Double]`, all with unit stride.
public enum Vector {
    /// The inner product xᵀy.
    public static func dot(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count, "dot: lengths \(x.count) and \(y.count) differ")
        return cblas_ddot(Int32(x.count), x, 1, y, 1)
    }

    /// xᵀy over `count` entries starting at the given offsets (e.g. two columns of one matrix).
    public static func dot(_ x: [Double], _ xOffset: Int, _ y: [Double], _ yOffset: Int, count: Int) -> Double {
        precondition(xOffset >= 0 && yOffset >= 0 && xOffset + count <= x.count && yOffset + count <= y.count, "dot: range out of bounds")
        return x.withUnsafeBufferPointer { xp in
            y.withUnsafeBufferPointer { yp in
                cblas_ddot(Int32(count), xp.baseAddress! + xOffset, 1, yp.baseAddress! + yOffset, 1)
            }
        }
    }

    /// The Euclidean norm ‖x‖₂ (scaled to avoid overflow, as BLAS dnrm2 does).
    public static func norm(_ x: [Double]) -> Double {
        cblas_dnrm2(Int32(x.count), x, 1)
    }

    /// y ← a·x + y.
    public static func axpy(_ a: Double, _ x: [Double], _ y: inout [Double]) {
        precondition(x.count == y.count, "axpy: lengths \(x.count) and \(y.count) differ")
        cblas_daxpy(Int32(x.count), a, x, 1, &y, 1)
    }

    /// y ← a·x[xOffset ..< xOffset + y.count] + y (e.g. a column of a matrix added to a vector).
    public static func axpy(_ a: Double, _ x: [Double], from xOffset: Int, _ y: inout [Double]) {
        precondition(xOffset >= 0 && xOffset + y.count <= x.count, "axpy: range out of bounds")
        let n = Int32(y.count)
        x.withUnsafeBufferPointer { xp in cblas_daxpy(n, a, xp.baseAddress! + xOffset, 1, &y, 1) }
    }

    /// x ← a·x.
    public static func scale(_ a: Double, _ x: inout [Double]) {
        cblas_dscal(Int32(x.count), a, &x, 1)
    }
}

/// Whether an operand enters a product as itself or transposed.
public enum Transpose: Sendable {
    /// Use A.
    case none
    /// Use Aᵀ.
    case transpose

    var cblas: CBLAS_TRANSPOSE { self == .none ? CblasNoTrans : CblasTrans }
}

/// Level-2 and level-3 BLAS on `Matrix`.
public enum BLAS {
    /// y ← a·op(A)·x + b·y (dgemv).
    public static func gemv(_ trans: Transpose = .none, alpha: Double = 1, _ a: Matrix, _ x: [Double],
                            beta: Double = 0, _ y: inout [Double]) {
        let (outLen, inLen) = trans == .none ? (a.rows, a.columns) : (a.columns, a.rows)
        precondition(x.count == inLen && y.count == outLen, "gemv: shapes do not match")
        if outLen == 0 { return }
        if inLen == 0 { Vector.scale(beta, &y); return }
        cblas_dgemv(CblasColMajor, trans.cblas, Int32(a.rows), Int32(a.columns), alpha,
                    a.storage, Int32(max(a.rows, 1)), x, 1, beta, &y, 1)
    }

    /// op(A)·x as a new vector.
    public static func multiply(_ a: Matrix, _ x: [Double], _ trans: Transpose = .none) -> [Double] {
        var y = [Double](repeating: 0, count: trans == .none ? a.rows : a.columns)
        gemv(trans, a, x, &y)
        return y
    }

    /// y − A·x for a sparse x: only the columns with x_j ≠ 0 are read (one axpy each).
    public static func residual(_ y: [Double], _ a: Matrix, _ x: [Double]) -> [Double] {
        precondition(y.count == a.rows && x.count == a.columns, "residual: shapes do not match")
        var r = y
        for (j, v) in x.enumerated() where v != 0 { Vector.axpy(-v, a.storage, from: j * a.rows, &r) }
        return r
    }

    /// C ← a·op(A)·op(B) + b·C (dgemm).
    public static func gemm(_ transA: Transpose = .none, _ transB: Transpose = .none, alpha: Double = 1,
                            _ a: Matrix, _ b: Matrix, beta: Double = 0, _ c: inout Matrix) {
        let (m, kA) = transA == .none ? (a.rows, a.columns) : (a.columns, a.rows)
        let (kB, n) = transB == .none ? (b.rows, b.columns) : (b.columns, b.rows)
        precondition(kA == kB && c.rows == m && c.columns == n, "gemm: shapes do not match")
        if m == 0 || n == 0 { return }
        if kA == 0 { Vector.scale(beta, &c.storage); return }
        cblas_dgemm(CblasColMajor, transA.cblas, transB.cblas, Int32(m), Int32(n), Int32(kA), alpha,
                    a.storage, Int32(max(a.rows, 1)), b.storage, Int32(max(b.rows, 1)), beta,
                    &c.storage, Int32(max(c.rows, 1)))
    }

    /// op(A)·op(B) as a new matrix.
    public static func multiply(_ a: Matrix, _ b: Matrix, _ transA: Transpose = .none,
                                _ transB: Transpose = .none) -> Matrix {
        var c = Matrix(rows: transA == .none ? a.rows : a.columns, columns: transB == .none ? b.columns : b.rows)
        gemm(transA, transB, a, b, &c)
        return c
    }

    /// The Gram matrix C = a·AᵀA + b·C in full (both triangles filled), from dsyrk.
    public static func gram(_ a: Matrix, alpha: Double = 1) -> Matrix {
        var c = Matrix(rows: a.columns, columns: a.columns)
        syrk(.transpose, alpha: alpha, a, &c)
        return c
    }

    /// C ← a·op(A)·op(A)ᵀ + b·C (dsyrk, op = Aᵀ gives AᵀA), then the lower triangle is mirrored
    /// so C is a full symmetric matrix.
    public static func syrk(_ trans: Transpose, alpha: Double = 1, _ a: Matrix, beta: Double = 0, _ c: inout Matrix) {
        let (n, k) = trans == .none ? (a.rows, a.columns) : (a.columns, a.rows)
        precondition(c.rows == n && c.columns == n, "syrk: C must be \(n)×\(n)")
        if n == 0 { return }
        if k == 0 { Vector.scale(beta, &c.storage) } else {
            cblas_dsyrk(CblasColMajor, CblasLower, trans.cblas, Int32(n), Int32(k), alpha,
                        a.storage, Int32(max(a.rows, 1)), beta, &c.storage, Int32(n))
        }
        for j in 0..<n {
            for i in (j + 1)..<n { c[j, i] = c[i, j] }
        }
    }
}

/// Facts about the BLAS library linked in (for logs and certificates).
public enum BLASLibrary {
    /// OpenBLAS's configuration string (version, target, threading), e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH …".
    public static var configuration: String {
        guard let c = openblas_get_config() else { return "OpenBLAS (unknown configuration)" }
        return String(cString: c).trimmingCharacters(in: .whitespaces)
    }

    /// Sets the number of threads OpenBLAS uses from now on (the environment variable is read only at load).
    public static func setThreads(_ n: Int) { openblas_set_num_threads(Int32(max(1, n))) }

    /// The number of threads OpenBLAS uses now.
    public static var threads: Int { Int(openblas_get_num_threads()) }

    /// Runs `body` with OpenBLAS on `n` threads, unless the user chose a number through the
    /// environment variable OPENBLAS_NUM_THREADS; the previous number is restored afterwards.
    /// Call it from a program's top level, not while other threads run BLAS.
    public static func withThreads<T>(_ n: Int, _ body: () throws -> T) rethrows -> T {
        guard ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"] == nil else { return try body() }
        let previous = threads
        setThreads(n)
        defer { setThreads(previous) }
        return try body()
    }
}
