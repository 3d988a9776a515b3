import Foundation

/// The exact solver of DESIGN.md section 3: outer approximation with a GLPK master over binary Z.
///
/// 1. Warm start: the heuristic's solution is the first incumbent, and its tight cuts open the pool.
/// 2. Root: a cutting-plane loop on the master's LP relaxation. At each LP point the perspective
///    relaxation's dual point gives cuts (per task when λ = 0); the point is also rounded into a
///    candidate incumbent. The loop stops when no cut is violated, the bound stalls or (wide gaps)
///    tails off, or at the round limit.
///    Then z_jk whose root reduced cost proves they cannot flip in a better solution are fixed.
/// 3. Single tree: GLPK's branch and cut with lazy cuts at GLP_IROWGEN (exact at integer points,
///    perspective at fractional ones), the pool re-added where GLPK dropped it, the incumbent handed
///    over at GLP_IHEUR, best-bound node selection.
///
/// UB is the incumbent's F, recomputed from its coefficients. LB is GLPK's best node bound (the
/// master's optimum when the tree is exhausted), never above UB, lowered by a small margin for
/// floating-point error (`safetyMargin`): every cut is a weak-duality bound, so LB ≤ the optimum.
public struct ExactSolver {
    public var settings: ExactSettings
    /// Receives the log lines (nil: silent).
    public var log: ((String) -> Void)?
    /// Receives a `TracePoint` for every log line, in the data's units (nil: none).
    public var trace: ((TracePoint) -> Void)?

    public init(settings: ExactSettings = ExactSettings(), log: ((String) -> Void)? = nil) {
        self.settings = settings
        self.log = log
    }

    /// What the solve produced: the result and what the certificate needs.
    public struct Outcome {
        public var result: SolveResult
        /// Every cut generated, each with its dual point.
        public var cuts: [Cut]
        /// The root LP bound after the cutting-plane loop.
        public var rootBound: Double?
        /// The Zbar encoding used (nil when there is no Zbar term).
        public var zbarEncoding: ZbarEncoding?
        /// The task-bound rows of the master (task decomposition), each proved by the cuts of its task.
        public var taskBounds: [TaskBound] = []
        /// The incumbent's objective value in the solve's own terms (F, plus Σ c_jk z_jk with linear costs).
        public var incumbentValue: Double
        /// The bound of the root loop and the tree, before the enumeration of small problems
        /// replaced it (the same as the result's, before its safety margin, when there was none).
        public var treeBound: Double?
        /// The δ of the master's Zbar term (`masterZbarWeight`).
        public var masterZbarWeight: Double
        /// The units the cuts, task bounds and master are in (`ProblemScaling`); the result, the
        /// root bound and the incumbent value are in the instance's own units.
        public var scaling = ProblemScaling.identity
        /// d_k of the shifted cuts, in the cuts' units (`PerspectiveShift`); nil for none.
        public var perspectiveShifts: [Double]? = nil
        /// M̂ of the dual bounds, in the cuts' units (`ImpliedBox`); nil for none.
        public var impliedBox: Double? = nil
    }

