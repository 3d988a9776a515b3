import Foundation
import Testing
@testable import SparseMTL

/// BLAS and LAPACK wrappers against naive triple loops.
@Suite struct LinearAlgebraTests {
    static func naiveProduct(_ a: Matrix, _ b: Matrix) -> Matrix {
        var c = Matrix(rows: a.rows, columns: b.columns)
        for i in 0..<a.rows { for j in 0..<b.columns {
            var s = 0.0
            for l in 0..<a.columns { s += a[i, l] * b[l, j] }
            c[i, j] = s
        } }
        return c
    }

    static func maxDifference(_ a: Matrix, _ b: Matrix) -> Double {
        zip(a.storage, b.storage).map { abs($0 - $1) }.max() ?? 0
    }

    @Test(arguments: [(1, 1, 1), (3, 5, 2), (17, 4, 9), (40, 33, 25), (0, 3, 2), (3, 0, 2)])
    func gemmMatchesNaiveLoops(m: Int, k: Int, n: Int) {
        var random = SeededRandom(seed: UInt64(m * 1000 + k * 10 + n))
        let a = random.matrix(m, k), b = random.matrix(k, n)
        let expected = Self.naiveProduct(a, b)
        #expect(Self.maxDifference(BLAS.multiply(a, b), expected) < 1e-12, "A·B, m=\(m) k=\(k) n=\(n)")
        #expect(Self.maxDifference(BLAS.multiply(a.transposed, b, .transpose), expected) < 1e-12, "(Aᵀ)ᵀ·B")
        #expect(Self.maxDifference(BLAS.multiply(a, b.transposed, .none, .transpose), expected) < 1e-12, "A·(Bᵀ)ᵀ")
        var c = Matrix(rows: m, columns: n, repeating: 1)
        BLAS.gemm(alpha: 2, a, b, beta: -1, &c)
        var expectedC = expected
        expectedC.storage = expected.storage.map { 2 * $0 - 1 }
        #expect(Self.maxDifference(c, expectedC) < 1e-12, "2·A·B − C")
    }

    @Test(arguments: [(1, 1), (5, 3), (30, 12), (4, 0)])
    func gemvMatchesNaiveLoops(m: Int, n: Int) {
        var random = SeededRandom(seed: UInt64(7 * m + n))
        let a = random.matrix(m, n), x = random.vector(n), u = random.vector(m)
        let ax = BLAS.multiply(a, x)
        let atu = BLAS.multiply(a, u, .transpose)
        for i in 0..<m {
            let s = (0..<n).reduce(0.0) { $0 + a[i, $1] * x[$1] }
            #expect(abs(ax[i] - s) < 1e-12)
        }
        for j in 0..<n {
            let s = (0..<m).reduce(0.0) { $0 + a[$1, j] * u[$1] }
            #expect(abs(atu[j] - s) < 1e-12)
        }
        var y = u
        BLAS.gemv(alpha: -1, a, x, beta: 1, &y)
        for i in 0..<m { #expect(abs(y[i] - (u[i] - ax[i])) < 1e-12) }
    }

    @Test func gramIsSymmetricAndMatchesProduct() {
        var random = SeededRandom(seed: 3)
        let a = random.matrix(23, 9)
        let g = BLAS.gram(a)
        #expect(Self.maxDifference(g, Self.naiveProduct(a.transposed, a)) < 1e-12)
        #expect(g == g.transposed)
        var outer = Matrix(rows: 23, columns: 23)
        BLAS.syrk(.none, a, &outer)
        #expect(Self.maxDifference(outer, Self.naiveProduct(a, a.transposed)) < 1e-12)
    }

    @Test func choleskySolvesAndReconstructs() throws {
        var random = SeededRandom(seed: 11)
        let n = 12
        var a = BLAS.gram(random.matrix(30, n))
        for i in 0..<n { a[i, i] += 0.5 }
        let chol = try Cholesky(a)
        var l = chol.factor
        for j in 0..<n { for i in 0..<j { l[i, j] = 0 } }
        #expect(Self.maxDifference(Self.naiveProduct(l, l.transposed), a) < 1e-10, "L·Lᵀ = A")
        let b = random.vector(n)
        let x = chol.solve(b)
        let ax = BLAS.multiply(a, x)
        #expect(zip(ax, b).allSatisfy { abs($0 - $1) < 1e-10 }, "A·x = b")
        let rhs = random.matrix(n, 3)
        let xs = chol.solve(rhs)
        #expect(Self.maxDifference(BLAS.multiply(a, xs), rhs) < 1e-10, "A·X = B")
        // log det against the product of pivots of an independent elimination
        var u = a, logDet = 0.0
        for k in 0..<n {
            logDet += log(u[k, k])
            for i in (k + 1)..<n {
                let f = u[i, k] / u[k, k]
                for j in k..<n { u[i, j] -= f * u[k, j] }
            }
        }
        #expect(abs(chol.logDeterminant - logDet) < 1e-9)
    }

    @Test func choleskyRejectsIndefiniteMatrix() {
        let a = Matrix(rowArrays: [[1, 2], [2, 1]])
        #expect(throws: Cholesky.NotPositiveDefinite.self) { try Cholesky(a) }
    }

    @Test func vectorKernels() {
        let x = [3.0, 4.0], y = [1.0, -2.0]
        #expect(Vector.dot(x, y) == -5)
        #expect(Vector.norm(x) == 5)
        var z = y
        Vector.axpy(2, x, &z)
        #expect(z == [7, 6])
        Vector.scale(0.5, &z)
        #expect(z == [3.5, 3])
    }
}
