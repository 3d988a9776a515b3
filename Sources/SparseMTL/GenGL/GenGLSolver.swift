import Foundation

/// Settings of the smoothing proximal gradient method for GenGL.
public struct GenGLSettings: Sendable {
    /// μ, the smoothing parameter; nil: μ with G·μ/2 = `smoothingBudget`·F(0), so the smoothed
    /// objective is within that fraction of F(0) of the true one (G groups, F(0) = Σ_k ‖ỹ_k‖²/n_k).
    public var smoothing: Double? = nil
    public var smoothingBudget = 1e-5
    /// Stop when |F_μ(previous) − F_μ| / max(|F_μ|, 10⁻³⁰⁰) falls below this (in the last stage).
    public var tolerance = 1e-4
    public var maxIterations = 20_000
    public var timeLimitSeconds: Double? = nil
    /// Continuation: solve with μ₀, μ₀/10, …, down to μ, each stage warm-started from the last,
    /// where μ₀ makes the smoothed penalty's curvature equal to the loss's (‖D‖²/μ₀ = h·L_loss). A
    /// large μ is well conditioned and converges fast; each stage then starts near its optimum.
    public var continuation = true
    /// Stop when the duality gap (`GenGLDualityGap.relative`) is at most this, checked every
    /// `gapCheckInterval` iterations and at the end of each stage; μ then keeps falling past the
    /// smoothing budget, by factors of 10, until the gap is reached or a limit stops the fit. nil:
    /// stop on `tolerance` at the budget's μ.
    public var gap: Double? = nil
    public var gapCheckInterval = 50
    /// The method: `auto` takes proximal gradient where every component has an exact proximal
    /// operator (`GenGLPenalty.isSeparable`), else primal–dual splitting.
    public var algorithm = GenGLAlgorithm.auto

    public init() {}
}

/// How GenGL is solved.
public enum GenGLAlgorithm: String, Sendable, CaseIterable {
    /// Proximal gradient for separable penalties, primal–dual splitting otherwise.
    case auto
    /// Nesterov smoothing of every group norm and FISTA on the smooth sum (any operator set).
    case smoothing
    /// FISTA with the exact proximal operator (separable penalties only).
    case proximal
    /// Primal–dual splitting (Condat–Vũ) with a dual point per group (any operator set).
    case primalDual = "primal-dual"
}

/// A GenGL fit: W = Σ_l W_l on the model's scale, and how it was reached.
public struct GenGLResult: Sendable {
    /// W_l of every component (p × K, model scale).
    public var components: [Matrix]
    /// W = Σ_l W_l (p × K, model scale).
    public var coefficients: Matrix
    /// The GenGL objective Σ_k (1/n_k)‖ỹ_k − X̃_k w_k‖² + Ω(W_1, …, W_h), unsmoothed.
    public var objective: Double
    public var loss: Double
    public var penaltyValue: Double
    /// The smoothed objective at the end (last stage's μ).
    public var smoothedObjective: Double
    public var mu: Double
    /// L = h·L_loss + max_l ‖D_l‖²/μ of the last stage (the step is 1/L).
    public var lipschitz: Double
    public var iterations: Int
    public var seconds: Double
    /// converged (the gap reached; without a gap rule, the relative-change rule), iterationLimit,
    /// timeLimit, interrupted, or numericalLimit (smoothing could not bring the gap down).
    public var status: SolveStatus
    /// The duality gap at the fit (`GenGLDualityGap`); nil for operator sets it does not handle.
    public var dualityGap: GenGLDualityGap?
}

/// Solves min_W Σ_k (1/n_k)‖ỹ_k − X̃_k w_k‖² + Ω(W) (DESIGN.md section 6) by `settings.algorithm`:
/// proximal gradient (`proximalSolve`), primal–dual splitting (`primalDualSolve`), or, below,
/// smoothing proximal gradient: every group norm of Ω is Nesterov-smoothed (`GenGLPenalty`), and the smooth sum is minimised by
/// accelerated gradient (FISTA) with step 1/L, L = h·L_loss + max_l γ_l²‖D_l‖²/μ computed from the
/// data (L_loss = max_k 2λ_max(X̃_kᵀX̃_k)/n_k by LAPACK) and the operators (closed form), with a
/// momentum restart whenever the smoothed objective rises.
public struct GenGLSolver: Sendable {
    public var settings: GenGLSettings

    public init(settings: GenGLSettings = GenGLSettings()) {
        self.settings = settings
    }

    /// L_loss = max_k 2λ_max(X̃_kᵀX̃_k)/n_k, through the smaller of X̃ᵀX̃ and X̃X̃ᵀ.
    public static func lossLipschitz(_ instance: Instance) -> Double {
        instance.designs.reduce(0.0) { largest, x in
            guard x.rows > 0, x.columns > 0 else { return largest }
            let gram = x.rows < x.columns ? BLAS.multiply(x, x, .none, .transpose) : BLAS.gram(x)
            return max(largest, 2 * SymmetricEigen.largest(gram) / Double(x.rows))
        }
    }

