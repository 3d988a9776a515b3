/// Which rows of each task are held out in which fold, for `repeats` independent k-fold splits.
///
/// Folds are drawn within each task: a task's rows are shuffled (seeded) and dealt round-robin
/// into the k folds, so every row is held out exactly once per repeat. A task with fewer rows than
/// folds (2 ≤ n_k < k) has its rows dealt into n_k of the folds (chosen at random) and takes part
/// in validation in those only; a task with a single row is never held out and stays in every
/// training set. Every training set keeps at least one row of every task.
/// Repeat r uses the seed `seed + r`; the same seed gives the same folds.
public struct FoldAssignment: Sendable, Equatable {
    /// k ≥ 2.
    public let folds: Int
    /// Number of independent splits (≥ 1).
    public let repeats: Int
    /// fold[r][k][i]: the fold (0..<k) in which row i of task k is held out in repeat r, or −1
    /// for never.
    public let fold: [[[Int]]]

    /// Draws the folds for tasks with the given row counts.
    /// - Throws: `InputError` for k < 2, repeats < 1, or a task without rows.
    public init(sampleCounts: [Int], folds: Int, repeats: Int = 1, seed: UInt64) throws {
        guard folds >= 2 else { throw InputError(file: "command line", "--folds must be at least 2") }
        guard repeats >= 1 else { throw InputError(file: "command line", "--repeats must be at least 1") }
        if let empty = sampleCounts.firstIndex(of: 0) { throw InputError(file: "data", "task \(empty + 1) has no rows") }
        self.folds = folds
        self.repeats = repeats
        fold = (0..<repeats).map { r in
            var random = SeededRandom(seed: seed &+ UInt64(r))
            return sampleCounts.map { n in
                var fold = [Int](repeating: -1, count: n)
                guard n >= 2 else { return fold }
                let targets = n >= folds ? Array(0..<folds) : random.sample(n, from: 0..<folds)
                for (position, row) in random.sample(n, from: 0..<n).enumerated() { fold[row] = targets[position % targets.count] }
                return fold
            }
        }
    }

    /// The (repeat, fold) pairs in order: every fit of a cross-validation is one of them.
    public var units: [(repeat: Int, fold: Int)] {
        (0..<repeats).flatMap { r in (0..<folds).map { (repeat: r, fold: $0) } }
    }

    /// Rows of each task used for training in fold f of repeat r.
    public func training(repeat r: Int, fold f: Int) -> [[Int]] {
        fold[r].map { rows in rows.indices.filter { rows[$0] != f } }
    }

    /// Rows of each task held out in fold f of repeat r (empty for tasks not validated there).
    public func validation(repeat r: Int, fold f: Int) -> [[Int]] {
        fold[r].map { rows in rows.indices.filter { rows[$0] == f } }
    }

    /// The fewest rows each task trains on, over every (repeat, fold).
    public var smallestTrainingRows: [Int] {
        fold.flatMap { repeatFolds in
            (0..<folds).map { f in repeatFolds.map { rows in rows.reduce(0) { $0 + ($1 == f ? 0 : 1) } } }
        }.reduce(into: fold[0].map(\.count)) { smallest, counts in
            for k in smallest.indices { smallest[k] = min(smallest[k], counts[k]) }
        }
    }

    /// In how many of the k folds each task is held out (k for tasks with at least k rows).
    public var validatedFolds: [Int] {
        fold[0].map { rows in Set(rows.filter { $0 >= 0 }).count }
    }
}
