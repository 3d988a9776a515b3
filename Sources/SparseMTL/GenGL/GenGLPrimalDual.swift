import Foundation

extension GenGLSolver {
    /// Primal–dual splitting (Condat–Vũ) for any operator set: with a dual point U_g in the unit
    /// ball for every group and K_l W = [c_g A_g W]_g,
    ///
    ///     W_l⁺ = W_l − τ(∇f(W) + K_lᵀU_l),    U_g⁺ = proj_{‖·‖≤1}(U_g + σ c_g A_g(2W_l⁺ − W_l)),
    ///
    /// which converges when 1/τ − σ‖K‖² ≥ L_f/2 (L_f = h·L_loss, ‖K‖² = max_l ‖D_l‖², closed form);
    /// here σ‖K‖² = L_f/2 and τ = 0.99/L_f. The dual iterate is the dual point of the gap
    /// (`GenGLDualPoint`), so the gap closes as the iterates converge. Where the penalty leaves W's
    /// task-constant part free (metag), that part is minimised exactly at every iteration
    /// (`GenGLDualPoint.minimizeCommonPart`) instead of by gradient steps, which crawl along it when
    /// the pooled designs are ill-conditioned. Stops at `settings.gap`
    /// (every `gapCheckInterval` iterations), else when W's relative change falls below
    /// `settings.tolerance`, or at a limit.
    func primalDualSolve(_ objective: GenGLObjective, from start: [Matrix], lossLipschitz: Double, operatorNorm: Double,
                         dualPoint: GenGLDualPoint, clock: Date) -> GenGLResult {
        let h = start.count
        let layouts = dualPoint.layouts
        var x = start
        var duals = layouts.map { [Double](repeating: 0, count: $0.size) }
        var scratch = duals
        var iterations = 0, status = SolveStatus.converged
        let lf = max(lossLipschitz, 1e-300)
        let tau = 0.99 / lf
        let sigma = operatorNorm > 0 ? lf / (2 * operatorNorm) : 0
        var gradient = x[0], extrapolated = x[0]  // buffers reused across iterations
        while true {
            if let stop = stopStatus(iterations: iterations, since: clock) { status = stop; break }
            iterations += 1
            // Where W's task-constant part is free, it is minimised exactly first: the method then runs
            // on the reduced problem min_V [min_c f(c1ᵀ + V)] + Ω(V), whose gradient has no such part.
            dualPoint.minimizeCommonPart(&x)
            _ = objective.loss(GenGLObjective.sum(x), gradient: &gradient)
            var change = 0.0, size = 0.0
            for l in 0..<h {
                var next = x[l]
                Vector.axpy(-tau, gradient.storage, &next.storage)
                layouts[l].addAdjoint(duals[l], scale: -tau, into: &next)
                let previous = x[l]
                extrapolated.storage.withUnsafeMutableBufferPointer { out in
                    for e in out.indices {
                        let (now, before) = (next.storage[e], previous.storage[e])
                        out[e] = 2 * now - before
                        change += (now - before) * (now - before)
                        size += now * now
                    }
                }
                layouts[l].ascend(&duals[l], along: extrapolated, step: sigma, scratch: &scratch[l])
                x[l] = next
            }
            if let target = settings.gap {
                if iterations % max(settings.gapCheckInterval, 1) == 0, let gap = dualPoint.gap(x, mu: 0, duals: duals), dualPoint.closes(gap, target: target) { break }
            } else if change.squareRoot() <= settings.tolerance * max(size.squareRoot(), 1e-300) {
                break
            }
        }
        return GenGLResult(objective, components: x, smoothedObjective: nil, mu: 0, lipschitz: lossLipschitz, iterations: iterations,
                           status: status, dualityGap: dualPoint.gap(x, mu: 0, duals: duals), since: clock)
    }
}
