import Foundation
import SparseMTL

/// The exact optimum of F by enumeration of every Z (each task: every subset of at most s
/// features), for tiny instances. Independent of the solvers' formulation: for each Z it minimises
/// F over B written as one stacked least-squares problem ‖Aβ − b‖² (rows of each task's centred
/// data scaled by 1/√n_k, rows √α·e_(k,j), and for every edge and feature rows √(λw_kl)(e_(k,j) − e_(l,j))),
/// solved by normal equations with partial pivoting; a box |β| ≤ M is handled by trying every
/// assignment of the variables to {free, +M, −M} and keeping the best feasible one. F is then
/// recomputed from residuals. Every value it compares is F at a feasible point, so it never
/// underestimates the optimum; with duplicate columns and α = 0 a singular pattern may give no
/// usable point, but the optimum is also attained where the free columns are independent (move
/// along the null direction until a bound is hit), which another pattern solves.
public enum BruteForce {
    /// The optimum's value and supports.
    public struct Optimum: Sendable {
        public var value: Double
        public var supports: [[Int]]
    }

    /// Every subset of 0..<p with at most s elements (the listing the library enumerates too).
    public static func subsets(of p: Int, atMost s: Int) -> [[Int]] {
        SupportEnumeration.supports(features: p, sparsity: s)
    }

    /// The optimum over all Z.
    public static func solve(_ instance: Instance) -> Optimum {
        let kCount = instance.taskCount
        let all = subsets(of: instance.featureCount, atMost: instance.penalty.sparsity)
        let delta = instance.penalty.zbar
        var best = Optimum(value: .infinity, supports: [])
        if instance.penalty.bbar == 0 {
            // Tasks separate given Z: best fit per task and subset, then Zbar over combinations.
            let perTask = (0..<kCount).map { k in all.map { fitValue(instance, supports: [$0], tasks: [k]) } }
            var choice = [Int](repeating: 0, count: kCount)
            while true {
                let supports = (0..<kCount).map { all[choice[$0]] }
                var value = (0..<kCount).reduce(0.0) { $0 + perTask[$1][choice[$1]] }
                value += delta * zbar(instance, supports)
                if value < best.value { best = Optimum(value: value, supports: supports) }
                guard advance(&choice, base: all.count) else { break }
            }
        } else {
            var choice = [Int](repeating: 0, count: kCount)
            while true {
                let supports = (0..<kCount).map { all[choice[$0]] }
                let value = fitValue(instance, supports: supports, tasks: Array(0..<kCount)) + delta * zbar(instance, supports)
                if value < best.value { best = Optimum(value: value, supports: supports) }
                guard advance(&choice, base: all.count) else { break }
            }
        }
        return best
    }

    public static func advance(_ digits: inout [Int], base: Int) -> Bool {
        for i in digits.indices {
            digits[i] += 1
            if digits[i] < base { return true }
            digits[i] = 0
        }
        return false
    }

    public static func zbar(_ instance: Instance, _ supports: [[Int]]) -> Double {
        var total = 0.0
        for e in instance.graph.edges {
            total += e.weight * Double(Set(supports[e.k]).symmetricDifference(supports[e.l]).count)
        }
        return total
    }

    /// min over B (supported on `supports` for `tasks`) of loss + ridge + bbar restricted to those tasks.
    public static func fitValue(_ instance: Instance, supports: [[Int]], tasks: [Int]) -> Double {
        var variables: [(task: Int, feature: Int)] = []
        for (i, k) in tasks.enumerated() { for j in supports[i] { variables.append((k, j)) } }
        let m = variables.count
        var rows: [([Double], Double)] = []
        let p = instance.penalty
        for k in tasks {
            let x = instance.designs[k], y = instance.responses[k]
            let scale = 1 / Double(x.rows).squareRoot()
            for r in 0..<x.rows {
                var a = [Double](repeating: 0, count: m)
                for (v, (task, j)) in variables.enumerated() where task == k { a[v] = x[r, j] * scale }
                rows.append((a, y[r] * scale))
            }
        }
        for v in 0..<m where p.ridge > 0 {
            var a = [Double](repeating: 0, count: m)
            a[v] = p.ridge.squareRoot()
            rows.append((a, 0))
        }
        if p.bbar > 0 {
            for e in instance.graph.edges where tasks.contains(e.k) && tasks.contains(e.l) {
                for j in 0..<instance.featureCount {
                    var a = [Double](repeating: 0, count: m)
                    let w = (p.bbar * e.weight).squareRoot()
                    if let v = variables.firstIndex(where: { $0 == (e.k, j) }) { a[v] += w }
                    if let v = variables.firstIndex(where: { $0 == (e.l, j) }) { a[v] -= w }
                    if a.contains(where: { $0 != 0 }) { rows.append((a, 0)) }
                }
            }
        }
        let constant = tasks.reduce(0.0) { total, k in
            total + instance.responses[k].reduce(0) { $0 + $1 * $1 } / Double(instance.designs[k].rows)
        }
        if m == 0 { return constant }
        guard let bound = p.bigM else {
            return residual(rows, leastSquares(rows, free: Array(0..<m), fixed: [:]))
        }
        var best = Double.infinity
        var pattern = [Int](repeating: 0, count: m)  // 0 free, 1 at +M, 2 at −M
        while true {
            var fixed: [Int: Double] = [:]
            for v in 0..<m where pattern[v] != 0 { fixed[v] = pattern[v] == 1 ? bound : -bound }
            let free = (0..<m).filter { pattern[$0] == 0 }
            let beta = leastSquares(rows, free: free, fixed: fixed)
            if beta.allSatisfy({ abs($0) <= bound * (1 + 1e-12) }) { best = min(best, residual(rows, beta)) }
            guard advance(&pattern, base: 3) else { break }
        }
        return best
    }

    public static func residual(_ rows: [([Double], Double)], _ beta: [Double]) -> Double {
        rows.reduce(0.0) { total, row in
            let fit = zip(row.0, beta).reduce(0.0) { $0 + $1.0 * $1.1 }
            return total + (row.1 - fit) * (row.1 - fit)
        }
    }

    /// β minimising the stacked residual with the `fixed` entries held at their values.
    public static func leastSquares(_ rows: [([Double], Double)], free: [Int], fixed: [Int: Double]) -> [Double] {
        let m = rows.first?.0.count ?? 0
        var beta = [Double](repeating: 0, count: m)
        for (v, value) in fixed { beta[v] = value }
        let f = free.count
        guard f > 0 else { return beta }
        var normal = [[Double]](repeating: [Double](repeating: 0, count: f + 1), count: f)
        for (a, target) in rows {
            var rhs = target
            for (v, value) in fixed { rhs -= a[v] * value }
            for i in 0..<f {
                for j in 0..<f { normal[i][j] += a[free[i]] * a[free[j]] }
                normal[i][f] += a[free[i]] * rhs
            }
        }
        // Gaussian elimination with partial pivoting.
        for col in 0..<f {
            let pivot = (col..<f).max { abs(normal[$0][col]) < abs(normal[$1][col]) }!
            normal.swapAt(col, pivot)
            let d = normal[col][col]
            guard abs(d) > 1e-300 else { continue }
            for r in 0..<f where r != col {
                let factor = normal[r][col] / d
                if factor != 0 { for c in col...f { normal[r][c] -= factor * normal[col][c] } }
            }
        }
        for i in 0..<f where abs(normal[i][i]) > 1e-300 { beta[free[i]] = normal[i][f] / normal[i][i] }
        return beta
    }
}
