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
        var x = start
        var iterations = 0, status = SolveStatus.converged, roundingSteps = 0
        func value(_ components: [Matrix]) -> Double { let parts = objective.parts(components); return parts.loss + parts.penalty }
        func reachesGap() -> Bool {
            guard let target = settings.gap, let gap = dualPoint.gap(x, mu: 0) else { return false }
            return dualPoint.closes(gap, target: target)
        }
        if lossLipschitz > 0 {
            let step = 1 / lossLipschitz
            var iterate = AcceleratedIterate(x, value: value(x))
            var gradient = x[0]
            while true {
                if let stop = stopStatus(iterations: iterations, since: clock) { status = stop; break }
                iterations += 1
                _ = objective.loss(GenGLObjective.sum(iterate.y), gradient: &gradient)
                var next = iterate.y
                for l in next.indices {
                    Vector.axpy(-step, gradient.storage, &next[l].storage)
                    penalty.applyProximal(&next[l], component: l, step: step)
                }
                let outcome = iterate.accept(next, value: value(next))
                x = iterate.x
                switch outcome {
                case .stalled:
                    if settings.gap != nil && !reachesGap() { status = .numericalLimit }
                case .rounding:
                    // F is flat to rounding: the gap decides, within a budget of such steps.
                    roundingSteps += 1
                    if settings.gap == nil || reachesGap() { break }
                    if roundingSteps < 200 { continue }
                    status = .numericalLimit
                case .restarted: continue
                case .moved(let change):
                    if settings.gap != nil {
                        if !((iterations % max(settings.gapCheckInterval, 1) == 0 || change == 0) && reachesGap()) { continue }
                    } else if change >= settings.tolerance {
                        continue
                    }
                }
                break
            }
        }
        return GenGLResult(objective, components: x, smoothedObjective: nil, mu: 0, lipschitz: lossLipschitz, iterations: iterations,
                           status: status, dualityGap: dualPoint.gap(x, mu: 0), since: clock)
    }
}
