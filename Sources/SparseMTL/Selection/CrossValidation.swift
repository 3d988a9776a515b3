import Foundation

/// k-fold cross-validation inside every task: each task's rows are shuffled (seeded) and dealt into
/// k folds; for each fold the path is fitted on the other folds and the mean squared prediction error
/// on the fold is recorded per task. The criterion of a penalty is the mean over folds of the mean
/// over tasks of the per-task validation MSE; the chosen penalty minimises it.
public struct CrossValidation {
    /// Number of folds k ≥ 2.
    public var folds: Int
    /// Seed of the row shuffle.
    public var seed: UInt64
    /// Heuristic settings for every fit.
    public var settings: HeuristicSettings
    /// When cross-validation stops (nil: never); only folds finished by then are scored.
    public var deadline: Date? = nil

    public init(folds: Int = 5, seed: UInt64 = 1, settings: HeuristicSettings = HeuristicSettings()) {
        self.folds = folds
        self.seed = seed
        self.settings = settings
    }

    /// The result for one penalty.
    public struct Score: Sendable {
        public var penalty: Penalty
        /// Criterion per fold.
        public var foldErrors: [Double]
        /// Mean over folds.
        public var meanError: Double { foldErrors.reduce(0, +) / Double(max(foldErrors.count, 1)) }
        /// Standard error of the mean over folds.
        public var standardError: Double {
            let m = meanError, k = Double(foldErrors.count)
            guard k > 1 else { return 0 }
            return (foldErrors.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (k - 1) / k).squareRoot()
        }
    }

    /// The fold of every row of every task.
    /// - Throws: `InputError` naming a task with too few rows for k folds.
    public func assignFolds(_ dataset: Dataset) throws -> [[Int]] {
        guard folds >= 2 else { throw InputError(file: "command line", "--folds must be at least 2") }
        var random = SeededRandom(seed: seed)
        return try (0..<dataset.taskCount).map { k in
            let n = dataset.designs[k].rows
            // Each training set must keep at least 2 rows of the task.
            guard n >= folds, n - (n + folds - 1) / folds >= 2 else {
                throw InputError(file: dataset.source, "task '\(dataset.taskLabels[k])' has \(n) rows, too few for \(folds)-fold cross-validation")
            }
            var fold = [Int](repeating: 0, count: n)
            for (position, row) in random.sample(n, from: 0..<n).enumerated() { fold[row] = position % folds }
            return fold
        }
    }

    /// Scores every penalty of the grid.
    /// - Parameter progress: called after each fold with the fold number (1-based) and the count.
    public func run(_ definition: ProblemDefinition, grid: PenaltyGrid,
                    progress: ((Int, Int) -> Void)? = nil) throws -> [Score] {
        let dataset = definition.dataset
        let assignment = try assignFolds(dataset)
        var scores = grid.penalties(base: definition.penalty).map { Score(penalty: $0, foldErrors: []) }
        for f in 0..<folds {
            let path = SolutionPath(settings: settings, deadline: deadline)
            if path.stopped { break }
            let training = dataset.rows(assignment.map { rows in rows.indices.filter { rows[$0] != f } })
            let validation = dataset.rows(assignment.map { rows in rows.indices.filter { rows[$0] == f } })
            let trainingInstance = try definition.instance(dataset: training)
            let points = path.run(trainingInstance, grid: grid)
            guard points.count == scores.count else { break }  // stopped inside the fold: not scored
            for (i, point) in points.enumerated() {
                let b = trainingInstance.preprocessing.toOriginalUnits(point.result.coefficients)
                let intercepts = trainingInstance.preprocessing.intercepts(originalCoefficients: b)
                let errors = validation.meanSquaredErrors(coefficients: b, intercepts: intercepts)
                scores[i].foldErrors.append(errors.reduce(0, +) / Double(errors.count))
            }
            progress?(f + 1, folds)
        }
        return scores
    }

    /// The index of the penalty with the smallest mean error.
    public static func best(_ scores: [Score]) -> Int? {
        scores.indices.filter { !scores[$0].foldErrors.isEmpty }.min { scores[$0].meanError < scores[$1].meanError }
    }
}
