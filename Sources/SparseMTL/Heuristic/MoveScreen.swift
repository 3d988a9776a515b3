/// A change of supports: in each of `tasks`, drop the features `removed` and add `added`.
/// One task for the single-task moves (add, drop, swap, splice); several for the row moves
/// (a feature added to, dropped from or replaced in several tasks at once).
struct Move {
    var tasks: [Int]
    var removed: [Int]
    var added: [Int]
    /// The cheap estimate of ΔΦ used to rank moves before the exact evaluation.
    var screen: Double

    /// What kind of move this is, for the counters.
    var kind: String {
        let row = tasks.count > 1 ? "row_" : ""
        switch (removed.count, added.count) {
        case (0, _): return row + "adds"
        case (_, 0): return row + "drops"
        case (1, 1): return row + "swaps"
        case (2, 2) where tasks.count == 1: return "double_swaps"
        case (2, 2): return "row_double_swaps"
        default: return "splices"
        }
    }

    /// The supports after the move, for each task in `tasks`.
    func apply(to supports: [[Int]]) -> [[Int]] {
        tasks.map { k in (supports[k].filter { !removed.contains($0) } + added).sorted() }
    }
}

/// The best `capacity` moves by screening score (smallest first).
struct MoveShortlist {
    let capacity: Int
    private(set) var moves: [Move] = []

    init(capacity: Int) { self.capacity = max(capacity, 1) }

    /// Whether a move with this screening score would enter the list (check before building it).
    func admits(_ score: Double) -> Bool {
        score.isFinite && (moves.count < capacity || score < moves[moves.count - 1].screen)
    }

    /// Offers `list` every pair of these moves with the same tasks and no feature in common, as one
    /// move that does both (double swaps), screened by the sum of the two estimates. The moves are
    /// sorted by screen, so for each first move the pairs stop at the first that `list` would not admit.
    func offerPairs(to list: inout MoveShortlist) {
        for a in 0..<moves.count {
            for b in (a + 1)..<moves.count {
                let screen = moves[a].screen + moves[b].screen
                guard list.admits(screen) else { break }
                // The feature lists hold one or two entries: a linear scan beats building sets.
                guard moves[a].tasks == moves[b].tasks, !moves[a].removed.contains(where: moves[b].removed.contains),
                      !moves[a].added.contains(where: moves[b].added.contains) else { continue }
                list.offer(Move(tasks: moves[a].tasks, removed: moves[a].removed + moves[b].removed,
                                added: moves[a].added + moves[b].added, screen: screen))
            }
        }
    }

    mutating func offer(_ move: Move) {
        guard move.screen.isFinite else { return }
        if moves.count == capacity {
            guard move.screen < moves[moves.count - 1].screen else { return }
            moves.removeLast()
        }
        let index = moves.firstIndex { $0.screen > move.screen } ?? moves.count
        moves.insert(move, at: index)
    }
}

/// Screening of moves for one task with the other tasks fixed. With c = X̃ᵀr/n (r the task's
/// residual), the pull m = Σ_l w_kl β_l, a = α + λ·Σ_l w_kl and h_j = ‖x_j‖²/n + a, the task's part
/// of F changes by
/// - adding j at its best single value b = clip(u/h_j, ±M), u = c_j + λm_j:  h_j b² − 2ub;
/// - dropping j:  2β_j(c_j + λm_j) + β_j²(‖x_j‖²/n − a);
/// - swapping j for j': the drop, then the add with c_j' + β_j(X̃ᵀx_j)_j'/n in place of c_j';
/// plus the selection cost, exactly: adding j costs δ·Σ_l w_kl(1 − 2z_jl) (the Zbar change) + c_jk
/// (the problem's linear costs), dropping it the opposite.
/// Without a box and with λ = 0 the estimate bounds the exact change from above (the exact
/// evaluation refits all of the task's coefficients).
struct TaskScreen {
    let k: Int
    /// c_j + λ m_j for every feature.
    let slope: [Double]
    /// h_j for every feature.
    let curvature: [Double]
    /// δ·Σ_l w_kl(1 − 2z_jl) + c_jk: the change of δ·Zbar and of the linear costs when feature j is
    /// added to task k.
    let selectionCost: [Double]
    let ridgeAndPull: Double
    let n: Double

    init(task k: Int, state: SearchState, problem: InnerProblem) {
        let t = problem.tasks[k]
        let p = problem.featureCount
        let lambda = problem.penalty.bbar
        var c = t.correlation
        for (j, beta) in zip(state.supports[k], state.betas[k]) {
            Vector.axpy(-beta, t.gramColumn(j), &c)
        }
        var pull = [Double](repeating: 0, count: p)
        var cost = [Double](repeating: 0, count: p)
        var degree = 0.0
        for e in problem.graph.edges where e.k == k || e.l == k {
            let l = e.k == k ? e.l : e.k
            degree += e.weight
            for (j, beta) in zip(state.supports[l], state.betas[l]) { pull[j] += e.weight * beta }
            for j in 0..<p { cost[j] += e.weight }
            for j in state.supports[l] { cost[j] -= 2 * e.weight }
        }
        let a = problem.penalty.ridge + lambda * degree
        self.k = k
        n = t.n
        ridgeAndPull = a
        slope = (0..<p).map { c[$0] / t.n + lambda * pull[$0] }
        curvature = t.columnNormSquared.map { $0 / t.n + a }
        let delta = problem.penalty.zbar
        selectionCost = (0..<p).map { delta * cost[$0] + (problem.linearCosts?[$0, k] ?? 0) }
    }

