import Foundation

/// The state of one exact solve that the GLPK callback works on: the incumbent, the global cut
/// pool (GLPK forgets rows added below the root), separation at master points, rounding, the log.
final class ExactRun {
    let instance: Instance
    let settings: ExactSettings
    let master: Master
    let inner: InnerProblem
    let builder: CutBuilder
    let clock: Date
    var log: SolverLog

    var incumbent: Incumbent
    /// Every cut generated, in order (the certificate lists them all).
    var pool: [Cut] = []
    /// The pool's numbers laid out for `mostViolated`.
    private var poolIndex = CutPoolIndex()
    /// The best global lower bound seen (root LP, then GLPK's best node bound).
    var bound: Double? = nil
    var nodes = 0, openNodes = 0, lazyRows = 0, callbacks = 0, roundings = 0
    /// z_jk fixed at the root by reduced cost.
    var fixedByReducedCost = 0
    var lastLog = Date.distantPast
    /// The incumbent value last handed to GLPK (so each incumbent is offered once).
    var offeredValue = Double.infinity
    var stopReason: SolveStatus? = nil
    /// The tight cuts at the incumbent, until `incumbentSolution` puts them in the pool (callers
    /// keep only the cuts violated at their LP point, and the incumbent's η needs these).
    private var incumbentCuts: [Cut] = []
    /// The node whose cut rounds are being counted, and how many it has had.
    private var roundNode = -1, roundsAtNode = 0

    /// Frank–Wolfe on each task's relaxation at fractional nodes (`separate`).
    lazy var nodeRelaxation: NodeRelaxation = {
        var relaxation = NodeRelaxation(instance, iterations: settings.nodeRelaxationIterations)
        relaxation.restrictedShifts = settings.restrictedShift
        return relaxation
    }()
    /// The perspective relaxation at fractional points (its Gram matrices formed once per solve).
    var relaxation: PerspectiveRelaxation { nodeRelaxation.kernel }
    /// Extra costs c_jk on z_jk (p × K) added to F, or nil (`ExactSolver.solve`).
    let linearCosts: Matrix?

    init(instance: Instance, settings: ExactSettings, master: Master, start: SolveResult, clock: Date, log: ((String) -> Void)?,
         trace: ((TracePoint) -> Void)? = nil, linearCosts: Matrix? = nil) {
        self.instance = instance
        self.linearCosts = linearCosts
        self.settings = settings
        self.master = master
        self.clock = clock
        self.log = SolverLog(log, trace: trace)
        inner = InnerProblem(instance, gramColumnsPerTask: settings.heuristic.gramColumnsPerTask(
            features: instance.featureCount, tasks: instance.taskCount, sparsity: instance.penalty.sparsity))
        inner.linearCosts = linearCosts  // for `InnerProblem.linearCost`; g itself never includes them
        builder = CutBuilder(instance)
        incumbent = Incumbent(supports: start.support.indices, coefficients: start.coefficients, fitValues: [],
                              value: .infinity, source: "H")
    }

    var delta: Double { instance.penalty.zbar }
    var elapsed: Double { Date().timeIntervalSince(clock) }

    /// Fits Z exactly; if F(Z) beats the incumbent, it becomes the incumbent.
    /// - Returns: the tight cuts at Z (per task, or one aggregated).
    @discardableResult
    func consider(_ supports: [[Int]], source: Character) -> [Cut] {
        let fit = inner.fit(supports)
        let b = inner.coefficients(supports, fit.betas)
        let value = fit.value + delta * inner.zbar(supports) + inner.linearCost(supports)
        let cuts = tightCuts(at: b)
        if value < incumbent.value - 1e-12 * max(1, abs(value)) {
            incumbent = Incumbent(supports: supports, coefficients: b, fitValues: fit.taskValues, value: value, source: source)
            incumbentCuts = cuts
            report(source: source)
        }
        return cuts
    }

    /// Cuts from the tight dual point at coefficients B.
    func tightCuts(at b: Matrix) -> [Cut] {
        if master.perTask { return (0..<instance.taskCount).map { builder.cut(builder.dualPoint(at: b, tasks: [$0])) } }
        return [builder.cut(builder.dualPoint(at: b, tasks: Array(0..<instance.taskCount)))]
    }

