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
        /// With `cover`: tight cuts h_Z at supports where the given rows fell short, such that the
        /// master over the given rows and these has an optimum ≥ `value` (to 10⁻¹¹ relative); nil
        /// when not asked for, or when the cover's rounds ran out.
        public var coverCuts: [Cut]? = nil
    }

    /// A request for `Bound.coverCuts`: a bound the solver reports must be provable from the
    /// certificate's own rows (a master re-solved by `verify` or by another solver reaches it), not
    /// from the enumeration alone.
    public struct Cover: Sendable {
        /// The δ of the master's Zbar term (`Master.zbarWeight`, at most the instance's).
        public var zbarWeight: Double
        /// The most rounds of "find the master's best Z, add the cuts tight there" after the first
        /// pass (which lifts every support to its task's minimum).
        public var rounds = 200

        public init(zbarWeight: Double) { self.zbarWeight = zbarWeight }
    }

    /// min over every Z of h_Z(Z) + δ·Zbar(Z) + Σ c_jk z_jk (see the type's doc); `linearCosts` is
    /// p × K or nil. Exact over Z: with λ = 0 each task's values are computed once, and with Zbar
    /// the joint minimum is found by branch and bound over tasks (Zbar ≥ 0 prunes).
    ///
    /// With `cover`, also the cuts that make the master over `cuts`, `taskBounds` and them reach
    /// that minimum: outer approximation with the enumeration as its master. The master's value at
    /// each Z is known exactly (the largest row there), so its best Z is found by the same
    /// enumeration; wherever that falls below the bound, h_Z at that Z is added (h_Z(Z) is the
    /// enumerated value there). It ends when the master's minimum reaches the bound.
    /// - Parameter cuts: valid cuts of this instance (per task with λ = 0, aggregated with λ > 0).
    /// - Parameter taskBounds: valid rows η_k + Σ_j c_j z_jk ≥ bound (λ = 0).
    /// - Parameter stop: asked every few hundred fits; when it says true the enumeration ends and
    ///   returns nil (a time limit or an interrupt).
    public static func lowerBound(_ instance: Instance, linearCosts: Matrix? = nil, cuts: [Cut] = [],
                                  taskBounds: [TaskBound] = [], cover: Cover? = nil, stop: () -> Bool = { false }) -> Bound? {
        var fits = 0
        func stopped() -> Bool { fits += 1; return fits % 256 == 0 && stop() }
        let p = instance.featureCount, kCount = instance.taskCount
        let all = supports(features: p, sparsity: instance.penalty.sparsity)
        let inner = InnerProblem(instance, gramColumnsPerTask: p)
        let builder = CutBuilder(instance)
        func cost(_ k: Int, _ support: [Int]) -> Double { linearCosts.map { c in support.reduce(0) { $0 + c[$1, k] } } ?? 0 }
        func tolerance(_ value: Double) -> Double { 1e-11 * abs(value) }

        if instance.penalty.bbar > 0 && kCount > 1 {
            // Coupled tasks: one joint fit and one aggregated cut per Z. The rows' value (the
            // master's) and the enumerated one at every Z, each with Z's Zbar and cost terms.
            let count = Int(pow(Double(all.count), Double(kCount)))
            func chosen(_ flat: Int) -> [[Int]] {
                var rest = flat
                return (0..<kCount).map { _ in defer { rest /= all.count }; return all[rest % all.count] }
            }
            func extra(_ z: [[Int]], delta: Double) -> Double {
                (delta == 0 ? 0 : delta * inner.zbar(z)) + (0..<kCount).reduce(0) { $0 + cost($1, z[$1]) }
            }
            func ownCut(_ z: [[Int]]) -> Cut {
                let fit = inner.fit(z)
                return builder.cut(builder.dualPoint(at: inner.coefficients(z, fit.betas), tasks: Array(0..<kCount)))
            }
            var best = Bound(value: .infinity, supports: [])
            var rows = [Double](repeating: 0, count: cover == nil ? 0 : count)
            let zs = cover == nil ? nil : (0..<count).map(chosen)  // the cover's passes visit every Z again
            for flat in 0..<count {
                if stopped() { return nil }
                let z = zs?[flat] ?? chosen(flat)
                var r = 0.0
                for cut in cuts { r = max(r, Self.value(cut, at: z)) }
                let value = max(r, Self.value(ownCut(z), at: z)) + extra(z, delta: instance.penalty.zbar)
                if value < best.value { best = Bound(value: value, supports: z) }
                if cover != nil { rows[flat] = r }
            }
            guard let cover else { return best }
            // One pass in increasing order of the master's value: after h_Z, the master's value at
            // Z is the enumerated one, ≥ the bound (with the master's lower δ, Zbar > 0 still costs
            // more than UB ≥ the bound, `ExactSolver.masterZbarWeight`).
            let target = best.value - tolerance(best.value)
            var added: [Cut] = []
            let every = zs!, extras = every.map { extra($0, delta: cover.zbarWeight) }
            for flat in rows.indices { rows[flat] += extras[flat] }
            for flat in rows.indices.sorted(by: { rows[$0] < rows[$1] }) where rows[flat] < target {
                if stop() { return nil }
                let cut = ownCut(every[flat])
                added.append(cut)
                for other in rows.indices { rows[other] = max(rows[other], Self.value(cut, at: every[other]) + extras[other]) }
            }
            if rows.allSatisfy({ $0 >= target }) { best.coverCuts = added }
            return best
        }

        // λ = 0: L_k(S) = max(0, h_S(S), task k's rows at S) + c_kᵀS for every task and support,
        // then the best combination; `rows` holds the same without h_S (the master's value).
        var values: [[Double]] = [], rows: [[Double]] = []
        for k in 0..<kCount {
            let taskCuts = cuts.filter { $0.task == k }, bounds = taskBounds.filter { $0.task == k }
            // Task k alone (its per-task cut is the same): p × 1 products instead of p × K.
            let single = CutBuilder(instance.task(k))
            var enumerated: [Double] = [], master: [Double] = []
            for support in all {
                if stopped() { return nil }
                let beta = inner.fitTask(k, support: support).beta
                var b = Matrix(rows: p, columns: 1)
                for (j, v) in zip(support, beta) { b[j, 0] = v }
                var r = 0.0
                for cut in taskCuts { r = max(r, support.reduce(cut.constant) { $0 - cut.coefficients[$1, k] }) }
                for bound in bounds { r = max(r, support.reduce(bound.bound) { $0 - bound.costs[$1] }) }
                let own = Self.value(single.cut(single.dualPoint(at: b, tasks: [0])), at: [support])
                enumerated.append(max(r, own) + cost(k, support))
                master.append(r + cost(k, support))
            }
            values.append(enumerated)
            rows.append(master)
        }
        guard let found = bestCombination(values, supports: all, instance: instance, delta: instance.penalty.zbar, stop: stopped) else {
            return nil
        }
        var best = Bound(value: found.value, supports: found.picks.map { all[$0] })
        guard let cover else { return best }

        let target = best.value - tolerance(best.value)
        var added: [Cut] = []
        func addCut(_ k: Int, _ i: Int) {
            let beta = inner.fitTask(k, support: all[i]).beta
            var b = Matrix(rows: p, columns: kCount)
            for (j, v) in zip(all[i], beta) { b[j, k] = v }
            let cut = builder.cut(builder.dualPoint(at: b, tasks: [k]))
            added.append(cut)
            for (other, support) in all.enumerated() {
                rows[k][other] = max(rows[k][other], support.reduce(cut.constant) { $0 - cut.coefficients[$1, k] } + cost(k, support))
            }
        }
        // First pass: every support of task k up to the task's enumerated minimum m_k (then the
        // master's minimum is at least Σ_k m_k, the bound itself when there is no Zbar).
        for k in 0..<kCount {
            let least = values[k].min()!, floor = least - tolerance(least)
            for i in rows[k].indices.sorted(by: { rows[k][$0] < rows[k][$1] }) where rows[k][i] < floor {
                if stop() { return nil }
                addCut(k, i)
            }
        }
        // Then, with Zbar, the master's best Z until it reaches the bound.
        for _ in 0...cover.rounds {
            guard let master = bestCombination(rows, supports: all, instance: instance, delta: cover.zbarWeight, stop: stopped) else {
                return nil
            }
            if master.value >= target { best.coverCuts = added; return best }
            let short = master.picks.enumerated().filter { k, i in rows[k][i] < values[k][i] - tolerance(values[k][i]) }
            if short.isEmpty { return best }
            for (k, i) in short { addCut(k, i) }
        }
        return best
    }

    /// h of a cut at a binary Z given by its supports.
    static func value(_ cut: Cut, at supports: [[Int]]) -> Double {
        if let k = cut.task { return supports[k].reduce(cut.constant) { $0 - cut.coefficients[$1, k] } }
        var h = cut.constant
        for (k, support) in supports.enumerated() { for j in support { h -= cut.coefficients[j, k] } }
        return h
    }

    /// min over Z of Σ_k values[k][Z_k] + δ·Zbar(Z), Z_k ranging over `supports` (the indices of
    /// the minimum in `picks`); nil when `stop` said so.
    static func bestCombination(_ values: [[Double]], supports all: [[Int]], instance: Instance, delta: Double,
                                stop: () -> Bool) -> (value: Double, picks: [Int])? {
        let kCount = values.count
        if delta == 0 || kCount == 1 {
            let picks = values.map { v in v.indices.min { v[$0] < v[$1] }! }
            return (zip(values, picks).reduce(0) { $0 + $1.0[$1.1] }, picks)
        }
        // Zbar couples the tasks: depth-first over tasks, each task's supports in increasing value,
        // pruned when the partial sum plus the remaining tasks' minima cannot beat the best.
        precondition(instance.featureCount <= 64, "SupportEnumeration: Zbar enumeration needs p ≤ 64 (see `work`)")
        let order = values.map { v in v.indices.sorted { v[$0] < v[$1] } }
        var suffix = [Double](repeating: 0, count: kCount + 1)
        for k in stride(from: kCount - 1, through: 0, by: -1) { suffix[k] = suffix[k + 1] + values[k][order[k][0]] }
        let masks = all.map { $0.reduce(UInt64(0)) { $0 | (1 << UInt64($1)) } }
        // The edges from task k to tasks before it (assigned earlier in the descent).
        let edgesTo: [[(other: Int, w: Double)]] = (0..<kCount).map { k in
            instance.graph.edges.filter { $0.l == k }.map { ($0.k, $0.weight) }
        }
        var best = (value: Double.infinity, picks: [Int]())
        var chosen = [Int](repeating: 0, count: kCount)
        var halted = false
        func descend(_ k: Int, _ partial: Double) {
            if halted || stop() { halted = true; return }
            if k == kCount {
                if partial < best.value { best = (partial, chosen) }
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
        descend(0, 0)
        return halted ? nil : best
    }
}