    /// h b² − 2ub at the best b in the box.
    static func addGain(slope u: Double, curvature h: Double, bound: Double?) -> Double {
        guard h > 0 else { return 0 }
        var b = u / h
        if let bound { b = min(max(b, -bound), bound) }
        return h * b * b - 2 * u * b
    }

    /// The estimated change of the task's part of F (without Zbar) when feature j, with coefficient β, is dropped.
    func dropLoss(_ j: Int, beta: Double, problem: InnerProblem) -> Double {
        2 * beta * slope[j] + beta * beta * (problem.tasks[k].columnNormSquared[j] / n - ridgeAndPull)
    }

    /// The estimated change (without Zbar) when feature j is added at its best single value.
    func addLoss(_ j: Int, bound: Double?) -> Double {
        TaskScreen.addGain(slope: slope[j], curvature: curvature[j], bound: bound)
    }

    /// Splices (as in abess): for c = 2…s, exchange the c selected features that are cheapest to
    /// drop for the c unselected ones that promise most, each ranked alone by its estimate (Zbar included).
    func offerSplices(state: SearchState, problem: InnerProblem, to list: inout MoveShortlist) {
        let support = state.supports[k]
        guard support.count >= 2 else { return }
        let bound = problem.penalty.bigM
        let inSupport = SupportSet.mask(support, featureCount: problem.featureCount)
        let dropRank = zip(support, state.betas[k]).map { j, beta in (j, dropLoss(j, beta: beta, problem: problem) - selectionCost[j]) }
            .sorted { $0.1 < $1.1 }
        var addRank: [(Int, Double)] = []
        for j in 0..<problem.featureCount where !inSupport[j] {
            addRank.append((j, addLoss(j, bound: bound) + selectionCost[j]))
        }
        addRank.sort { $0.1 < $1.1 }
        let largest = min(support.count, addRank.count)
        guard largest >= 2 else { return }
        for c in 2...largest {
            let screen = dropRank.prefix(c).reduce(0) { $0 + $1.1 } + addRank.prefix(c).reduce(0) { $0 + $1.1 }
            list.offer(Move(tasks: [k], removed: dropRank.prefix(c).map(\.0), added: addRank.prefix(c).map(\.0), screen: screen))
        }
    }

    /// Offers every add, drop and swap of task k to the shortlist, and pairs of the best
    /// `pairCandidates` swaps (distinct features) as double swaps, screened by the sum of the two.
    func offerMoves(state: SearchState, problem: InnerProblem, pairCandidates: Int, to list: inout MoveShortlist) {
        var swaps = MoveShortlist(capacity: pairCandidates)
        offerSingleMoves(state: state, problem: problem, to: &list, swaps: &swaps)
        swaps.offerPairs(to: &list)
    }

    private func offerSingleMoves(state: SearchState, problem: InnerProblem, to list: inout MoveShortlist, swaps: inout MoveShortlist) {
        let support = state.supports[k]
        let inSupport = SupportSet.mask(support, featureCount: problem.featureCount)
        let bound = problem.penalty.bigM
        let p = problem.featureCount
        if support.count < problem.penalty.sparsity {
            for j in 0..<p where !inSupport[j] {
                let score = TaskScreen.addGain(slope: slope[j], curvature: curvature[j], bound: bound) + selectionCost[j]
                if list.admits(score) { list.offer(Move(tasks: [k], removed: [], added: [j], screen: score)) }
            }
        }
        let t = problem.tasks[k]
        for (j, beta) in zip(support, state.betas[k]) {
            let drop = dropLoss(j, beta: beta, problem: problem)
            list.offer(Move(tasks: [k], removed: [j], added: [], screen: drop - selectionCost[j]))
            let gram = t.gramColumn(j)
            for jNew in 0..<p where !inSupport[jNew] {
                let u = slope[jNew] + beta * gram[jNew] / n
                let score = drop + TaskScreen.addGain(slope: u, curvature: curvature[jNew], bound: bound)
                    + (selectionCost[jNew] - selectionCost[j])
                guard list.admits(score) || swaps.admits(score) else { continue }
                let move = Move(tasks: [k], removed: [j], added: [jNew], screen: score)
                list.offer(move)
                swaps.offer(move)
            }
        }
    }

    /// The swap estimate j → j' without the Zbar part (used by row swaps).
    func swapLoss(state: SearchState, problem: InnerProblem, removing j: Int, beta: Double, adding jNew: Int, gram: [Double]) -> Double {
        let drop = dropLoss(j, beta: beta, problem: problem)
        let u = slope[jNew] + beta * gram[jNew] / n
        return drop + TaskScreen.addGain(slope: u, curvature: curvature[jNew], bound: problem.penalty.bigM)
    }
}