    /// The new cuts violated at a master point (z, η): exact at binary Z (which is also tried as an
    /// incumbent), from the perspective relaxation at fractional Z. Inside the tree (`node` gives the
    /// node's bounds on the z columns) and with per-task η, each task's cut comes instead from
    /// Frank–Wolfe on the node's perspective relaxation started at z (`NodeRelaxation`), which is
    /// tight near the node's relaxation optimum rather than at the LP point.
    func separate(_ x: [Double], node: (lower: [Double], upper: [Double])? = nil) -> [Cut] {
        let z = master.z(from: x)
        let eta = master.eta(from: x)
        if Self.isBinary(z) {
            return consider(supports(of: z), source: "I").filter {
                violation($0, z: z, eta: eta, tolerance: settings.integerCutTolerance) > 0
            }
        }
        if let node, master.perTask, settings.nodeRelaxationIterations > 0 {
            return nodeRelaxation.dualPoints(at: z, lower: node.lower, upper: node.upper, linearCosts: linearCosts)
                .map(builder.cut).filter { violation($0, z: z, eta: eta) > 0 }
        }
        return tightCuts(at: relaxation.coefficients(at: z)).filter { violation($0, z: z, eta: eta) > 0 }
    }

    /// h(z) − η − tolerance: positive when the cut cuts the point off.
    func violation(_ cut: Cut, z: Matrix, eta: [Double], tolerance: Double? = nil) -> Double {
        let h = cut.value(at: z)
        let e = master.perTask ? eta[cut.task!] : eta[0]
        return h - e - (tolerance ?? settings.cutTolerance) * max(1, abs(h))
    }

    /// The pool cuts violated at (z, η), at most `limit` of them, most violated first. The scan runs
    /// at every callback over thousands of cuts: on the hardest task solved alone in
    /// ladder-K5-p250-n100 (α = 1) it took a fifth of the tree's time, 2.9–3.4 s of 15–16 s when it
    /// sorted copies of every cut, 2.1–3.1 s going once over the pool by index and keeping only the
    /// best few (`largestPositive`).
    /// What is left is reading every cut's coefficients (`CutPoolIndex`: reading them out of `Cut`
    /// values was most of the scan's time).
    func mostViolated(at z: Matrix, eta: [Double], tolerance: Double, limit: Int) -> [Cut] {
        poolIndex.sync(with: pool)
        return poolIndex.mostViolated(z: z.storage, eta: eta, tolerance: tolerance, limit: limit).map { pool[$0] }
    }

    /// Rounds a fractional Z (the s largest z_jk of each task) and tries it as an incumbent.
    func round(_ x: [Double]) -> [Cut] {
        let z = master.z(from: x)
        let s = instance.penalty.sparsity
        let supports = (0..<instance.taskCount).map { k in
            (0..<instance.featureCount).filter { z[$0, k] > 1e-6 }.sorted { z[$0, k] > z[$1, k] }.prefix(s).sorted()
        }
        roundings += 1
        return consider(supports.map { Array($0) }, source: "R")
    }

    /// Most callback rounds at one node with a binary point (see `callback`).
    static let binaryRoundLimit = 20

    /// Whether every z_jk is within 10⁻⁹ of 0 or 1 (GLPK's integrality tolerance in `branchAndCut`).
    static func isBinary(_ z: Matrix) -> Bool { z.storage.allSatisfy { $0 < 1e-9 || $0 > 1 - 1e-9 } }

    func supports(of z: Matrix) -> [[Int]] {
        (0..<z.columns).map { k in (0..<z.rows).filter { z[$0, k] > 0.5 } }
    }

    /// The incumbent as a full master solution with η the master's own value at its Z: the largest
    /// pool cut and task-bound row (and 0), so that it satisfies every row GLPK holds. Not the fitted
    /// g_k: GLPK prunes the incumbent's own leaf against the value handed over, and an exhausted tree
    /// then proves only that value, which must be at most the master's value there. A fit can sit
    /// above g (α = 0, a box and collinear columns: projected coordinate descent stops short), and
    /// with the fitted values the bound came out 2·10⁻⁹ above what the master proves (issue 18's
    /// fuzz, case 278 of seed 1).
    func incumbentSolution() -> [Double] {
        pool += incumbentCuts
        incumbentCuts = []
        let zb = Support(incumbent.supports).binary(featureCount: instance.featureCount)
        var eta = [Double](repeating: 0, count: master.etaColumns.count)
        for cut in pool {
            let i = master.perTask ? cut.task! : 0
            eta[i] = max(eta[i], cut.value(at: zb))
        }
        for row in master.taskBounds {
            eta[row.task] = max(eta[row.task], incumbent.supports[row.task].reduce(row.bound) { $0 - row.costs[$1] })
        }
        return master.solution(incumbent.supports, eta: eta)
    }

