/// The GenGL objective on an instance's centred data: Σ_k (1/n_k)‖ỹ_k − X̃_k w_k‖² + Ω(W_1, …, W_h)
/// with W = Σ_l W_l, its smoothed version and gradient (`GenGLPenalty`).
struct GenGLObjective {
    let instance: Instance
    let penalty: GenGLPenalty

    /// F(0) = Σ_k ‖ỹ_k‖²/n_k.
    var nullLoss: Double {
        zip(instance.responses, instance.sampleCounts).reduce(0.0) { $0 + Vector.dot($1.0, $1.0) / Double(max($1.1, 1)) }
    }

    /// W = Σ_l W_l.
    static func sum(_ components: [Matrix]) -> Matrix {
        var w = components[0]
        for c in components.dropFirst() { Vector.axpy(1, c.storage, &w.storage) }
        return w
    }

    /// r_k = ỹ_k − X̃_k w_k, task k's residual at W.
    func residual(_ w: Matrix, task k: Int) -> [Double] {
        var r = instance.responses[k]
        BLAS.gemv(.none, alpha: -1, instance.designs[k], w.column(k), beta: 1, &r)
        return r
    }

    /// The loss at W and its gradient −(2/n_k) X̃_kᵀ(ỹ_k − X̃_k w_k) (column k).
    func loss(_ w: Matrix, gradient: inout Matrix) -> Double {
        var total = 0.0
        for k in 0..<instance.taskCount {
            let x = instance.designs[k]
            let n = Double(max(x.rows, 1))
            let r = residual(w, task: k)
            total += Vector.dot(r, r) / n
            var g = [Double](repeating: 0, count: w.rows)
            BLAS.gemv(.transpose, alpha: -2 / n, x, r, &g)
            gradient.setColumn(k, g)
        }
        return total
    }

    /// f(W) = Σ_k (1/n_k)‖ỹ_k − X̃_k w_k‖² alone (one product per task; FISTA evaluates it at every step).
    func loss(_ w: Matrix) -> Double {
        (0..<instance.taskCount).reduce(0.0) { total, k in
            let r = residual(w, task: k)
            return total + Vector.dot(r, r) / Double(max(r.count, 1))
        }
    }

    /// F_μ at the components, with the gradient with respect to every component in `gradient`.
    func smoothed(_ components: [Matrix], mu: Double, gradient: inout [Matrix]) -> Double {
        var lossGradient = components[0]
        var value = loss(Self.sum(components), gradient: &lossGradient)
        for l in components.indices {
            gradient[l] = lossGradient
            value += penalty.smoothed(components[l], component: l, mu: mu, gradient: &gradient[l])
        }
        return value
    }

    /// The unsmoothed loss and penalty.
    func parts(_ components: [Matrix]) -> (loss: Double, penalty: Double) {
        let lossValue = loss(Self.sum(components))
        let penaltyValue = components.indices.reduce(0.0) { $0 + penalty.value(components[$1], component: $1) }
        return (lossValue, penaltyValue)
    }
}
