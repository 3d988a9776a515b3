/// The inner problem of DESIGN.md section 2 for a binary Z given as per-task supports S_k:
///
///     g(Z) = min_B Σ_k (1/n_k)‖ỹ_k − X̃_k β_k‖² + α‖B‖²_F + λ tr(B L Bᵀ)   s.t. β_jk = 0 off S_k, |β_jk| ≤ M,
///
/// solved exactly on the supports: the objective is ‖ỹ‖²/n summed plus βᵀHβ − 2gᵀβ over the
/// variables (k, j ∈ S_k), with H_{(k,i),(k,j)} = (X̃_kᵀX̃_k)_ij/n_k + (α + λL_kk)·[i = j],
/// H_{(k,j),(l,j)} = λL_kl across tasks, and g_{(k,j)} = (X̃_kᵀỹ_k)_j/n_k. With λ = 0 the tasks
/// separate and each can be fitted alone.
public final class InnerProblem {
    /// Per-task caches (centred data, Gram columns).
    public let tasks: [TaskCache]
    /// The penalty (s, α, λ, δ, M).
    public let penalty: Penalty
    /// The task graph w.
    public let graph: TaskGraph
    /// L = diag(W1) − W.
    public let laplacian: Matrix
    /// Extra costs c_jk on z_jk (p × K) that the heuristic adds to Φ (the task decomposition's
    /// pricing problems min g_k(z) + c_kᵀz); g itself never includes them. Nil for none.
    public var linearCosts: Matrix? = nil

    /// Builds the caches; each task keeps at most `gramColumnsPerTask` Gram columns.
    public convenience init(_ instance: Instance, gramColumnsPerTask: Int) {
        self.init(instance, caches: zip(instance.designs, instance.responses).map {
            TaskCache(design: $0, response: $1, gramBudget: gramColumnsPerTask)
        })
    }

    /// The inner problem of `instance` (its penalty and graph) on caches built already from the
    /// same data: the points of a path share one set (a cache is not thread-safe: one thread).
    public init(_ instance: Instance, caches: [TaskCache]) {
        precondition(caches.count == instance.taskCount, "InnerProblem: one cache per task")
        tasks = caches
        penalty = instance.penalty
        graph = instance.graph
        laplacian = instance.graph.laplacian
    }

    /// K.
    public var taskCount: Int { tasks.count }
    /// p.
    public var featureCount: Int { tasks.first?.design.columns ?? 0 }

    /// Σ_k Σ_{j ∈ S_k} c_jk (0 without `linearCosts`).
    public func linearCost(_ supports: [[Int]]) -> Double {
        guard let c = linearCosts else { return 0 }
        return supports.enumerated().reduce(0.0) { total, task in task.element.reduce(total) { $0 + c[$1, task.offset] } }
    }

    /// The fit of one task alone (valid as part of g(Z) only when λ = 0): β on `support` and
    /// g_k = ‖ỹ_k‖²/n_k + min q.
    public func fitTask(_ k: Int, support: [Int]) -> (beta: [Double], value: Double) {
        let (h, g) = taskQuadratic(k, support: support, shift: penalty.ridge, pull: nil)
        let (beta, q) = BoxQP.solve(h, g, bound: penalty.bigM)
        return (beta, tasks[k].responseNormSquared / tasks[k].n + q)
    }

    /// H = G_SS/n_k + shift·I and g = (X̃_kᵀỹ_k/n_k + λ·pull)_S of task k on support S.
    private func taskQuadratic(_ k: Int, support: [Int], shift: Double, pull: [Double]?) -> (h: Matrix, g: [Double]) {
        let t = tasks[k]
        var h = t.gramBlock(support)
        let scale = 1 / t.n
        for i in h.storage.indices { h.storage[i] *= scale }
        for a in 0..<support.count { h[a, a] += shift }
        let g = support.map { j in t.correlation[j] / t.n + (pull.map { penalty.bbar * $0[j] } ?? 0) }
        return (h, g)
    }

    /// The block problem of task k with the other tasks' coefficients held fixed (λ > 0): with
    /// d_k = Σ_l w_kl, pull_k = Σ_l w_kl β_l and, on a support S,
    ///
    ///     f_k(β) = βᵀ(G_SS/n_k + (α + λd_k)I)β − 2βᵀ(X̃_kᵀỹ_k/n_k + λ·pull_k)_S,
    ///
    /// g(Z) changes with β_k alone by f_k(β_k') − f_k(β_k). So replacing task k's coefficients by
    /// the minimiser of f_k over another support (|β| ≤ M, `blockMinimum`) changes g by at most
    /// `blockMinimum(…).value − blockValue(…)` (g minimises over every task's coefficients).
    /// This is f_k at `beta` on `support`.
    func blockValue(_ k: Int, support: [Int], beta: [Double], pull: [Double]) -> Double {
        let (h, g) = taskQuadratic(k, support: support, shift: blockShift(k), pull: pull)
        return BoxQP.value(h, g, beta)
    }

    /// The minimiser of f_k (`blockValue`) over `support`, and its value.
    func blockMinimum(_ k: Int, support: [Int], pull: [Double]) -> (value: Double, beta: [Double]) {
        let (h, g) = taskQuadratic(k, support: support, shift: blockShift(k), pull: pull)
        let (beta, value) = BoxQP.solve(h, g, bound: penalty.bigM)
        return (value, beta)
    }

