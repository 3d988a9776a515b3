import Foundation

/// A lower bound on the optimum of a small problem by enumerating every support Z (|z_k| ≤ s):
///
///     min_Z  max(0, h_Z(Z), valid rows at Z) + δ·Zbar(Z) + Σ_jk c_jk z_jk,
///
/// where h_Z is the cut of the dual point tight at the coefficients fitted on Z (DESIGN.md section
/// 2), and the valid rows are given cuts and task bounds (a certificate's, re-derived and checked).
/// By weak duality h_Z(Z) ≤ g(Z) whatever the fit's accuracy, and every valid row is ≤ g at Z too,
/// so the minimum never exceeds the true optimum; with an exact fit it equals it up to rounding,
/// and it is never below the optimum of the master those rows form (where a fit is inexact, with
/// α = 0 and duplicate columns, the rows keep it as strong as the master that proved the bound).
/// `Verifier` checks bounds with it where the problem is small: no LP tolerance, cycling or
/// branching rule can make it stall or reject a true bound (GLPK re-solves of tiny masters did both).
public enum SupportEnumeration {
    /// Σ_{m ≤ s} C(p, m): how many supports one task has (saturates at 10¹⁸).
    public static func supportsPerTask(features p: Int, sparsity s: Int) -> Double {
        var total = 0.0, term = 1.0
        for m in 0...min(s, p) {
            if m > 0 { term = term * Double(p - m + 1) / Double(m) }
            total += term
            if total > 1e18 { return 1e18 }
        }
        return total
    }

    /// A measure of the work of `lowerBound` on `instance`: the fits it makes (a joint fit over all
    /// tasks with λ > 0 counts K) plus, with Zbar, the joint assignments it may visit.
    public static func work(_ instance: Instance) -> Double {
        let n = supportsPerTask(features: instance.featureCount, sparsity: instance.penalty.sparsity)
        let k = Double(instance.taskCount)
        if instance.featureCount > 64 && instance.penalty.zbar > 0 && instance.taskCount > 1 { return .infinity }
        if instance.penalty.bbar > 0 && instance.taskCount > 1 { return pow(n, k) * k }
        if instance.penalty.zbar > 0 && instance.taskCount > 1 { return n * k + pow(n, k) }
        return n * k
    }

    /// Every subset of 0..<p with at most s elements, each sorted (∅ first).
    public static func supports(features p: Int, sparsity s: Int) -> [[Int]] {
        var out: [[Int]] = [[]]
        var current: [Int] = []
        func extend(from start: Int) {
            guard current.count < s else { return }
            for j in start..<p {
                current.append(j)
                out.append(current)
                extend(from: j + 1)
                current.removeLast()
            }
        }
        extend(from: 0)
        return out
    }

    /// The bound and the supports where it is attained.
    public struct Bound: Sendable {
        public var value: Double
        public var supports: [[Int]]
    }