    /// Fits `penalty` on `instance`, from `warmStart` (one matrix per component) or from zero.
    /// - Throws: `InputError` for settings out of range.
    public func solve(_ instance: Instance, penalty: GenGLPenalty, warmStart: [Matrix]? = nil) throws -> GenGLResult {
        let clock = Date()
        let (p, kCount, h) = (instance.featureCount, instance.taskCount, penalty.components.count)
        guard h >= 1 else { throw InputError(file: "--operators", "the penalty needs at least one component") }
        guard penalty.gamma >= 0, penalty.gamma.isFinite else { throw InputError(file: "--gamma", "γ must be ≥ 0, got \(penalty.gamma)") }
        guard penalty.phi > 0, penalty.phi.isFinite else { throw InputError(file: "--phi", "φ must be positive, got \(penalty.phi)") }
        guard settings.tolerance > 0, settings.maxIterations >= 1 else {
            throw InputError(file: "--tolerance", "the tolerance must be positive and the iteration limit at least 1")
        }
        let objective = GenGLObjective(instance: instance, penalty: penalty)
        let groups = penalty.groupCount(features: p, tasks: kCount)
        let finalMu = settings.smoothing ?? max(2 * settings.smoothingBudget * objective.nullLoss / Double(max(groups, 1)), 1e-12)
        guard finalMu > 0, finalMu.isFinite else { throw InputError(file: "--smoothing", "μ must be positive, got \(finalMu)") }
        let lossL = Double(h) * Self.lossLipschitz(instance)
        let penaltyL = (0..<h).map { penalty.smoothingLipschitz(component: $0, features: p, tasks: kCount) }.max() ?? 0

        var x = warmStart ?? Array(repeating: Matrix(rows: p, columns: kCount), count: h)
        precondition(x.count == h && x.allSatisfy { $0.rows == p && $0.columns == kCount }, "GenGLSolver: warm start of the wrong shape")
        // The dual point's projection is prepared once (a pseudo-inverse when the penalty leaves a part of W free).
        let dualPoint = GenGLDualPoint(objective)
        switch settings.algorithm {
        case .proximal where !penalty.isSeparable:
            throw InputError(file: "--algorithm", "proximal needs a separable penalty (operator sets C and F, one term per component)")
        case .proximal, .auto where penalty.isSeparable:
            return proximalSolve(objective, from: x, lossLipschitz: lossL, dualPoint: dualPoint, clock: clock)
        case .primalDual, .auto:
            let operatorNorm = (0..<h).map { penalty.smoothingLipschitz(component: $0, features: p, tasks: kCount) }.max() ?? 0
            return primalDualSolve(objective, from: x, lossLipschitz: lossL, operatorNorm: operatorNorm, dualPoint: dualPoint, clock: clock)
        case .smoothing: break
        }
        var iterations = 0, status = SolveStatus.converged, value = 0.0, lipschitz = lossL
        func reachesGap(_ components: [Matrix], _ mu: Double) -> Bool {
            guard let target = settings.gap, let gap = dualPoint.gap(components, mu: mu) else { return false }
            return dualPoint.closes(gap, target: target)
        }
        var mu = settings.continuation && lossL > 0 ? max(finalMu, penaltyL / lossL) : finalMu
        stages: while true {
            lipschitz = lossL + penaltyL / mu
            guard lipschitz > 0 else { break }  // no loss curvature and no penalty: W = 0 is optimal
            let step = 1 / lipschitz
            var gradient = x
            var iterate = AcceleratedIterate(x, value: objective.smoothed(x, mu: mu, gradient: &gradient))
            value = iterate.value
            while true {
                if let stop = stopStatus(iterations: iterations, since: clock) { status = stop; break stages }
                iterations += 1
                _ = objective.smoothed(iterate.y, mu: mu, gradient: &gradient)
                var next = iterate.y
                for l in 0..<h { Vector.axpy(-step, gradient[l].storage, &next[l].storage) }
                var scratch = next
                let outcome = iterate.accept(next, value: objective.smoothed(next, mu: mu, gradient: &scratch))
                (x, value) = (iterate.x, iterate.value)
                switch outcome {
                case .stalled, .rounding: break   // the stage is done
                case .restarted: continue
                case .moved(let change):
                    if settings.gap != nil && iterations % max(settings.gapCheckInterval, 1) == 0 && reachesGap(x, mu) { break stages }
                    if change >= settings.tolerance { continue }
                }
                break
            }
            if settings.gap != nil && dualPoint.projection != nil {
                if reachesGap(x, mu) { break }
                // The smoothing bounds how close the dual point gets: a smaller μ, down to 10⁻¹² of the budget's.
                guard mu > finalMu * 1e-12 else { status = .numericalLimit; break }
                mu /= 10
                continue
            }
            if mu <= finalMu { break }
            mu = max(mu / 10, finalMu)
        }
        return GenGLResult(objective, components: x, smoothedObjective: value, mu: mu, lipschitz: lipschitz, iterations: iterations,
                           status: status, dualityGap: dualPoint.gap(x, mu: mu), since: clock)
    }
}

