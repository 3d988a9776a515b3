import Foundation

/// k-fold cross-validation of GenGL over γ (and φ), on the folds `sparsemtl cv` uses for the same
/// --folds, --repeats and --seed (`FoldAssignment`), scored as `CrossValidation` scores the sparse
/// model (DESIGN.md section 7): for every (repeat, fold) and φ, a warm-started path over the γ grid
/// is fitted on the training rows, and each point is scored by the mean over the held-out tasks of
/// their validation MSE, with the training fold's intercepts. The criterion of (γ, φ) is its mean
/// over the (repeat, fold) units.
public struct GenGLCrossValidation: Sendable {
    public var folds: Int
    /// Independent random splits (repeat r uses seed + r).
    public var repeats = 1
    public var seed: UInt64
    /// Solves every fit (its gap rule applies to each point of each fold's path).
    public var solver: GenGLSolver
    /// When the folds stop (nil: never); only (repeat, fold) units whose every path finished are scored.
    public var deadline: Date? = nil
    /// Threads for the (repeat, fold, φ) items.
    public var workers = ProcessInfo.processInfo.activeProcessorCount

    public init(folds: Int = 5, seed: UInt64 = 1, solver: GenGLSolver) {
        self.folds = folds
        self.seed = seed
        self.solver = solver
    }

    /// The scores of one (γ, φ).
    public struct Score: Sendable {
        public var gamma: Double
        public var phi: Double
        /// Criterion per finished (repeat, fold), in their order.
        public var foldErrors: [Double]
        /// Folds per repeat (k), for the standard error.
        public var folds: Int

        public var meanError: Double { CrossValidation.Score.mean(foldErrors) }
        public var standardError: Double { CrossValidation.Score.standardError(foldErrors, folds: folds) }
    }

    /// Everything a run produced.
    public struct Outcome: Sendable {
        /// One score per (φ, γ), φ outer, γ in the grid's (decreasing) order.
        public var scores: [Score]
        public var assignment: FoldAssignment
        /// The (repeat, fold) units finished and scored.
        public var finished: [(repeat: Int, fold: Int)]
        /// Fold fits that stopped short of the solver's gap (iteration or numerical limit): they
        /// are scored as they are, and counted here so that a user can tighten or loosen the fit.
        public var fitsShortOfGap = 0
        public var complete: Bool { finished.count == assignment.units.count }
    }

    /// Scores every (γ, φ).
    /// - Parameters:
    ///   - gammas: the γ grid, fitted in this order with warm starts (give it decreasing).
    ///   - penalty: the GenGL penalty at (γ, φ).
    ///   - progress: called after each fitted point with the points done and the total.
    /// - Throws: `InputError` for bad folds, or what the first fold's instance or penalty throws.
    public func run(_ definition: ProblemDefinition, gammas: [Double], phis: [Double],
                    penalty: @escaping @Sendable (Double, Double) throws -> GenGLPenalty,
                    progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> Outcome {
        precondition(!gammas.isEmpty && !phis.isEmpty, "GenGLCrossValidation: an empty grid")
        let assignment = try FoldAssignment(sampleCounts: definition.dataset.sampleCounts, folds: folds, repeats: repeats, seed: seed)
        // What every fold would throw, thrown once here.
        _ = try definition.instance(dataset: definition.dataset.rows(assignment.training(repeat: 0, fold: 0)))
        _ = try penalty(gammas[0], phis[0])
        let units = assignment.units
        let total = units.count * phis.count * gammas.count
        let counter = ProgressCounter(total: total, report: progress)
        let (solver, deadline) = (self.solver, self.deadline)
        let items = ParallelWork.map(units.count * phis.count, workers: workers) { w -> Result<(errors: [Double], short: Int)?, Error> in
            Result {
                let (r, f) = units[w / phis.count]
                let phi = phis[w % phis.count]
                let dataset = definition.dataset
                let training = try definition.instance(dataset: dataset.rows(assignment.training(repeat: r, fold: f)))
                let validation = dataset.rows(assignment.validation(repeat: r, fold: f))
                let heldOut = validation.sampleCounts.map { $0 > 0 }
                var warm: [Matrix]? = nil
                var errors: [Double] = [], short = 0
                for gamma in gammas {
                    if Interrupt.isRequested || deadline.map({ Date() >= $0 }) == true { return nil }
                    var settings = solver.settings
                    if let deadline { settings.timeLimitSeconds = max(deadline.timeIntervalSinceNow, 0.001) }
                    let result = try GenGLSolver(settings: settings).solve(training, penalty: penalty(gamma, phi), warmStart: warm)
                    if result.status == .interrupted || result.status == .timeLimit { return nil }
                    warm = result.components
                    if result.status != .converged { short += 1 }
                    if heldOut.contains(true) {
                        errors.append(CrossValidation.criterion(result.coefficients, training: training, validation: validation, heldOut: heldOut))
                    }
                    counter.advance()
                }
                return (errors, short)
            }
        }
        var scores = phis.flatMap { phi in gammas.map { Score(gamma: $0, phi: phi, foldErrors: [], folds: assignment.folds) } }
        var finished: [(repeat: Int, fold: Int)] = []
        var short = 0
        for u in units.indices {
            let parts = try items[(u * phis.count)..<((u + 1) * phis.count)].map { try $0.get() }
            guard parts.allSatisfy({ $0 != nil }) else { continue }
            finished.append(units[u])
            short += parts.reduce(0) { $0 + $1!.short }
            let errors = parts.flatMap { $0!.errors }
            guard errors.count == scores.count else { continue }  // a fold that holds out no row scores nothing
            for i in scores.indices { scores[i].foldErrors.append(errors[i]) }
        }
        return Outcome(scores: scores, assignment: assignment, finished: finished, fitsShortOfGap: short)
    }

    /// The index of the chosen score under `rule` (nil when nothing was scored): `min`, or `1se`,
    /// the largest γ (the sparsest, most shrunk fit) among the points within one standard error of
    /// the minimum, ties to the earlier point.
    public static func choose(_ scores: [Score], rule: SelectionRule) -> Int? {
        let scored = scores.indices.filter { !scores[$0].foldErrors.isEmpty && scores[$0].meanError.isFinite }
        guard let best = scored.min(by: { scores[$0].meanError < scores[$1].meanError }) else { return nil }
        guard rule == .oneStandardError else { return best }
        let threshold = scores[best].meanError + scores[best].standardError
        return scored.filter { scores[$0].meanError <= threshold }.min { scores[$0].gamma > scores[$1].gamma }
    }

    /// The chosen model: the path over `gammas` (decreasing, as cross-validated) at the chosen φ,
    /// fitted on all of `instance` with warm starts down to the chosen γ; its last fit.
    public func refit(_ instance: Instance, gammas: [Double], chosen: Score,
                      penalty: (Double, Double) throws -> GenGLPenalty) throws -> GenGLResult {
        var warm: [Matrix]? = nil
        var last: GenGLResult? = nil
        for gamma in gammas {
            let result = try solver.solve(instance, penalty: penalty(gamma, chosen.phi), warmStart: warm)
            warm = result.components
            last = result
            if gamma == chosen.gamma || result.status == .interrupted { break }
        }
        return last!
    }
}