    /// Solves `instance` to the gap tolerance or a limit.
    /// - Parameter linearCosts: extra costs c_jk on z_jk (p × K) added to F; the task decomposition
    ///   solves its single-task problems with them. The result's `objective` is F alone, the bounds
    ///   and `Outcome.incumbentValue` include the costs.
    /// - Parameter startSupports: supports tried as incumbents besides the heuristic's (their tight
    ///   cuts open the pool): the task decomposition passes what earlier rounds found.
    /// - Throws: `InputError` when α = 0 and no box is set (the cuts would be unbounded).
    public func solve(_ instance: Instance, linearCosts: Matrix? = nil, startSupports: [[[Int]]] = []) throws -> Outcome {
        guard instance.penalty.ridge > 0 || instance.penalty.bigM != nil else {
            throw InputError(file: "command line", "the exact solver needs a ridge α > 0 (--ridge) or a box (--big-m): with neither, g(Z) has no finite dual bound")
        }
        let clock = Date()
        // The heuristic's start in units where F₀ ≈ 4096, then the units where its F ≈ 4096 (`ProblemScaling`).
        let units = settings.rescale ? ProblemScaling(for: instance) : .identity
        var heuristicSettings = settings.heuristic
        heuristicSettings.timeLimitSeconds = settings.timeLimitSeconds.map { $0 / 4 }
        var start = HeuristicSolver(settings: heuristicSettings)
            .solve(units.apply(to: instance), start: nil, linearCosts: linearCosts.map(units.costs))
        let scaling = settings.rescale ? ProblemScaling(for: instance, objective: units.value(start.objective.objective)) : .identity
        var scaled = scaling.apply(to: instance)
        if settings.perspectiveShift && instance.penalty.bbar == 0 && scaled.perspectiveShifts == nil {
            let shifts = PerspectiveShift.compute(scaled)
            if shifts.contains(where: { $0 > 0 }) { scaled.perspectiveShifts = shifts }
        }
        if scaling != units {
            Vector.scale(units.response / scaling.response, &start.coefficients.storage)
            start.objective = Objective.evaluate(scaled, coefficients: start.coefficients, support: start.support)
        }
        // With linear costs (the task decomposition's single-task solves, costs of either sign)
        // F(incumbent) bounds nothing: those solves keep the M̂ their parent passed in. The start
        // must be feasible, or its F would not bound F* from above.
        if settings.impliedBox && linearCosts == nil && scaled.impliedBox == nil && start.objective.feasible,
           let box = ImpliedBox.box(scaled, incumbentValue: start.objective.objective),
           box < scaled.penalty.bigM ?? .infinity {
            scaled.impliedBox = box
            log?(String(format: "implied box: the bounds assume |β| ≤ %.6g on the model's scale, as every B with F(B) ≤ F(incumbent) = %.6g does",
                        box * scaling.features * scaling.response, scaling.value(start.objective.objective)))
        }
        if !scaling.isIdentity {
            log?(String(format: "units: y / %g and X × %g inside the solver (exact powers of two); the log's values are F / %g",
                        scaling.response, scaling.features, scaling.value(1)))
        }
        let valueFactor = scaling.value(1)
        let trace = self.trace.map { report in { (point: TracePoint) in report(point.scaled(by: valueFactor)) } }
        var outcome = try solveInItsUnits(scaled, linearCosts: linearCosts.map(scaling.costs), startSupports: startSupports,
                                          start: start, clock: clock, trace: trace)
        outcome.perspectiveShifts = scaled.perspectiveShifts
        outcome.impliedBox = scaled.impliedBox
        guard !scaling.isIdentity else { return outcome }
        var result = outcome.result
        let gap = result.gap
        result.coefficients = scaling.coefficients(result.coefficients)
        result.objective = Objective.evaluate(instance, coefficients: result.coefficients, support: result.support)
        result.lowerBound = result.lowerBound.map(scaling.value)
        result.gap = gap
        outcome.result = result
        outcome.rootBound = outcome.rootBound.map(scaling.value)
        outcome.treeBound = outcome.treeBound.map(scaling.value)
        outcome.incumbentValue = scaling.value(outcome.incumbentValue)
        outcome.scaling = scaling
        return outcome
    }