    /// α + λd_k: the diagonal f_k adds to G/n_k.
    private func blockShift(_ k: Int) -> Double { penalty.ridge + penalty.bbar * laplacian[k, k] }

    /// pull_k = Σ_l w_kl β_l (p) for the coefficients `betas` on `supports`.
    func pull(_ k: Int, supports: [[Int]], betas: [[Double]]) -> [Double] {
        var pull = [Double](repeating: 0, count: featureCount)
        for e in graph.edges where e.k == k || e.l == k {
            let l = e.k == k ? e.l : e.k
            for (j, beta) in zip(supports[l], betas[l]) { pull[j] += e.weight * beta }
        }
        return pull
    }

    /// g(Z) for every penalty mix: the coefficients on each support, the value, and the per-task
    /// values g_k (when λ = 0 the tasks separate; when λ > 0 `taskValues` is just [g(Z)]).
    public func fit(_ supports: [[Int]]) -> (betas: [[Double]], value: Double, taskValues: [Double]) {
        if penalty.bbar == 0 {
            let fits = (0..<taskCount).map { fitTask($0, support: supports[$0]) }
            let values = fits.map(\.value)
            return (fits.map(\.beta), values.reduce(0, +), values)
        }
        let joint = fitJoint(supports)
        return (joint.betas, joint.value, [joint.value])
    }

    /// B (p × K) from coefficients given on each task's support.
    public func coefficients(_ supports: [[Int]], _ betas: [[Double]]) -> Matrix {
        var b = Matrix(rows: featureCount, columns: taskCount)
        for (k, support) in supports.enumerated() { for (j, v) in zip(support, betas[k]) { b[j, k] = v } }
        return b
    }

    /// The coupled fit across tasks (λ > 0).
    func fitJoint(_ supports: [[Int]]) -> (betas: [[Double]], value: Double) {
        var offset = [0]
        for s in supports { offset.append(offset.last! + s.count) }
        let m = offset.last!
        var h = Matrix(rows: m, columns: m)
        var g = [Double](repeating: 0, count: m)
        var constant = 0.0
        let lambda = penalty.bbar
        for (k, support) in supports.enumerated() {
            let t = tasks[k]
            constant += t.responseNormSquared / t.n
            let block = t.gramBlock(support)
            for (a, i) in support.enumerated() {
                g[offset[k] + a] = t.correlation[i] / t.n
                for b in 0..<support.count { h[offset[k] + a, offset[k] + b] = block[a, b] / t.n }
                h[offset[k] + a, offset[k] + a] += penalty.ridge + lambda * laplacian[k, k]
            }
        }
        for e in graph.edges {
            // common features of S_k and S_l (both sorted)
            var a = 0, b = 0
            let sk = supports[e.k], sl = supports[e.l]
            while a < sk.count && b < sl.count {
                if sk[a] == sl[b] {
                    let v = lambda * laplacian[e.k, e.l]
                    h[offset[e.k] + a, offset[e.l] + b] = v
                    h[offset[e.l] + b, offset[e.k] + a] = v
                    a += 1; b += 1
                } else if sk[a] < sl[b] { a += 1 } else { b += 1 }
            }
        }
        let (beta, q) = BoxQP.solve(h, g, bound: penalty.bigM)
        let betas = (0..<supports.count).map { Array(beta[offset[$0]..<offset[$0 + 1]]) }
        return (betas, constant + q)
    }

    /// zbar(new) − zbar(old) when only the tasks in `changed` differ: the edges touching them only.
    public func zbarChange(from old: [[Int]], to new: [[Int]], changed: [Int]) -> Double {
        graph.edges.reduce(0.0) { total, e in
            guard changed.contains(e.k) || changed.contains(e.l) else { return total }
            return total + e.weight * Double(SupportSet.symmetricDifferenceCount(new[e.k], new[e.l])
                                             - SupportSet.symmetricDifferenceCount(old[e.k], old[e.l]))
        }
    }

    /// Σ_{k<l} w_kl |S_k △ S_l| = Σ_{k<l} w_kl‖z_k − z_l‖² (the Zbar term without δ).
    public func zbar(_ supports: [[Int]]) -> Double {
        graph.edges.reduce(0.0) { total, e in
            total + e.weight * Double(SupportSet.symmetricDifferenceCount(supports[e.k], supports[e.l]))
        }
    }
}

/// Operations on sorted feature lists.
public enum SupportSet {
    /// |A △ B| for sorted lists without repeats.
    public static func symmetricDifferenceCount(_ a: [Int], _ b: [Int]) -> Int {
        var i = 0, j = 0, common = 0
        while i < a.count && j < b.count {
            if a[i] == b[j] { common += 1; i += 1; j += 1 } else if a[i] < b[j] { i += 1 } else { j += 1 }
        }
        return a.count + b.count - 2 * common
    }

    /// The membership mask of `features` among p: mask[j] is whether j is in the list.
    public static func mask(_ features: [Int], featureCount p: Int) -> [Bool] {
        var mask = [Bool](repeating: false, count: p)
        for j in features { mask[j] = true }
        return mask
    }

    /// A with `removed` taken out and `added` put in, kept sorted.
    public static func replacing(_ a: [Int], remove removed: Int?, add added: Int?) -> [Int] {
        var result = a
        if let removed, let index = result.firstIndex(of: removed) { result.remove(at: index) }
        if let added {
            let index = result.firstIndex { $0 > added } ?? result.count
            result.insert(added, at: index)
        }
        return result
    }
}