    /// UB, LB and the gap as the result reports them.
    var gap: Double? { bound.map { (incumbent.value - $0) / max(abs(incumbent.value), 1e-10) } }

    /// The master's LP relaxation, solved within the time left: one LP of a large master can take
    /// minutes (ladder-K10-p500-n100, α = 0.1: the first root LP took 90 s of a 60 s limit).
    /// Simplex runs that stop at their iteration limit (cycling or stalling) are retried once from
    /// a fresh basis (`GLPKProblem.solveLP`); one that fails again is noted in the log.
    /// - Returns: its value, or nil when it failed or the time ran out (then `stopReason` is time_limit).
    func solveLP() -> Double? {
        let outcome = master.problem.solveLP(timeLimitSeconds: settings.timeLimitSeconds.map { max($0 - elapsed, 0.001) })
        switch outcome {
        case .timeLimit: stopReason = stopReason ?? .timeLimit
        case .iterationLimit:
            log.note("the master's LP relaxation: GLPK's simplex method reached its iteration limit twice (cycling or "
                     + "stalling, also from a fresh basis on the scaled problem); the search goes on from the bound it has")
        case .failed:
            log.note("the master's LP relaxation: GLPK's simplex method failed twice (also from a fresh basis on the "
                     + "scaled problem); the search goes on from the bound it has")
        case .optimal: break
        }
        return outcome.value
    }

    func shouldStop() -> SolveStatus? {
        if Interrupt.isRequested { return .interrupted }
        if let limit = settings.timeLimitSeconds, elapsed >= limit { return .timeLimit }
        return nil
    }

    /// The GLPK callback.
    func callback(_ tree: GLPKTree) {
        callbacks += 1
        let size = tree.size
        nodes = size.total
        openNodes = size.active
        if let b = tree.globalBound { bound = max(bound ?? -.infinity, b) }
        if let reason = shouldStop() {
            stopReason = reason
            tree.terminate()
            return
        }
        switch tree.reason {
        case .rowGeneration:
            let x = tree.point(columns: master.problem.columnCount)
            let z = master.z(from: x), eta = master.eta(from: x)
            // Pool cuts first (GLPK dropped them outside the subtree they were added in).
            let fractional = !Self.isBinary(z)
            let tolerance = fractional ? settings.cutTolerance : settings.integerCutTolerance
            var added = mostViolated(at: z, eta: eta, tolerance: tolerance, limit: 10)
            if tree.currentNode != roundNode { roundNode = tree.currentNode; roundsAtNode = 0 }
            roundsAtNode += 1
            // Past the node's round limit no rows are added: at a fractional point GLPK branches; at a
            // binary point that keeps coming back, GLPK's LP already holds the rows and what is left of
            // their violation (seen: 2e-9) is within its tolerance, so adding them again would loop for
            // ever (GLPK's incumbent is then below F by that much, which only lowers its bound).
            let roundLimit = fractional ? settings.nodeCutRounds : Self.binaryRoundLimit
            if roundsAtNode > roundLimit { added = [] }
            if added.isEmpty && roundsAtNode <= roundLimit && (!fractional || settings.nodeCuts) {
                added = separate(x, node: fractional ? tree.bounds(columns: instance.featureCount * instance.taskCount) : nil)
                if fractional {
                    added = added.filter { violation($0, z: z, eta: eta, tolerance: settings.nodeCutTolerance) > 0 }
                }
                pool += added
                if fractional && callbacks % 20 == 0 {
                    let rounded = round(x).filter { violation($0, z: z, eta: eta) > 0 }
                    pool += rounded
                    added += rounded
                }
            }
            for cut in added {
                let r = master.row(cut)
                tree.addRow(columns: r.columns, coefficients: r.coefficients, lower: r.lower)
                lazyRows += 1
            }
        case .heuristic:
            if incumbent.value < offeredValue && incumbent.value < (tree.incumbent ?? .infinity) - 1e-9 * max(1, abs(incumbent.value)) {
                tree.offerSolution(incumbentSolution())
                offeredValue = incumbent.value
            }
        case .newIncumbent, .other:
            break
        }
        if elapsed - lastLog.timeIntervalSince(clock) >= settings.logIntervalSeconds { report(source: nil) }
    }

    func report(source: Character?) {
        lastLog = Date()
        log.line(source: source, seconds: elapsed, nodes: nodes, open: openNodes, cuts: pool.count,
                 incumbent: incumbent.value, bound: bound)
    }
}
