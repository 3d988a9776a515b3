/// The heuristic's current point: supports S_k, their exactly refitted coefficients and
/// Φ(Z) = g(Z) + δ·Zbar(Z) (+ Σ c_jk z_jk with the problem's linear costs), with g(Z) per task
/// when λ = 0 (tasks separate).
struct SearchState {
    /// Sorted supports S_k.
    var supports: [[Int]]
    /// β_k on S_k, aligned with `supports`.
    var betas: [[Double]]
    /// g_k(S_k) per task when λ = 0; when λ > 0 the single entry g(Z) (only `fitValue` is used).
    var taskValues: [Double]
    /// g(Z).
    var fitValue: Double
    /// Σ_{k<l} w_kl|S_k △ S_l| (kept up to date only when δ > 0: Φ does not use it otherwise).
    var zbar: Double
    /// Σ c_jk z_jk (`InnerProblem.linearCosts`).
    var linearCost: Double

    /// Φ(Z) = g(Z) + δ·Zbar(Z) + Σ c_jk z_jk.
    func objective(_ delta: Double) -> Double { fitValue + delta * zbar + linearCost }

    /// The point with every support fitted from scratch.
    init(supports: [[Int]], problem: InnerProblem) {
        self.supports = supports
        let fit = problem.fit(supports)
        betas = fit.betas
        taskValues = fit.taskValues
        fitValue = fit.value
        zbar = problem.zbar(supports)
        linearCost = problem.linearCost(supports)
    }

    /// The point after changing the supports of `changed` tasks to `newSupports`, with the
    /// coefficients refitted exactly: only the changed tasks when λ = 0, all tasks jointly when λ > 0.
    func changing(_ changed: [Int], to newSupports: [[Int]], problem: InnerProblem) -> SearchState {
        var next = self
        for (k, support) in zip(changed, newSupports) { next.supports[k] = support }
        if problem.penalty.bbar == 0 {
            for k in changed {
                let (beta, value) = problem.fitTask(k, support: next.supports[k])
                next.betas[k] = beta
                next.fitValue += value - next.taskValues[k]
                next.taskValues[k] = value
            }
        } else {
            let fit = problem.fit(next.supports)
            next.betas = fit.betas
            next.fitValue = fit.value
        }
        if problem.penalty.zbar != 0 { next.zbar = zbar + problem.zbarChange(from: supports, to: next.supports, changed: changed) }
        next.linearCost = problem.linearCost(next.supports)
        return next
    }

    /// B as a p × K matrix.
    func coefficients(_ problem: InnerProblem) -> Matrix { problem.coefficients(supports, betas) }
}
