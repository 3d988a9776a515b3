import Foundation

/// The heuristic of DESIGN.md section 4 over Φ(Z) = g(Z) + δ·Zbar(Z), where g(Z) is the inner
/// problem solved exactly for the supports (so B is always the best coefficients for Z):
///
/// 1. Greedy start, task by task: add the feature that lowers Φ most (given the tasks before it)
///    until s features or no add improves.
/// 2. Local search, best improvement: for each task in turn, take the best move among adds, drops
///    and single swaps (drop j, add j'), then row swaps across tasks (j → j' in every task that has
///    j); repeat until no move lowers Φ. Moves are ranked by a cheap screen (`TaskScreen`), and the
///    best `exactCandidates` are scored by the exact change of Φ after refitting the coefficients
///    (jointly across tasks when λ > 0, since Bbar couples them).
///
/// The result is a local optimum for these moves. Deterministic: no randomness; ties go to the
/// lowest task and feature index.
public struct HeuristicSolver {
    /// Settings.
    public var settings: HeuristicSettings
    /// Receives a progress line now and then (long runs).
    public var progress: ((String) -> Void)?

    public init(settings: HeuristicSettings = HeuristicSettings(), progress: ((String) -> Void)? = nil) {
        self.settings = settings
        self.progress = progress
    }

    /// Solves from scratch.
    public func solve(_ instance: Instance) -> SolveResult {
        solve(instance, start: nil)
    }

    /// Solves starting from the given supports (a warm start, e.g. from a path neighbour); supports
    /// larger than s are cut to the s largest coefficients first.
    /// - Parameter linearCosts: extra costs c_jk on z_jk (p × K) added to Φ, as in the task
    ///   decomposition's pricing problems; the result's `objective` is F alone.
    public func solve(_ instance: Instance, start: Support?, linearCosts: Matrix? = nil) -> SolveResult {
        solve(instance, starts: start.map { [$0] } ?? [], linearCosts: linearCosts)
    }

    /// Solves from each of the given supports in turn (none: from empty) and keeps the best local
    /// optimum, as a path does from its neighbours' solutions.
    public func solve(_ instance: Instance, starts: [Support], linearCosts: Matrix? = nil) -> SolveResult {
        let problem = InnerProblem(instance, gramColumnsPerTask: settings.gramColumnsPerTask(
            features: instance.featureCount, tasks: instance.taskCount, sparsity: instance.penalty.sparsity))
        problem.linearCosts = linearCosts
        return solve(instance, problem: problem, starts: starts)
    }

    /// Solves with the caches (and linear costs) of `problem`, built from `instance`: repeated
    /// solves on the same data, as in the task decomposition's pricing, build them once.
    func solve(_ instance: Instance, problem: InnerProblem, start: Support?) -> SolveResult {
        solve(instance, problem: problem, starts: start.map { [$0] } ?? [])
    }

    func solve(_ instance: Instance, problem: InnerProblem, starts given: [Support]) -> SolveResult {
        let clock = Date()
        let kCount = instance.taskCount
        let empty = SearchState(supports: [[Int]](repeating: [], count: kCount), problem: problem)
        var starts: [(SearchState, Bool)] = []  // (state, row greedy?)
        for start in given where !starts.contains(where: { $0.0.supports == start.indices }) {
            starts.append((SearchState(supports: start.indices, problem: problem), false))
        }
        if starts.isEmpty { starts.append((empty, false)) }
        if settings.commonSupportStart && kCount > 1 { starts.append((empty, true)) }
        var runs: [Run] = []
        for (state, rowGreedy) in starts {
            // A local optimum found already that shares one support across tasks is where the
            // common-support start would begin: that start is skipped.
            if rowGreedy && runs.contains(where: { Set($0.state.supports).count == 1 }) { break }
            var run = Run(problem: problem, settings: settings, clock: clock, state: state)
            run.trimToSparsity()
            if rowGreedy { run.rowGreedyFill() }
            run.greedyFill()
            run.status = run.localSearch(progress: progress)
            runs.append(run)
            if run.status != .localOptimum { break }
        }
        // The best local optimum; the counters add up the work of every start.
        var run = runs.min { $0.state.objective($0.delta) < $1.state.objective($1.delta) }!
        run.cycles = runs.reduce(0) { $0 + $1.cycles }
        run.evaluations = runs.reduce(0) { $0 + $1.evaluations }
        run.moves = runs.reduce(into: [:]) { total, r in for (kind, count) in r.moves { total[kind, default: 0] += count } }
        let b = run.state.coefficients(problem)
        let support = Support(run.state.supports)
        return SolveResult(status: run.status, method: "heuristic", coefficients: b, support: support,
                           objective: Objective.evaluate(instance, coefficients: b, support: support),
                           seconds: Date().timeIntervalSince(clock),
                           counters: [("starts", runs.count), ("cycles", run.cycles)] + Run.moveKinds.map { ($0, run.moves[$0, default: 0]) }
                               + [("exact_evaluations", run.evaluations)])
    }
}