    /// `solve` in the instance's own units, from the heuristic's `start`.
    func solveInItsUnits(_ instance: Instance, linearCosts: Matrix?, startSupports: [[[Int]]], start: SolveResult,
                         clock: Date, trace: ((TracePoint) -> Void)? = nil) throws -> Outcome {
        var settings = self.settings
        settings.relativeGap = max(settings.relativeGap, ExactSettings.smallestGap)
        // The search aims below the requested gap by the safety margins (5·10⁻⁹ relative on LB, and
        // as much again on the task bounds in the master, whose optimum GLPK's incumbent then sits
        // below F by), so that a gap reached is still reached after them.
        let requestedGap = settings.relativeGap
        settings.relativeGap = max(requestedGap - 1.5e-8, 0.1 * requestedGap)
        let zbarWeight = linearCosts == nil ? Self.masterZbarWeight(instance, upperBound: start.objective.objective) : nil
        let master = try Master(instance, encoding: settings.zbarEncoding, linearCosts: linearCosts, zbarWeight: zbarWeight)
        let run = ExactRun(instance: instance, settings: settings, master: master, start: start, clock: clock, log: log,
                           trace: trace, linearCosts: linearCosts)
        run.log.note(SolverLog.legend)
        for cut in run.consider(start.support.indices, source: "H") { run.pool.append(cut); master.addGlobal(cut) }
        for supports in startSupports { for cut in run.consider(supports, source: "H") { run.pool.append(cut); master.addGlobal(cut) } }

        var rootBound = rootLoop(run, settings: settings)
        if settings.taskDecomposition && master.perTask && instance.taskCount > 1 && run.stopReason == nil
            && (run.gap ?? .infinity) > settings.taskDecompositionGap {
            rootBound = decompose(run, settings: settings) ?? rootBound
        }
        // GLPK's bounds carry its LP tolerances (10⁻⁷ on rows and reduced costs): with wide cut
        // coefficients (α = 0 and a loose box) a bound came out 6·10⁻⁷ above the optimum of the
        // master it was proved on, trees ended 10⁻⁸–1 % short of the incumbent, and a tree on
        // K = 1, p = 8 (X × 10⁶, a constant column) did 11 nodes in 5 s. Where every support can be
        // enumerated, the bound is the enumerated minimum instead (`enumerate`), before the tree,
        // which then runs only if a gap is left; the tree's bound is enumerated again after it.
        var treeBound = run.bound
        let enumerable = SupportEnumeration.work(instance) <= settings.enumerationLimit
        // LB as reported for a bound b: capped at UB, less the safety margin.
        func reported(_ b: Double) -> Double {
            let capped = min(b, run.incumbent.value)
            return capped - Self.safetyMargin(capped, instance)
        }
        func closed(_ bound: Double?) -> Bool {
            guard let lb = bound.map(reported) else { return false }
            return (run.incumbent.value - lb) / max(abs(run.incumbent.value), 1e-10) <= requestedGap
                || run.incumbent.value - lb <= Self.absoluteGap(instance)
        }
        var enumerated = false
        if enumerable && run.stopReason == nil && !closed(run.bound) {
            enumerated = enumerate(run, linearCosts: linearCosts, settings: settings)
        }
        var outcome = BranchAndCutOutcome.stopped
        var treeRan = false
        if run.stopReason == nil && !(run.gap.map { $0 <= settings.relativeGap } ?? false) {
            var bc = BranchAndCutSettings()
            bc.relativeGap = settings.relativeGap
            bc.branching = settings.branching
            bc.timeLimitSeconds = settings.timeLimitSeconds.map { max($0 - run.elapsed, 0.001) }
            outcome = master.problem.branchAndCut(bc) { run.callback($0) }
            treeRan = true
            // Exhausted tree: the master's optimum (GLPK's incumbent, less its pruning tolerance) is the bound.
            if outcome == .exhausted { run.bound = max(run.bound ?? -.infinity, GLPKProblem.prunedFloor(master.problem.mipObjective)) }
            treeBound = run.bound
            if enumerable && run.bound != nil && run.stopReason != .interrupted {
                enumerated = enumerate(run, linearCosts: linearCosts, settings: settings) || enumerated
            }
        }
        run.report(source: nil)
        let lowerBound = run.bound.map(reported)
        let status: SolveStatus
        var message: String? = nil
        let gap = lowerBound.map { (run.incumbent.value - $0) / max(abs(run.incumbent.value), 1e-10) } ?? .infinity
        let isClosed = closed(run.bound)
        switch (run.stopReason, outcome) {
        case (let reason?, _): status = reason
        case (_, .timeLimit): status = .timeLimit
        case (_, .failed):
            status = isClosed ? .optimal : .numericalLimit
            message = outcome.explanation + "; the incumbent and the bound proved before it are returned"
        default:
            if isClosed {
                status = .optimal
            } else {
                // The tree ended (or stopped) short of the gap: GLPK took an integral point whose cuts
                // it held only to within its tolerances, so its end bound is below the incumbent.
                status = .numericalLimit
                let how = treeRan ? outcome.explanation : "the root and the task decomposition closed the gap before the safety margin"
                message = String(format: "%@, but the bound stayed %.3g%% below the incumbent: GLPK's LP tolerances "
                                 + "cannot separate them further; the incumbent and the valid bound are returned "
                                 + "(a looser --gap may certify)", how, 100 * gap)
            }
        }
        let support = Support(run.incumbent.supports)
        var result = SolveResult(status: status, method: "exact", coefficients: run.incumbent.coefficients, support: support,
                                 objective: Objective.evaluate(instance, coefficients: run.incumbent.coefficients, support: support),
                                 lowerBound: lowerBound, seconds: run.elapsed,
                                 counters: [("nodes", run.nodes), ("cuts", run.pool.count), ("lazy_rows", run.lazyRows),
                                            ("roundings", run.roundings), ("fixed_by_reduced_cost", run.fixedByReducedCost),
                                            ("supports_enumerated", enumerated ? 1 : 0)])
        result.message = message
        if let lb = lowerBound {
            // In the solve's own terms (with linear costs, F alone would sit below LB).
            let ub = run.incumbent.value
            run.log.note(String(format: "%@: UB %.10g, LB %.10g, gap %.3g%%, %d nodes, %d cuts, %.2f s", status.rawValue,
                                ub, lb, 100 * (ub - lb) / max(abs(ub), 1e-10), run.nodes, run.pool.count, run.elapsed))
        }
        return Outcome(result: result, cuts: run.pool, rootBound: rootBound, zbarEncoding: master.encoding,
                       taskBounds: master.taskBounds, incumbentValue: run.incumbent.value, treeBound: treeBound,
                       masterZbarWeight: master.zbarWeight)
    }