extension GenGLSolver {
    /// The status a limit gives after `iterations` (iteration or time limit, Ctrl-C), or nil to go on.
    func stopStatus(iterations: Int, since clock: Date) -> SolveStatus? {
        if iterations >= settings.maxIterations { return .iterationLimit }
        if Interrupt.isRequested { return .interrupted }
        if let limit = settings.timeLimitSeconds, Date().timeIntervalSince(clock) >= limit { return .timeLimit }
        return nil
    }
}

/// FISTA's state with a restart whenever the objective rises (the smoothing and proximal methods'):
/// the iterate x and its value F(x), the point y the next step starts from, and the momentum t.
struct AcceleratedIterate {
    private(set) var x: [Matrix]
    private(set) var y: [Matrix]
    private(set) var value: Double
    private var t = 1.0

    init(_ x: [Matrix], value: Double) {
        self.x = x
        y = x
        self.value = value
    }

    /// What `accept` did.
    enum Step {
        /// x moved to the step; F changed by this fraction.
        case moved(change: Double)
        /// F rose: the momentum overshot; the next step starts from x with t = 1.
        case restarted
        /// F rose after a plain step from x (t = 1), which only rounding can do, by no more than
        /// rounding (10⁻¹³ relative): x moved there all the same (F is flat to rounding here, but
        /// W, and with it the residuals the gap's dual point is built from, still improve).
        case rounding
        /// F rose after a plain step from x by more than rounding: as far as it goes.
        case stalled
    }

    /// Takes `next`, a step from y, whose objective is `nextValue`: if F does not rise, x moves there
    /// and y = x⁺ + ((t − 1)/t⁺)(x⁺ − x) with t⁺ = (1 + √(1 + 4t²))/2.
    mutating func accept(_ next: [Matrix], value nextValue: Double) -> Step {
        if nextValue > value {
            if t == 1 {
                guard nextValue - value <= 1e-13 * abs(value) else { return .stalled }
                (x, y, value) = (next, next, nextValue)
                return .rounding
            }
            y = x
            t = 1
            return .restarted
        }
        let tNext = (1 + (1 + 4 * t * t).squareRoot()) / 2
        let momentum = (t - 1) / tNext
        y = zip(x, next).map { previous, current in
            var yl = current
            for e in yl.storage.indices { yl.storage[e] += momentum * (current.storage[e] - previous.storage[e]) }
            return yl
        }
        let change = abs(value - nextValue) / max(abs(nextValue), 1e-300)
        (x, value, t) = (next, nextValue, tNext)
        return .moved(change: change)
    }
}

extension GenGLResult {
    /// The result at `components` (W_l) of `objective`: the unsmoothed objective and its parts, W,
    /// and the time since `clock`.
    init(_ objective: GenGLObjective, components: [Matrix], smoothedObjective: Double?, mu: Double, lipschitz: Double, iterations: Int,
         status: SolveStatus, dualityGap: GenGLDualityGap?, since clock: Date) {
        let parts = objective.parts(components)
        self.init(components: components, coefficients: GenGLObjective.sum(components), objective: parts.loss + parts.penalty,
                  loss: parts.loss, penaltyValue: parts.penalty, smoothedObjective: smoothedObjective ?? parts.loss + parts.penalty,
                  mu: mu, lipschitz: lipschitz, iterations: iterations, seconds: Date().timeIntervalSince(clock), status: status,
                  dualityGap: dualityGap)
    }

    /// The support read off W: entry (j, k) is in it when its part of task k's fitted values is not
    /// negligible, |w_jk|·sd(x̃_jk) > `relativeThreshold`·sd(ỹ_k) (sd over the task's rows). Smoothing
    /// leaves entries that the unsmoothed optimum has at zero small but not exactly zero; this rule is
    /// scale-free and, unlike a threshold relative to max|W|, reads W ≈ 0 as empty.
    public func support(_ instance: Instance, relativeThreshold: Double) -> Support {
        Support((0..<instance.taskCount).map { k in
            let x = instance.designs[k], n = Double(max(x.rows, 1))
            let responseSD = (Vector.dot(instance.responses[k], instance.responses[k]) / n).squareRoot()
            return (0..<x.columns).filter { j in
                let featureSD = (Vector.dot(x.storage, j * x.rows, x.storage, j * x.rows, count: x.rows) / n).squareRoot()
                return abs(coefficients[j, k]) * featureSD > relativeThreshold * responseSD
            }
        })
    }
}