/// One heuristic run: the state and its counters.
private struct Run {
    let problem: InnerProblem
    let settings: HeuristicSettings
    let clock: Date
    var state: SearchState
    var status = SolveStatus.localOptimum
    var cycles = 0, evaluations = 0
    /// Accepted moves by kind.
    var moves: [String: Int] = [:]
    static let moveKinds = ["adds", "drops", "swaps", "double_swaps", "splices", "row_adds", "row_drops", "row_swaps", "row_double_swaps"]

    init(problem: InnerProblem, settings: HeuristicSettings, clock: Date, state: SearchState) {
        self.problem = problem
        self.settings = settings
        self.clock = clock
        self.state = state
    }


    var delta: Double { problem.penalty.zbar }

    var stopRequested: Bool {
        if Interrupt.isRequested { return true }
        if let limit = settings.timeLimitSeconds { return Date().timeIntervalSince(clock) >= limit }
        return false
    }

    /// The exactly scored best of the shortlisted moves, if it lowers Φ. With λ > 0 the joint
    /// refit of every candidate costs a (Σ_k s_k)-sized solve, so moves are first ranked by an
    /// upper bound from s-sized block solves (the other tasks held fixed), and few are refitted
    /// jointly (`candidates`).
    mutating func bestImprovement(_ list: MoveShortlist) -> (Move, SearchState)? {
        let current = state.objective(delta)
        let tolerance = settings.relativeTolerance * max(1, abs(current))
        var best: (Move, SearchState)? = nil
        var bestValue = current - tolerance
        for move in candidates(list, current: current) {
            let next = state.changing(move.tasks, to: move.apply(to: state.supports), problem: problem)
            evaluations += 1
            let value = next.objective(delta)
            if value < bestValue { bestValue = value; best = (move, next) }
        }
        return best
    }

    /// The moves to refit exactly: all of them when λ = 0 (the refit is per task anyway) or K = 1.
    /// With λ > 0 each move gets an upper bound on Φ after it: its tasks' coefficients replaced one
    /// task at a time by the block minimiser with the others held fixed (`InnerProblem.blockValue`),
    /// plus δ·ΔZbar and Δ(linear costs). When the smallest bound is below Φ that move is proven to
    /// improve (the joint refit only lowers it) and is refitted alone; otherwise the
    /// `jointCandidates` single-task moves with the smallest bounds and every move of several tasks
    /// are (none when `jointCandidates` is 0).
    func candidates(_ list: MoveShortlist, current: Double) -> [Move] {
        guard problem.penalty.bbar > 0, problem.taskCount > 1 else { return list.moves }
        // A move's first task sees the current state: its pull and f_k(β_k) are shared by all moves.
        var firstStep: [Int: (pull: [Double], value: Double)] = [:]
        var bounds: [(bound: Double, move: Move)] = []
        for move in list.moves {
            var supports = state.supports, betas = state.betas
            var bound = current
            for (step, (k, newSupport)) in zip(move.tasks, move.apply(to: state.supports)).enumerated() {
                let pull: [Double], value: Double
                if step == 0, let known = firstStep[k] {
                    (pull, value) = known
                } else {
                    pull = problem.pull(k, supports: supports, betas: betas)
                    value = problem.blockValue(k, support: supports[k], beta: betas[k], pull: pull)
                    if step == 0 { firstStep[k] = (pull, value) }
                }
                let minimum = problem.blockMinimum(k, support: newSupport, pull: pull)
                bound += minimum.value - value
                supports[k] = newSupport
                betas[k] = minimum.beta
            }
            if delta != 0 { bound += delta * problem.zbarChange(from: state.supports, to: supports, changed: move.tasks) }
            bound += problem.linearCost(supports) - state.linearCost
            bounds.append((bound, move))
        }
        bounds.sort { $0.bound < $1.bound }
        let tolerance = settings.relativeTolerance * max(1, abs(current))
        if let first = bounds.first, first.bound < current - tolerance { return [first.move] }
        guard settings.jointCandidates > 0 else { return [] }
        return bounds.filter { $0.move.tasks.count == 1 }.prefix(settings.jointCandidates).map(\.move)
            + bounds.filter { $0.move.tasks.count > 1 }.map(\.move)
    }

    /// Keeps the s largest coefficients of any task with more than s features.
    mutating func trimToSparsity() {
        let s = problem.penalty.sparsity
        let trimmed = (0..<state.supports.count).map { k -> [Int] in
            let pairs = zip(state.supports[k], state.betas[k]).sorted { abs($0.1) > abs($1.1) }
            return pairs.prefix(s).map(\.0).sorted()
        }
        if trimmed != state.supports { state = SearchState(supports: trimmed, problem: problem) }
    }