    /// The bound of a small problem by enumerating every support (`SupportEnumeration`: weak duality
    /// at every Z with the pool's rows, what `verify` recomputes), with the cuts that let the
    /// certificate's master reach it on its own rows (`SupportEnumeration.Cover`) added to the pool
    /// and the master; its best Z is tried as an incumbent. The enumerated bound replaces the
    /// run's (GLPK's may sit above the optimum by its tolerances).
    /// - Returns: whether the enumeration finished (not stopped by the time limit or an interrupt).
    func enumerate(_ run: ExactRun, linearCosts: Matrix?, settings: ExactSettings) -> Bool {
        let master = run.master
        guard let found = SupportEnumeration.lowerBound(
            run.instance, linearCosts: linearCosts, cuts: run.pool, taskBounds: master.taskBounds,
            cover: SupportEnumeration.Cover(zbarWeight: master.zbarWeight),
            stop: { run.shouldStop() != nil }) else { return false }
        run.consider(found.supports, source: "E")
        if let cover = found.coverCuts {
            for cut in cover { run.pool.append(cut); master.addGlobal(cut) }
        } else {
            run.log.note("the cuts that let the master reach the bound over every support were not all found; "
                         + "the certificate's lower bound then rests on its enumeration (verify recomputes it)")
        }
        run.log.note(String(format: "bound over every support: %.12g (before: %.12g), %d cuts added for the master to reach it",
                            found.value, run.bound ?? .nan, found.coverCuts?.count ?? 0))
        run.bound = found.value
        return true
    }

    /// What LB is lowered by, for floating-point error in cuts and LP solves: 4·10⁻⁹|LB| more
    /// than `Verifier.slack` at the bound (10⁻⁹|LB| + 10⁻¹²·√(F₀|LB|) + 10⁻¹⁵·F₀ with F₀ = F(B = 0)
    /// = Σ_k ‖ỹ_k‖²/n_k). GLPK accepts LP bases within its tolerances, and its bounds were seen up
    /// to 3·10⁻⁹ above the master optimum SCIP finds (issue 18's fuzz, seed 20261130, case 134).
    /// (It was 10⁻⁹|LB| + 10⁻¹²·F₀: where the fit is near perfect, UB ≈ 10⁻⁶ with F₀ ≈ 10⁶, that
    /// alone exceeded UB and no gap could close.)
    public static func safetyMargin(_ bound: Double, _ instance: Instance) -> Double {
        4e-9 * abs(bound) + Verifier.slack(bound, bound, scale: instance.nullObjective)
    }

    /// The δ the master's Zbar term uses: min(δ, UB·(1 + 10⁻⁶)/w_min), with UB an incumbent's F
    /// and w_min the smallest edge weight. Any δ' ≤ δ gives a relaxation of the master (Zbar ≥ 0),
    /// so its bounds hold; and no optimum is lost: an optimum with Zbar > 0 has δ·w_min ≤ δ·Zbar ≤
    /// F ≤ UB, so δ is not lowered, and otherwise every Z with Zbar > 0 still costs more than UB.
    /// Without it, on data whose F is tiny beside δ (y in units of 10⁻⁶, δ = 0.6: δ = 6·10¹¹ in
    /// the solver's units) the master's LP summed Zbar costs of 10¹¹ to values near 0.07 and ended
    /// 1.6·10⁻⁴ below the optimum it could not separate.
    static func masterZbarWeight(_ instance: Instance, upperBound: Double) -> Double {
        let delta = instance.penalty.zbar
        guard delta > 0, let smallest = instance.graph.edges.map(\.weight).min(), smallest > 0, upperBound.isFinite else { return delta }
        return min(delta, max(upperBound, 0) * (1 + 1e-6) / smallest)
    }

    /// The absolute gap that also counts as closed: 10⁻¹²·F₀ (a fit that leaves less than 10⁻¹² of
    /// F₀ unexplained cannot be told apart from a better one in floating point; optima of exactly
    /// 0 certify through it).
    static func absoluteGap(_ instance: Instance) -> Double { 1e-12 * instance.nullObjective }

