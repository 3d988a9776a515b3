import Foundation

/// k-fold cross-validation inside every task (`FoldAssignment`), optionally repeated over several
/// random splits. For each (repeat, fold) the path over the grid is fitted on the training rows
/// (`SolutionPath`, on p + 1 compressed rows per task when n_k ≫ p), and each point is scored on
/// the held-out rows with the training fold's intercepts. Training fits use the faster heuristic
/// settings noted in `run` (the final refit, outside, does not). The criterion of a penalty is the mean
/// over (repeat, fold) of the mean over the tasks held out in that fold of their validation MSE
/// (DESIGN.md section 7). The work is split into independent units, one per (repeat, fold, λ):
/// each fits the part of the path with that λ (λ is the outermost loop of the path order), so the
/// threads stay busy to the end (5 folds on 2 cores would leave one idle for a third of the time).
public struct CrossValidation {
    /// Number of folds k ≥ 2.
    public var folds: Int
    /// Number of independent random splits (≥ 1); repeat r uses seed + r.
    public var repeats = 1
    /// Seed of the row shuffle.
    public var seed: UInt64
    /// Heuristic settings for every fit.
    public var settings: HeuristicSettings
    /// When cross-validation stops (nil: never); only folds finished by then are scored.
    public var deadline: Date? = nil
    /// Threads for the folds (default: the machine's cores).
    public var workers = ProcessInfo.processInfo.activeProcessorCount

    public init(folds: Int = 5, seed: UInt64 = 1, settings: HeuristicSettings = HeuristicSettings()) {
        self.folds = folds
        self.seed = seed
        self.settings = settings
    }

    /// The result for one penalty.
    public struct Score: Sendable {
        public var penalty: Penalty
        /// Criterion per finished (repeat, fold), in their order.
        public var foldErrors: [Double]
        /// Folds per repeat (k), for the standard error.
        public var folds: Int

        public init(penalty: Penalty, foldErrors: [Double], folds: Int) {
            self.penalty = penalty
            self.foldErrors = foldErrors
            self.folds = folds
        }

        /// Mean over folds.
        public var meanError: Double { Self.mean(foldErrors) }
        /// Standard error of the mean (`standardError(_:folds:)`).
        public var standardError: Double { Self.standardError(foldErrors, folds: folds) }

        /// The mean of fold errors (0 for none).
        public static func mean(_ errors: [Double]) -> Double { errors.reduce(0, +) / Double(max(errors.count, 1)) }

        /// Standard error of the mean: the standard deviation of the fold errors over √k. With
        /// repeats, the R·k errors are pooled for the deviation but divided by √k only, since the
        /// repeats reuse the same rows and are not independent.
        public static func standardError(_ errors: [Double], folds: Int) -> Double {
            let m = mean(errors), count = Double(errors.count)
            guard count > 1 else { return 0 }
            let variance = errors.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (count - 1)
            return (variance / Double(min(folds, errors.count))).squareRoot()
        }
    }

    /// The criterion of one fit on a fold: the mean over the tasks with held-out rows of their
    /// validation MSE, predicted with coefficients B (the training instance's model scale) and the
    /// training fold's intercepts.
    static func criterion(_ b: Matrix, training: Instance, validation: Dataset, heldOut: [Bool]) -> Double {
        let original = training.preprocessing.toOriginalUnits(b)
        let errors = validation.meanSquaredErrors(coefficients: original,
                                                  intercepts: training.preprocessing.intercepts(originalCoefficients: original))
        let scored = errors.indices.filter { heldOut[$0] }
        return scored.reduce(0) { $0 + errors[$1] } / Double(scored.count)
    }

    /// Everything a run produced.
    public struct Outcome: Sendable {
        /// One score per grid point, in path order.
        public var scores: [Score]
        /// The folds.
        public var assignment: FoldAssignment
        /// The (repeat, fold) units finished and scored, in order.
        public var finished: [(repeat: Int, fold: Int)]
        /// Whether every unit finished.
        public var complete: Bool { finished.count == assignment.units.count }
    }

    /// The folds of every task.
    /// - Throws: `InputError` for k < 2, repeats < 1 or an empty task.
    public func assignFolds(_ dataset: Dataset) throws -> FoldAssignment {
        try FoldAssignment(sampleCounts: dataset.sampleCounts, folds: folds, repeats: repeats, seed: seed)
    }

    /// The work of a cross-validation, split into independent items: item w fits fold unit
    /// w / slices of the assignment along the grid's λ slice w mod slices (λ is the outermost loop
    /// of the path order). `run` spreads the items over threads; `sparsemtl grid` runs each as a
    /// task of its own and `outcome(items:)` assembles the same scores from their results.
    public struct Plan: Sendable {
        public let definition: ProblemDefinition
        public let grid: PenaltyGrid
        public let assignment: FoldAssignment
        /// The penalties in path order (one score each).
        public let penalties: [Penalty]
        let path: SolutionPath

        /// Number of λ slices per fold unit.
        public var slices: Int { grid.bbars.count }
        /// Number of items: fold units × λ slices.
        public var itemCount: Int { assignment.units.count * slices }

        /// The (repeat, fold) and λ of item w.
        public func item(_ w: Int) -> (repeat: Int, fold: Int, bbar: Double) {
            let unit = assignment.units[w / slices]
            return (unit.repeat, unit.fold, grid.bbars[w % slices])
        }