    /// Greedy forward selection, task by task, while an add lowers Φ. When no add to the task
    /// alone improves (a large δ blocks lone adds), a row add (the feature put into every task with
    /// room at once) is tried instead, so the supports do not stay empty.
    mutating func greedyFill() {
        let kCount = problem.taskCount, s = problem.penalty.sparsity
        let rowAdds = kCount > 1 && (delta > 0 || problem.penalty.bbar > 0)
        for k in 0..<kCount {
            while state.supports[k].count < s, !stopRequested {
                let screens = (0..<kCount).map { TaskScreen(task: $0, state: state, problem: problem) }
                let inSupport = SupportSet.mask(state.supports[k], featureCount: problem.featureCount)
                var single = MoveShortlist(capacity: settings.exactCandidates)
                for j in 0..<problem.featureCount where !inSupport[j] {
                    let score = screens[k].addLoss(j, bound: problem.penalty.bigM) + screens[k].selectionCost[j]
                    if single.admits(score) { single.offer(Move(tasks: [k], removed: [], added: [j], screen: score)) }
                }
                var found = bestImprovement(single)
                if found == nil && rowAdds {
                    var rows = MoveShortlist(capacity: settings.exactCandidates)
                    let open = (0..<kCount).filter { state.supports[$0].count < s }
                    for j in 0..<problem.featureCount where !inSupport[j] {
                        let tasks = open.filter { !state.supports[$0].contains(j) }
                        guard tasks.count >= 2 else { continue }
                        let score = tasks.reduce(0.0) { $0 + screens[$1].addLoss(j, bound: problem.penalty.bigM) }
                            + delta * RowMoveScreen.zbarChangeOfAdding(j, to: tasks, state: state, problem: problem)
                        if rows.admits(score) { rows.offer(Move(tasks: tasks, removed: [], added: [j], screen: score)) }
                    }
                    found = bestImprovement(rows)
                }
                guard let (move, next) = found else { break }
                state = next
                moves[move.kind, default: 0] += 1
            }
        }
    }

    /// Row-greedy start: add a feature to every task at once while that lowers Φ (the
    /// common-support solution, the δ → ∞ limit), until the supports are full.
    mutating func rowGreedyFill() {
        let kCount = problem.taskCount
        while state.supports.allSatisfy({ $0.count < problem.penalty.sparsity }), !stopRequested {
            var list = MoveShortlist(capacity: settings.exactCandidates)
            let screens = (0..<kCount).map { TaskScreen(task: $0, state: state, problem: problem) }
            let taken = SupportSet.mask(state.supports.flatMap { $0 }, featureCount: problem.featureCount)
            for j in 0..<problem.featureCount where !taken[j] {
                let score = screens.reduce(0.0) { $0 + $1.addLoss(j, bound: problem.penalty.bigM) }
                if list.admits(score) { list.offer(Move(tasks: Array(0..<kCount), removed: [], added: [j], screen: score)) }
            }
            guard let (move, next) = bestImprovement(list) else { break }
            state = next
            moves[move.kind, default: 0] += 1
        }
    }

    /// Best-improvement local search until no move improves (or a limit stops it).
    mutating func localSearch(progress: ((String) -> Void)?) -> SolveStatus {
        var lastReport = Date()
        while cycles < settings.maxCycles {
            cycles += 1
            var improved = false
            for k in 0..<problem.taskCount {
                while true {
                    if stopRequested { return Interrupt.isRequested ? .interrupted : .timeLimit }
                    var list = MoveShortlist(capacity: settings.exactCandidates)
                    let screen = TaskScreen(task: k, state: state, problem: problem)
                    screen.offerMoves(state: state, problem: problem, pairCandidates: settings.pairCandidates, to: &list)
                    screen.offerSplices(state: state, problem: problem, to: &list)
                    guard let (move, next) = bestImprovement(list) else { break }
                    state = next
                    improved = true
                    moves[move.kind, default: 0] += 1
                }
            }
            if !improved && (delta > 0 || problem.penalty.bbar > 0) && problem.taskCount > 1 {
                if stopRequested { return Interrupt.isRequested ? .interrupted : .timeLimit }
                var list = MoveShortlist(capacity: settings.exactCandidates)
                let screens = (0..<problem.taskCount).map { TaskScreen(task: $0, state: state, problem: problem) }
                RowMoveScreen.offerMoves(state: state, problem: problem, screens: screens, pairCandidates: settings.pairCandidates, to: &list)
                if let (move, next) = bestImprovement(list) {
                    state = next
                    moves[move.kind, default: 0] += 1
                    improved = true
                }
            }
            if let progress, Date().timeIntervalSince(lastReport) > 2 {
                lastReport = Date()
                progress(String(format: "cycle %d: F = %.10g, %d moves", cycles, state.objective(delta), moves.values.reduce(0, +)))
            }
            if !improved { return .localOptimum }
        }
        return .iterationLimit
    }
}