    /// Task decomposition (`TaskDecomposition`): rounds in which each task is solved alone at the
    /// current Lagrangian prices, its bound added as a row and its cuts to the pool. The rounds share
    /// `taskDecompositionTimeShare` of the time left (0.9), and each round may use all that remains
    /// of it, shared among its tasks as they go (`TaskDecomposition.round`). Measured with a fixed
    /// share of a fifth of half of the time per task: on ladder-K5-p250-n100, α = 1, 60 s, task t1
    /// stopped at a 0.09 % gap of its own after 2.9 s, while it certifies in 3.8 s; on
    /// ladder-K2-p50-n50, α = 0.01, box 10, the second round's task t1 needed 6.9–7.2 s of its
    /// 7.3 s. Rounds stop when a round (after the first) raises the LP bound by less than 5 % of the
    /// gap. Returns the LP bound after.
    ///
    /// With column-generation prices (`ExactSettings.prices`, `ColumnGeneration`), the smoothing's
    /// first centre is the root LP's prices, weighted ½ when the root bound says they are worth
    /// something (a root gap below 50 %: α = 1 and 0.1 on the ladder); otherwise the duals are used
    /// alone (on ladder-K2-p50-n50, α = 0.01, box 10, the root LP bound is 0: smoothing toward its
    /// prices left a 1.8 % gap at 60 s, the duals alone certified in 5.7 s).
    func decompose(_ run: ExactRun, settings: ExactSettings) -> Double? {
        let master = run.master
        guard var value = run.solveLP() else { return nil }
        let deadline = settings.timeLimitSeconds.map { run.elapsed + max($0 - run.elapsed, 0) * settings.taskDecompositionTimeShare }
        // Prices live on the master's Zbar term, whose δ may be lowered (`masterZbarWeight`).
        var relaxed = run.instance
        relaxed.penalty.zbar = master.zbarWeight
        let decomposition = TaskDecomposition(relaxed, settings: settings, master: master)
        let rootGap = (run.incumbent.value - value) / max(abs(run.incumbent.value), 1e-10)
        var generation = settings.prices == .columnGeneration
            ? ColumnGeneration(relaxed, inner: run.inner, heuristic: settings.heuristic, center: decomposition.costs,
                               dualWeight: rootGap < 0.5 ? 0.5 : 1) : nil
        for round in 0..<settings.taskDecompositionRounds {
            if run.shouldStop() != nil || deadline.map({ run.elapsed >= $0 }) == true { break }
            var costs: Matrix? = nil
            if let columns = generation {
                for (k, support) in run.incumbent.supports.enumerated() { columns.add(support, task: k) }
                // Pricing gets at most a quarter of the time to the deadline: the exact solves need the rest.
                costs = columns.prices(seconds: deadline.map { max($0 - run.elapsed, 0.01) / 4 }, log: run.log)
                if costs != nil {
                    for cut in run.consider(columns.leadingSupports(), source: "C") { run.pool.append(cut); master.addGlobal(cut) }
                }
                if costs == nil {
                    // Large masters (ladder-K10-p500-n100: 45 000 edge rows) did not solve in 10 s.
                    run.log.note("column generation: the restricted master was not solved in time; subgradient prices from here")
                    generation = nil
                }
            }
            let seconds = deadline.map { max($0 - run.elapsed, 0.01) }
            let found = decomposition.round(seconds: seconds, upperBound: run.incumbent.value, log: run.log, costs: costs)
            if let generation { for (k, support) in found.supports.enumerated() { generation.add(support, task: k) } }
            for cut in found.cuts { run.pool.append(cut) }
            for bound in found.bounds { master.addTaskBound(bound) }
            if found.supports.count == run.instance.taskCount {
                for cut in run.consider(found.supports, source: "D") { run.pool.append(cut); master.addGlobal(cut) }
            }
            guard let next = run.solveLP() else { return nil }
            let gain = next - value
            if gain > 0, let costs { generation?.recenter(at: costs) }
            value = next
            run.bound = max(run.bound ?? -.infinity, value)
            run.log.note(String(format: "task decomposition round %d: %d tasks solved alone, %d cuts, LP bound %.10g", round + 1,
                                found.bounds.count, found.cuts.count, value))
            run.report(source: nil)
            if let gap = run.gap, gap <= settings.relativeGap { break }
            if round > 0 && gain < 0.05 * (run.incumbent.value - value) { break }
        }
        return value
    }

