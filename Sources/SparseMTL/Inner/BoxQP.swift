/// Minimises the convex quadratic q(β) = βᵀHβ − 2gᵀβ, optionally subject to the box |β_i| ≤ M.
///
/// Without a box: Cholesky on H. A singular H (α = 0 with collinear or zero columns) gets the
/// smallest diagonal shift ε·I, ε = 10⁻¹²·max H_ii growing by 100× until the factorisation works;
/// the minimiser then is that of a slightly ridged problem, and callers always recompute F from
/// the returned β, so the reported objective stays exact for the point returned.
/// With a box: the unconstrained minimiser if it is inside; otherwise projected coordinate descent
/// to convergence, then a polish that solves exactly on the free variables when the active set
/// it found satisfies the KKT conditions.
public enum BoxQP {
    /// The minimiser β and the value q(β).
    public static func solve(_ h: Matrix, _ g: [Double], bound: Double?) -> (beta: [Double], value: Double) {
        let m = g.count
        precondition(h.rows == m && h.columns == m, "BoxQP: H must be m × m")
        if m == 0 { return ([], 0) }
        var beta = unconstrained(h, g)
        if let bound, beta.contains(where: { abs($0) > bound }) {
            beta = coordinateDescent(h, g, bound: bound, start: beta.map { min(max($0, -bound), bound) })
            if let polished = polish(h, g, bound: bound, beta: beta) { beta = polished }
        }
        return (beta, value(h, g, beta))
    }

    /// q(β) = βᵀHβ − 2gᵀβ.
    public static func value(_ h: Matrix, _ g: [Double], _ beta: [Double]) -> Double {
        let hb = BLAS.multiply(h, beta)
        return Vector.dot(beta, hb) - 2 * Vector.dot(g, beta)
    }

    static func unconstrained(_ h: Matrix, _ g: [Double]) -> [Double] {
        if let chol = try? Cholesky(h) { return chol.solve(g) }
        let scale = (0..<h.rows).map { h[$0, $0] }.max() ?? 1
        var shift = 1e-12 * max(scale, 1e-300)
        while true {
            var shifted = h
            for i in 0..<h.rows { shifted[i, i] += shift }
            if let chol = try? Cholesky(shifted) { return chol.solve(g) }
            shift *= 100
        }
    }

    static func coordinateDescent(_ h: Matrix, _ g: [Double], bound: Double, start: [Double]) -> [Double] {
        let m = g.count
        var beta = start
        var gradient = BLAS.multiply(h, beta)  // Hβ
        for _ in 0..<100_000 {
            var largest = 0.0
            for i in 0..<m {
                let hii = h[i, i]
                let rest = gradient[i] - hii * beta[i]  // Σ_{j≠i} H_ij β_j
                let target: Double
                if hii > 0 { target = min(max((g[i] - rest) / hii, -bound), bound) } else {
                    target = g[i] - rest > 0 ? bound : (g[i] - rest < 0 ? -bound : 0)
                }
                let change = target - beta[i]
                if change != 0 {
                    for r in 0..<m { gradient[r] += h[r, i] * change }
                    beta[i] = target
                    largest = max(largest, abs(change))
                }
            }
            if largest <= 1e-15 * max(bound, 1) { break }
        }
        return beta
    }

    /// Exact solve on the free set with the bounded variables fixed, kept if it is feasible and
    /// the bounded variables' gradients point outward (KKT).
    static func polish(_ h: Matrix, _ g: [Double], bound: Double, beta: [Double]) -> [Double]? {
        let m = g.count
        let atBound = (0..<m).filter { abs(beta[$0]) >= bound * (1 - 1e-12) }
        let free = (0..<m).filter { abs(beta[$0]) < bound * (1 - 1e-12) }
        var result = beta
        for i in atBound { result[i] = beta[i] > 0 ? bound : -bound }
        if !free.isEmpty {
            var hff = Matrix(rows: free.count, columns: free.count)
            var rhs = [Double](repeating: 0, count: free.count)
            for (a, i) in free.enumerated() {
                rhs[a] = g[i] - atBound.reduce(0) { $0 + h[i, $1] * result[$1] }
                for (b, j) in free.enumerated() { hff[a, b] = h[i, j] }
            }
            let solution = unconstrained(hff, rhs)
            guard solution.allSatisfy({ abs($0) <= bound }) else { return nil }
            for (a, i) in free.enumerated() { result[i] = solution[a] }
        }
        let gradient = BLAS.multiply(h, result)
        for i in atBound {
            let slope = gradient[i] - g[i]  // ½ ∂q/∂β_i
            if (result[i] > 0 && slope > 1e-9 * max(1, abs(g[i]))) || (result[i] < 0 && slope < -1e-9 * max(1, abs(g[i]))) { return nil }
        }
        return value(h, g, result) <= value(h, g, beta) ? result : nil
    }
}