/// Row moves, over several tasks at once: these keep supports aligned when δ (or λ) is large,
/// where single-task moves are blocked by the Zbar cost (or by the Bbar pull). With P_j the tasks
/// that select feature j and cut(P) = Σ_{k∈P, l∉P} w_kl, the Zbar changes are exact:
/// - row add of j to every task with room that lacks it (T, |T| ≥ 2): cut(P_j ∪ T) − cut(P_j);
/// - row drop of j from all of P_j (|P_j| ≥ 2): −cut(P_j);
/// - row swap j → j' in all of P_j: cut(P_j' ∪ P_j) − cut(P_j') − cut(P_j), 0 when no task selects j'.
enum RowMoveScreen {
    /// cut(P_j ∪ T) − cut(P_j): the exact Zbar change (before δ) of adding feature j to the tasks T.
    static func zbarChangeOfAdding(_ j: Int, to tasks: [Int], state: SearchState, problem: InnerProblem) -> Double {
        var member = [Bool](repeating: false, count: problem.taskCount)
        for k in 0..<problem.taskCount where state.supports[k].contains(j) { member[k] = true }
        var change = 0.0
        var after = member
        for k in tasks { after[k] = true }
        for e in problem.graph.edges {
            change += e.weight * ((after[e.k] != after[e.l] ? 1 : 0) - (member[e.k] != member[e.l] ? 1 : 0))
        }
        return change
    }

    static func offerMoves(state: SearchState, problem: InnerProblem, screens: [TaskScreen], pairCandidates: Int,
                           to list: inout MoveShortlist) {
        var swaps = MoveShortlist(capacity: pairCandidates)
        offerSingleRowMoves(state: state, problem: problem, screens: screens, to: &list, swaps: &swaps)
        swaps.offerPairs(to: &list)  // row double swaps
    }

    private static func offerSingleRowMoves(state: SearchState, problem: InnerProblem, screens: [TaskScreen],
                                            to list: inout MoveShortlist, swaps: inout MoveShortlist) {
        let p = problem.featureCount, kCount = problem.taskCount
        var holders = [[Int]](repeating: [], count: p)
        for k in 0..<kCount { for j in state.supports[k] { holders[j].append(k) } }
        // Task sets as membership masks (K entries): these run for every pair of features.
        func mask(_ tasks: [Int]...) -> [Bool] {
            var m = [Bool](repeating: false, count: kCount)
            for list in tasks { for k in list { m[k] = true } }
            return m
        }
        func cut(_ members: [Bool]) -> Double {
            problem.graph.edges.reduce(0.0) { $0 + (members[$1.k] != members[$1.l] ? $1.weight : 0) }
        }
        let delta = problem.penalty.zbar, bound = problem.penalty.bigM
        let s = problem.penalty.sparsity
        func linear(_ j: Int, _ tasks: [Int]) -> Double { tasks.reduce(0.0) { $0 + (problem.linearCosts?[j, $1] ?? 0) } }
        for j in 0..<p {
            let before = mask(holders[j])
            let open = (0..<kCount).filter { state.supports[$0].count < s && !before[$0] }
            guard open.count >= 2 else { continue }
            let score = open.reduce(0.0) { $0 + screens[$1].addLoss(j, bound: bound) }
                + delta * (cut(mask(holders[j], open)) - cut(before)) + linear(j, open)
            list.offer(Move(tasks: open, removed: [], added: [j], screen: score))
        }
        // cut(P_j') for every feature, needed for each row swap into it.
        let holderCut = delta != 0 ? holders.map { cut(mask($0)) } : []
        for j in 0..<p where holders[j].count >= 2 {
            let tasks = holders[j]
            let inRow = mask(tasks)
            let rowCut = cut(inRow)
            let drop = tasks.reduce(0.0) { total, k in
                total + screens[k].dropLoss(j, beta: state.betas[k][state.supports[k].firstIndex(of: j)!], problem: problem)
            }
            list.offer(Move(tasks: tasks, removed: [j], added: [], screen: drop - delta * rowCut - linear(j, tasks)))
            let betas = tasks.map { k in state.betas[k][state.supports[k].firstIndex(of: j)!] }
            let grams = tasks.map { problem.tasks[$0].gramColumn(j) }
            for jNew in 0..<p where jNew != j && !holders[jNew].contains(where: { inRow[$0] }) {
                var score = linear(jNew, tasks) - linear(j, tasks)
                for (i, k) in tasks.enumerated() {
                    score += screens[k].swapLoss(state: state, problem: problem, removing: j, beta: betas[i], adding: jNew, gram: grams[i])
                }
                if !holders[jNew].isEmpty && delta != 0 {
                    score += delta * (cut(mask(holders[jNew], tasks)) - holderCut[jNew] - rowCut)
                }
                guard list.admits(score) || swaps.admits(score) else { continue }
                let move = Move(tasks: tasks, removed: [j], added: [jNew], screen: score)
                list.offer(move)
                swaps.offer(move)
            }
        }
    }
}