    /// The root cutting-plane loop on the LP relaxation, stabilised (in-out separation): cuts are
    /// made at the midpoint of the LP point and a stability centre (first the incumbent's Z), which
    /// converges in far fewer rounds than cutting at the LP point; when the midpoint's cuts do not
    /// cut the LP point off, or the last round did not raise the bound, the centre moves to the
    /// midpoint and the LP point itself is cut too. (Without the second rule the bound could sit
    /// still for ten rounds and the loop end early: ladder-K5-p250-n100, α = 1, ended at 64.11
    /// instead of 64.35, and the task decomposition's first prices then gave 65.06 instead of 65.36.)
    /// At the end the cut rows with slack are removed (they stay in the pool). Returns the last LP bound.
    ///
    /// Where the gap is wide (small α) the loop also tails off (`tailOff`): the tree must close most
    /// of that gap anyway, and late rounds buy little of it (α = 0.01, box 10, against build 8e36002
    /// in one session: ladder-K1-p20 0.007 s instead of 0.020, K2-p20 0.020 s instead of 0.046;
    /// single-task n = p = 50, K2-p50 and K3-p100 unchanged within noise; at α = 0.1 K2-p250 and
    /// K5-p250 reached 29.7 % and 18.8 % in 60 s instead of 30.3 % and 20.4 %).
    func rootLoop(_ run: ExactRun, settings: ExactSettings) -> Double? {
        let tailOff = (gap: 0.05, rounds: 10, share: 0.01)  // past gap: stop once `rounds` rounds raised LB by < share·(UB − LB)
        var last: Double? = nil
        var stalled = 0
        var history: [Double] = []
        var center = Support(run.incumbent.supports).binary(featureCount: run.instance.featureCount)
        let master = run.master
        for _ in 0..<settings.rootRounds {
            if let reason = run.shouldStop() { run.stopReason = reason; break }
            // With a time limit, the root gets at most a quarter of it: branching must have time too.
            if let limit = settings.timeLimitSeconds, run.elapsed > 0.25 * limit { break }
            guard let value = run.solveLP() else { break }
            run.bound = max(run.bound ?? -.infinity, value)
            let x = (0..<master.problem.columnCount).map { master.problem.lpValue($0) }
            let z = master.z(from: x), eta = master.eta(from: x)
            var mid = z
            for i in mid.storage.indices { mid.storage[i] = 0.5 * (z.storage[i] + center.storage[i]) }
            var cuts = run.tightCuts(at: run.relaxation.coefficients(at: mid))
                .filter { run.violation($0, z: z, eta: eta) > 0 }
            if cuts.isEmpty || stalled > 0 {
                center = mid
                cuts += run.separate(x)
            }
            cuts += run.round(x).filter { run.violation($0, z: z, eta: eta) > 0 }
            if cuts.isEmpty { last = value; break }
            for cut in cuts { run.pool.append(cut); master.addGlobal(cut) }
            if let previous = last, value - previous <= 1e-6 * max(1, abs(value)) { stalled += 1 } else { stalled = 0 }
            last = value
            if stalled >= 10 { break }
            // Tail-off where the gap is wide (small α): the tree must close most of it anyway, and
            // each further round buys little of it.
            history.append(value)
            if let gap = run.gap, gap > tailOff.gap, history.count > tailOff.rounds,
               value - history[history.count - 1 - tailOff.rounds] < tailOff.share * (run.incumbent.value - value) { break }
            if let gap = run.gap, gap <= settings.relativeGap { break }
            if Date().timeIntervalSince(run.lastLog) >= settings.logIntervalSeconds { run.report(source: nil) }
        }
        if run.solveLP() != nil {
            let dropped = master.dropSlackCuts(tolerance: 1e-6)
            var fixed = ""
            if let value = run.solveLP(), settings.reducedCostFixing {
                let ub = run.incumbent.value
                let counts = master.fixByReducedCost(lpBound: value, upperBound: ub, margin: 1e-7 * max(1, abs(ub)))
                run.fixedByReducedCost = counts.zeros + counts.ones
                fixed = ", \(counts.zeros) z fixed at 0 and \(counts.ones) at 1 by reduced cost"
                _ = run.solveLP()
            }
            run.log.note("root: LP bound \(last.map { String(format: "%.10g", $0) } ?? "--"), \(run.pool.count) cuts in the pool, \(dropped) slack rows removed from the LP\(fixed)")
        }
        return last
    }
}
