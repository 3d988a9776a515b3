import Foundation

/// How `proveLowerBound` adds lazy rows (`LazyRows`) and fixes columns.
public struct BoundProofSettings: Sendable {
    /// A row enters the LP when a point violates it by more than this, relative to max(1, |lower|).
    public var tolerance = 1e-9
    /// Most rows added per round of the root's cutting-plane loop.
    public var rootBatch = 100
    /// After the root's loop, its rows with slack above this (relative to max(1, |lower|)) go back
    /// to the pool. Measured on the ladder-K2-p250-n50 certificate (α = 1): verify in 12–18 s instead
    /// of 53 s; ladder-K5-p250-n100: 155–187 s instead of 307 s.
    public var rootSlack = 1e-6
    /// Most rows added per callback at a node of the tree.
    public var nodeBatch = 10
    /// Most callbacks with rows added per node. Past it the node is left as it is: its LP, and an
    /// integral LP point taken as incumbent, are then only lower (a relaxation), never wrong.
    public var nodeRounds = 20
    /// In how many of a node's first callbacks `LazyRows.separate` is asked for rows when the pool
    /// has none to add.
    public var separationRounds = 2
    /// Reduced-cost fixing at the root against the target: a 0–1 column is fixed where the root LP
    /// shows that the other value costs more than target + margin · max(1, |target|).
    public var fixingMargin = 1e-7

    public init() {}
}

extension GLPKProblem {
    /// What `proveLowerBound` established about the MILP's optimum.
    public enum BoundProof: Equatable, Sendable {
        /// The optimum is at least this (≥ the target): branch and bound stopped as soon as it knew.
        case reached(Double)
        /// The best bound proved before the time limit or failure, below the target (nil: none).
        case notReached(Double?)
        /// The MILP has no integer-feasible point (every bound holds).
        case infeasible
    }