    /// min over every Z of h_Z(Z) + δ·Zbar(Z) + Σ c_jk z_jk (see the type's doc); `linearCosts` is
    /// p × K or nil. Exact over Z: with λ = 0 each task's values are computed once, and with Zbar
    /// the joint minimum is found by branch and bound over tasks (Zbar ≥ 0 prunes).
    /// - Parameter cuts: valid cuts of this instance (per task with λ = 0, aggregated with λ > 0).
    /// - Parameter taskBounds: valid rows η_k + Σ_j c_j z_jk ≥ bound (λ = 0).
    /// - Parameter stop: asked every few hundred fits; when it says true the enumeration ends and
    ///   returns nil (a time limit or an interrupt).
    public static func lowerBound(_ instance: Instance, linearCosts: Matrix? = nil, cuts: [Cut] = [],
                                  taskBounds: [TaskBound] = [], stop: () -> Bool = { false }) -> Bound? {
        var fits = 0
        func stopped() -> Bool { fits += 1; return fits % 256 == 0 && stop() }
        let p = instance.featureCount, kCount = instance.taskCount
        let all = supports(features: p, sparsity: instance.penalty.sparsity)
        let inner = InnerProblem(instance, gramColumnsPerTask: p)
        let builder = CutBuilder(instance)
        func cost(_ k: Int, _ support: [Int]) -> Double { linearCosts.map { c in support.reduce(0) { $0 + c[$1, k] } } ?? 0 }
        func zbar(_ chosen: [[Int]]) -> Double { instance.penalty.zbar == 0 ? 0 : instance.penalty.zbar * inner.zbar(chosen) }

        if instance.penalty.bbar > 0 && kCount > 1 {
            // Coupled tasks: one joint fit and one aggregated cut per Z.
            var best = Bound(value: .infinity, supports: [])
            var index = [Int](repeating: 0, count: kCount)
            while true {
                if stopped() { return nil }
                let chosen = index.map { all[$0] }
                let fit = inner.fit(chosen)
                let b = inner.coefficients(chosen, fit.betas)
                let z = Support(chosen).binary(featureCount: p)
                var g = max(0, builder.cut(builder.dualPoint(at: b, tasks: Array(0..<kCount))).value(at: z))
                for cut in cuts { g = max(g, cut.value(at: z)) }
                let value = g + zbar(chosen) + (0..<kCount).reduce(0) { $0 + cost($1, chosen[$1]) }
                if value < best.value { best = Bound(value: value, supports: chosen) }
                var k = 0
                while k < kCount { index[k] += 1; if index[k] < all.count { break }; index[k] = 0; k += 1 }
                if k == kCount { return best }
            }
        }

        // λ = 0: L_k(S) = max(0, h_S(S), task k's rows at S) + c_kᵀS for every task and support,
        // then the best combination.
        var values: [[Double]] = []
        for k in 0..<kCount {
            let taskCuts = cuts.filter { $0.task == k }, bounds = taskBounds.filter { $0.task == k }
            // Task k alone (its per-task cut is the same): p × 1 products instead of p × K.
            let single = CutBuilder(instance.task(k))
            var row: [Double] = []
            for support in all {
                if stopped() { return nil }
                let beta = inner.fitTask(k, support: support).beta
                var b = Matrix(rows: p, columns: 1)
                for (j, v) in zip(support, beta) { b[j, 0] = v }
                let z = Support([support]).binary(featureCount: p)
                var g = max(0, single.cut(single.dualPoint(at: b, tasks: [0])).value(at: z))
                for cut in taskCuts { g = max(g, support.reduce(cut.constant) { $0 - cut.coefficients[$1, k] }) }
                for bound in bounds { g = max(g, support.reduce(bound.bound) { $0 - bound.costs[$1] }) }
                row.append(g + cost(k, support))
            }
            values.append(row)
        }
        if instance.penalty.zbar == 0 || kCount == 1 {
            let picks = values.map { v in v.indices.min { v[$0] < v[$1] }! }
            return Bound(value: zip(values, picks).reduce(0) { $0 + $1.0[$1.1] }, supports: picks.map { all[$0] })
        }
        // Zbar couples the tasks: depth-first over tasks, each task's supports in increasing value,
        // pruned when the partial sum plus the remaining tasks' minima cannot beat the best.
        let order = values.map { v in v.indices.sorted { v[$0] < v[$1] } }
        var suffix = [Double](repeating: 0, count: kCount + 1)
        for k in stride(from: kCount - 1, through: 0, by: -1) { suffix[k] = suffix[k + 1] + values[k][order[k][0]] }
        let masks = all.map { $0.reduce(UInt64(0)) { $0 | (1 << UInt64($1)) } }
        let delta = instance.penalty.zbar
        // The edges from task k to tasks before it (assigned earlier in the descent).
        let edgesTo: [[(other: Int, w: Double)]] = (0..<kCount).map { k in
            instance.graph.edges.filter { $0.l == k }.map { ($0.k, $0.weight) }
        }
        var best = Bound(value: .infinity, supports: [])
        var chosen = [Int](repeating: 0, count: kCount)
        var halted = false
        func descend(_ k: Int, _ partial: Double) {
            if halted || stopped() { halted = true; return }
            if k == kCount {
                if partial < best.value { best = Bound(value: partial, supports: chosen.map { all[$0] }) }
                return
            }
            for i in order[k] {
                let own = partial + values[k][i]
                if own + suffix[k + 1] >= best.value { break }  // later supports of task k are worse still
                var total = own
                for e in edgesTo[k] { total += delta * e.w * Double((masks[i] ^ masks[chosen[e.other]]).nonzeroBitCount) }
                if total + suffix[k + 1] >= best.value { continue }
                chosen[k] = i
                descend(k + 1, total)
            }
        }
        precondition(p <= 64, "SupportEnumeration: Zbar enumeration needs p ≤ 64 (see `work`)")
        descend(0, 0)
        return halted ? nil : best
    }
}