        /// The training instance (compressed once when n_k ≫ p) and held-out rows of fold unit u.
        func foldData(_ u: Int) throws -> (training: Instance, validation: Dataset) {
            let (r, f) = assignment.units[u]
            let dataset = definition.dataset
            let training = try definition.instance(dataset: dataset.rows(assignment.training(repeat: r, fold: f)))
            return (SolutionPath.compresses(training) ? training.compressed() : training,
                    dataset.rows(assignment.validation(repeat: r, fold: f)))
        }

        /// The validation criterion of each point of item w's λ slice, in path order: [] when the
        /// fold holds out no row (only tasks smaller than k), nil when the deadline stopped the slice.
        /// - Parameter advance: called after each fitted point.
        func score(_ w: Int, fold: (training: Instance, validation: Dataset), advance: @escaping () -> Void = {}) -> [Double]? {
            if path.stopped { return nil }
            var slice = grid
            slice.bbars = [grid.bbars[w % slices]]
            let (training, validation) = fold
            let heldOut = validation.sampleCounts.map { $0 > 0 }
            let points = path.run(training, grid: slice) { _, _, _ in advance() }
            guard points.count == slice.count else { return nil }  // stopped inside the slice: the fold is not scored
            guard heldOut.contains(true) else { return [] }
            return points.map { criterion($0.result.coefficients, training: training, validation: validation, heldOut: heldOut) }
        }

        /// Item w alone: its fold's data, then its slice's scores (see `score`).
        public func score(item w: Int) throws -> [Double]? {
            precondition(w >= 0 && w < itemCount, "cross-validation item \(w) of \(itemCount)")
            return score(w, fold: try foldData(w / slices))
        }

        /// The scores from every item's result (nil: the item did not finish), in item order.
        public func outcome(items: [[Double]?]) -> Outcome {
            precondition(items.count == itemCount, "\(items.count) item results for \(itemCount) items")
            let units = assignment.units
            var scores = penalties.map { Score(penalty: $0, foldErrors: [], folds: assignment.folds) }
            var finished: [(repeat: Int, fold: Int)] = []
            for u in units.indices {
                // A (repeat, fold) is finished when all its λ slices are; their points, in λ order, are the path's.
                let parts = items[(u * slices)..<((u + 1) * slices)]
                guard parts.allSatisfy({ $0 != nil }) else { continue }
                finished.append(units[u])
                let errors = parts.flatMap { $0! }
                guard errors.count == penalties.count else { continue }  // a fold that holds out no row scores nothing
                for i in scores.indices { scores[i].foldErrors.append(errors[i]) }
            }
            return Outcome(scores: scores, assignment: assignment, finished: finished)
        }
    }

    /// The items of a cross-validation of `definition` over `grid`.
    /// - Throws: `InputError` for bad folds, or what every fold would throw (bad graph, bad penalty).
    public func plan(_ definition: ProblemDefinition, grid: PenaltyGrid) throws -> Plan {
        let assignment = try assignFolds(definition.dataset)
        // Fail early, on this thread, for what every fold would throw (bad graph, bad penalty).
        _ = try definition.instance(dataset: definition.dataset.rows(assignment.training(repeat: 0, fold: 0)))
        // Training fits trade a little of F for speed: only warm starts after the first
        // combination, with λ > 0 only moves proven to improve (`HeuristicSettings.jointCandidates`),
        // and 10 moves scored exactly per step instead of 50 (on two 360-point paths, K = 6, p = 40
        // and K = 4, p = 250: 1.7× faster; F worse at 13–21 % of the points, better at 3–13 %,
        // on average equal within 0.02 %).
        var fits = settings
        fits.jointCandidates = 0
        fits.exactCandidates = min(fits.exactCandidates, 10)
        var path = SolutionPath(settings: fits, deadline: deadline)
        path.recomputeObjective = false
        path.coldCommonStart = false
        return Plan(definition: definition, grid: grid, assignment: assignment,
                    penalties: grid.penalties(base: definition.penalty), path: path)
    }

    /// Scores every penalty of the grid, the items spread over `workers` threads.
    /// - Parameter progress: called (from any thread, one call at a time) after each fitted grid
    ///   point with the number of points done and the total over all folds.
    public func run(_ definition: ProblemDefinition, grid: PenaltyGrid,
                    progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> Outcome {
        try run(plan(definition, grid: grid), progress: progress)
    }

    /// Scores every penalty of `plan` (made by this cross-validation's `plan`), the items spread
    /// over `workers` threads.
    public func run(_ plan: Plan, progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> Outcome {
        let units = plan.assignment.units
        let counter = ProgressCounter(total: units.count * plan.penalties.count, report: progress)
        // Each fold's data is built once and shared by its λ slices.
        let foldData = ParallelWork.map(units.count, workers: workers) { u in Result { try plan.foldData(u) } }
        let results = ParallelWork.map(plan.itemCount, workers: workers) { w in
            Result { plan.score(w, fold: try foldData[w / plan.slices].get(), advance: counter.advance) }
        }
        return plan.outcome(items: try results.map { try $0.get() })
    }
}

/// Counts finished grid points across threads and reports them.
final class ProgressCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var done = 0
    let total: Int
    let report: (@Sendable (Int, Int) -> Void)?

    init(total: Int, report: (@Sendable (Int, Int) -> Void)?) {
        self.total = total
        self.report = report
    }

    func advance() {
        lock.lock(); defer { lock.unlock() }
        done += 1
        report?(done, total)
    }
}