    /// Proves optimum ≥ `target` (or fails to) for the MILP of this problem's rows plus the `lazy`
    /// rows (and those `LazyRows.separate` derives, valid for it by the caller's word), by branch
    /// and bound from scratch: most-fractional branching, best-bound search, stopping as soon as
    /// the global bound min(best active node, incumbent) reaches the target. Checking a claimed
    /// lower bound needs no more than that.
    ///
    /// The lazy rows enter the LP only where violated: at the root in a cutting-plane loop (as rows
    /// of the problem, kept for the whole tree unless slack at its end), at each node through GLPK's
    /// row generation (for that node's subtree). Every LP solved is then a relaxation of the full
    /// MILP's LP at that node, so every node bound, every integral LP point GLPK takes as
    /// incumbent, and hence the bound proved, is at most the full MILP's optimum, however many
    /// rows were added. With a certificate's thousands of dense cut rows, putting them all in every
    /// LP made the re-solve far slower than the solve that wrote them (which added them lazily).
    ///
    /// After the root's loop, 0–1 columns are fixed by reduced cost against the target
    /// (`fixByReducedCost`): that cuts off only points worth more than target + margin, so the
    /// optimum is at least the smaller of that and the bound proved on what is left (the bound
    /// returned is capped there).
    public func proveLowerBound(_ target: Double, timeLimitSeconds: Double?, lazy: LazyRows = LazyRows(),
                                settings proof: BoundProofSettings = BoundProofSettings()) -> BoundProof {
        let clock = Date()
        func left() -> Double? { timeLimitSeconds.map { max($0 - Date().timeIntervalSince(clock), 0.001) } }
        var proved: Double? = nil
        var added = Set<Int>()  // at the root: rows of the problem from then on
        var rootRows: [(row: Int, pool: Int)] = []
        var root = -Double.infinity  // the last root LP's value
        func stopped() -> Bool {
            Interrupt.isRequested || timeLimitSeconds.map { Date().timeIntervalSince(clock) >= $0 } == true
        }
        while true {
            guard !stopped(), let value = solveLP(timeLimitSeconds: left()).value else { return .notReached(proved) }
            root = value
            proved = max(proved ?? -.infinity, root)
            if root >= target { return .reached(root) }
            let x = (0..<columnCount).map(lpValue)
            // Rows already in the LP may still show as violated within GLPK's primal tolerance (1e-7):
            // only new rows count, else the loop would re-solve the same LP for ever (it did: a K = 1,
            // p = 4 certificate ran past every time limit here).
            let violated = lazy.mostViolated(at: x, tolerance: proof.tolerance, limit: proof.rootBatch + added.count)
                .filter { !added.contains($0) }.prefix(proof.rootBatch)
            if violated.isEmpty { break }
            for i in violated {
                added.insert(i)
                let row = lazy.rows[i]
                rootRows.append((addRow(name: "lazy_\(i)", columns: row.columns, coefficients: row.coefficients, lower: row.lower), i))
            }
        }
        // Root rows with slack go back to the pool, so that every node LP is smaller.
        let slack = rootRows.filter { r in
            let lower = rowLowerBound(r.row)
            return rowActivity(r.row) - lower > proof.rootSlack * max(1, abs(lower))
        }
        if !slack.isEmpty {
            deleteRows(slack.map(\.row))
            for r in slack { added.remove(r.pool) }
            guard let value = solveLP(timeLimitSeconds: left()).value else { return .notReached(proved) }
            root = value
        }
        // Points beyond `ceiling` may be cut off from here on: the bound proved is capped there.
        var ceiling = Double.infinity
        if target.isFinite {
            let threshold = target + proof.fixingMargin * max(1, abs(target))
            let fixed = fixByReducedCost(columns: 0..<columnCount, lpBound: root, threshold: threshold)
            if fixed.zeros + fixed.ones > 0 {
                ceiling = threshold
                guard solveLP(timeLimitSeconds: left()).value != nil else { return .notReached(proved) }
            }
        }
        var settings = BranchAndCutSettings()
        settings.relativeGap = 0
        settings.timeLimitSeconds = left()
        let columns = columnCount
        var node = -1, roundsAtNode = 0
        var pool = lazy  // grows with the rows `separate` derives
        let outcome = branchAndCut(settings) { tree in
            if stopped() { tree.terminate(); return }
            if let bound = tree.globalBound {
                proved = max(proved ?? -.infinity, bound)
                if bound >= target { tree.terminate(); return }
            }
            guard tree.reason == .rowGeneration, !pool.rows.isEmpty || pool.separate != nil else { return }
            if tree.currentNode != node { node = tree.currentNode; roundsAtNode = 0 }
            roundsAtNode += 1
            guard roundsAtNode <= proof.nodeRounds else { return }
            let x = tree.point(columns: columns)
            var rows = Array(pool.mostViolated(at: x, tolerance: proof.tolerance, limit: proof.nodeBatch + added.count)
                .filter { !added.contains($0) }.prefix(proof.nodeBatch))
            if rows.isEmpty && roundsAtNode <= proof.separationRounds, let separate = pool.separate {
                let box = tree.bounds(columns: columns)
                for row in separate(x, box.lower, box.upper) where row.violation(at: x, tolerance: proof.tolerance) > 0 {
                    rows.append(pool.rows.count)
                    pool.rows.append(row)
                }
            }
            for i in rows {
                tree.addRow(columns: pool.rows[i].columns, coefficients: pool.rows[i].coefficients, lower: pool.rows[i].lower)
            }
        }
        switch outcome {
        case .exhausted: proved = max(proved ?? -.infinity, GLPKProblem.prunedFloor(mipObjective))
        case .infeasible:
            guard ceiling.isFinite else { return .infeasible }
            proved = ceiling  // what fixing cut off lies above it, and nothing else is left
        default: break
        }
        if ceiling.isFinite { proved = proved.map { min($0, ceiling) } }
        if let value = proved, value >= target { return .reached(value) }
        return .notReached(proved)
    }
}
