import Foundation

extension GenGLSolver {
    /// Accelerated proximal gradient (FISTA) on the unsmoothed objective, for separable penalties
    /// (`GenGLPenalty.isSeparable`: lasso, group lasso, rmtfl): a gradient step on the loss for every
    /// component, step 1/L with L = h·L_loss, then each component's exact proximal operator (block
    /// soft-thresholding), with a momentum restart whenever F rises. It stops at `settings.gap`
    /// (checked every `gapCheckInterval` iterations and whenever F stops moving), else when the
    /// relative change of F falls below `settings.tolerance`, or at a limit.
    func proximalSolve(_ objective: GenGLObjective, from start: [Matrix], lossLipschitz: Double, dualPoint: GenGLDualPoint,
                       clock: Date) -> GenGLResult {
        let penalty = objective.penalty
        let h = start.count
        var x = start
        var iterations = 0, status = SolveStatus.converged
        func value(_ components: [Matrix]) -> Double { let parts = objective.parts(components); return parts.loss + parts.penalty }
        func reachesGap() -> Bool {
            guard let target = settings.gap, let gap = dualPoint.gap(x, mu: 0) else { return false }
            return gap.relative <= target
        }
        if lossLipschitz > 0 {
            let step = 1 / lossLipschitz
            var y = x, t = 1.0, current = value(x)
            var gradient = x[0]
            while true {
                if let stop = stopStatus(iterations: iterations, since: clock) { status = stop; break }
                iterations += 1
                _ = objective.loss(GenGLObjective.sum(y), gradient: &gradient)
                var next = y
                for l in 0..<h {
                    Vector.axpy(-step, gradient.storage, &next[l].storage)
                    penalty.applyProximal(&next[l], component: l, step: step)
                }
                let nextValue = value(next)
                if nextValue > current {
                    // A plain step from x (t = 1) cannot raise F but by rounding: as far as it goes.
                    if t == 1 {
                        if settings.gap != nil && !reachesGap() { status = .numericalLimit }
                        break
                    }
                    y = x
                    t = 1
                    continue
                }
                let tNext: Double
                (y, tNext) = Self.extrapolate(from: x, to: next, t: t)
                let change = abs(current - nextValue) / max(abs(nextValue), 1e-300)
                x = next
                current = nextValue
                t = tNext
                if settings.gap != nil {
                    if (iterations % max(settings.gapCheckInterval, 1) == 0 || change == 0) && reachesGap() { break }
                } else if change < settings.tolerance {
                    break
                }
            }
        }
        let parts = objective.parts(x)
        let gap = dualPoint.gap(x, mu: 0)
        return GenGLResult(components: x, coefficients: GenGLObjective.sum(x), objective: parts.loss + parts.penalty,
                           loss: parts.loss, penaltyValue: parts.penalty, smoothedObjective: parts.loss + parts.penalty, mu: 0,
                           lipschitz: lossLipschitz, iterations: iterations, seconds: Date().timeIntervalSince(clock), status: status,
                           dualityGap: gap)
    }
}
