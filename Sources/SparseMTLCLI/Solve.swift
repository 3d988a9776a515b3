import ArgumentParser
import Foundation
import SparseMTL

/// `sparsemtl solve`: fit the sparse multi-task model.
struct Solve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fit the model: at most s features per task, with the Zbar and Bbar penalties.",
        discussion: """
        --method heuristic (default): greedy forward selection followed by best-improvement local \
        search over adds, drops, swaps, double swaps, splices and row moves, with the coefficients \
        refitted exactly for every support it tries. It ends at a local optimum (status \
        local_optimum) and reports no lower bound.

        --method exact: outer approximation over a GLPK master problem in the supports; every cut \
        comes from a dual point of the inner problem, so the master's bound is a proven lower bound. \
        It stops at --gap (status optimal or gap_limit), at --time-limit or a numerical limit (exit \
        3, the incumbent and the bound so far written), or on Ctrl-C (exit 130). It needs α > 0 or \
        --big-m. --certificate writes what `sparsemtl verify` re-checks; --trace and --plot record \
        the bounds over time.

        The result JSON (a model file that `sparsemtl predict` reads) goes to --output (or standard \
        output); a summary goes to the terminal.
        """
    )

    enum Method: String, ExpressibleByArgument, CaseIterable {
        case heuristic
        case exact
    }

    @OptionGroup var problem: ProblemOptions

    @Option(help: "Solver: \(Method.allCases.map(\.rawValue).joined(separator: ", ")).")
    var method: Method = .heuristic

    @Option(help: "Write the result JSON here (written whole, or not at all).")
    var output: String?

    @Option(help: "Exact method: write the certificate here (JSON), and the final master beside it as NAME.master.mps.")
    var certificate: String?

    @Option(parsing: .unconditional, help: "Stop after this many seconds with the best point so far.")
    var timeLimit: Double?

    @Option(parsing: .unconditional, help: "Exact method: stop at this relative gap (UB − LB)/|UB|.")
    var gap: Double = ExactSettings().relativeGap

    @Option(help: "Exact method: Zbar encoding in the master, edges (default, stronger LP) or levels (complete graph with equal weights only).")
    var zbarEncoding: String?

    @Option(parsing: .unconditional, help: "Heuristic: moves scored exactly per step (the rest are ranked by a cheap screen).")
    var exactCandidates: Int = HeuristicSettings().exactCandidates

    @Option(parsing: .unconditional, help: "Heuristic with λ > 0: single-task moves refitted jointly when none is proven to improve with the other tasks held fixed (0: only proven moves).")
    var jointCandidates: Int = HeuristicSettings().jointCandidates

    @Option(help: "Exact method: GLPK's branching rule, \(Branching.allCases.map(\.rawValue).joined(separator: ", ")) (default mfv, most fractional).")
    var branching: Branching = ExactSettings().branching

    @Option(help: "Exact method: Frank–Wolfe iterations on each task's perspective relaxation at a fractional node, whose best dual point gives the node's cut (λ = 0); 0 cuts at the node's LP point.")
    var nodeIterations: Int = ExactSettings().nodeRelaxationIterations

    @Option(help: "Exact method: most rounds of cuts at one fractional node, each re-solving the node's LP, before it is branched on.")
    var nodeRounds: Int = ExactSettings().nodeCutRounds

    @Option(help: "Exact method: most rounds of the root cutting-plane loop on the LP relaxation.")
    var rootRounds: Int = ExactSettings().rootRounds

    @Option(parsing: .unconditional, help: "Exact method: bound problems with at most this many support fits by enumerating every support (exact, no LP tolerances; 0: never, every bound from GLPK's LP and tree).")
    var enumerationLimit: Double = ExactSettings().enumerationLimit

    @Flag(inversion: .prefixedNo, help: "Exact method (λ = 0): shifted cuts, the perspective on (α + d_k)β² with d_k = 0.95·λ_min(X̃_kᵀX̃_k/n_k), stronger where tasks have more rows than features.")
    var perspectiveShift = ExactSettings().perspectiveShift

    @Flag(inversion: .prefixedNo, help: "Exact method (λ = 0): at nodes whose fixings leave fewer free features than rows, shift the node's perspective by 0.95·λ_min of the free features' Gram matrix (restricted shifted cuts; they pay where n_k ≤ p).")
    var restrictedShift = ExactSettings().restrictedShift

    @Flag(inversion: .prefixedNo, help: "Exact method (α > 0): bound with the box |β| ≤ √(F(incumbent)/α) that every better B satisfies (where it is tighter than --big-m, or there is none); the model is not boxed by it.")
    var impliedBox = ExactSettings().impliedBox

    @Flag(inversion: .prefixedNo, help: "Exact method: with λ = 0 and K ≥ 2, solve each task alone at the root and add its certified bound to the master (task decomposition).")
    var taskDecomposition = ExactSettings().taskDecomposition

    @Option(help: "Exact method: where the task decomposition's prices come from, \(TaskPrices.allCases.map(\.rawValue).joined(separator: " or ")) (default columns: column generation priced by the heuristic; subgradient: Polyak steps from the root LP's duals).")
    var taskPrices: TaskPrices = ExactSettings().prices

    @Option(parsing: .unconditional, help: "Exact method: seconds between progress lines of the log (a line is also printed at every new incumbent).")
    var logInterval: Double = ExactSettings().logIntervalSeconds

    @Option(help: "Exact method: write the search's progress (time, nodes, cuts, incumbent, bound; data units) as JSON lines here.")
    var trace: String?

    @Option(help: "Exact method: draw bound and incumbent against time (and the gap) as SVG here.")
    var plot: String?

    @Flag(help: "No summary or progress on the terminal.")
    var quiet = false

    func validate() throws {
        if let t = timeLimit, !(t > 0) { throw ValidationError("--time-limit must be positive") }
        if method != .exact && (trace != nil || plot != nil) { throw ValidationError("--trace and --plot need --method exact") }
        if rootRounds < 0 { throw ValidationError("--root-rounds must be ≥ 0") }
        if !(enumerationLimit >= 0) { throw ValidationError("--enumeration-limit must be ≥ 0") }
        if nodeRounds < 0 { throw ValidationError("--node-rounds must be ≥ 0") }
        if nodeIterations < 0 { throw ValidationError("--node-iterations must be ≥ 0") }
        if !(logInterval > 0) { throw ValidationError("--log-interval must be positive") }
        if exactCandidates < 1 { throw ValidationError("--exact-candidates must be at least 1") }
        if jointCandidates < 0 { throw ValidationError("--joint-candidates must be at least 0") }
        if !(gap >= 0 && gap < 1) { throw ValidationError("--gap must be in [0, 1)") }
        if let z = zbarEncoding, ZbarEncoding(rawValue: z) == nil { throw ValidationError("--zbar-encoding must be edges or levels") }
        if certificate != nil && method != .exact { throw ValidationError("--certificate needs --method exact") }
    }

    /// Writes the result JSON to --output, or to standard output.
    private func write(_ result: SolveResult, _ instance: Instance) throws {
        let text = result.json(instance).text
        if let output {
            try FileIO.writeAtomically(text, to: output)
        } else {
            print(text, terminator: "")
        }
    }

    func run() throws {
        let definition = try problem.problemDefinition()
        let instance = try problem.instance(of: definition)
        var heuristic = HeuristicSettings()
        heuristic.timeLimitSeconds = timeLimit
        heuristic.exactCandidates = exactCandidates
        heuristic.jointCandidates = jointCandidates
        Interrupt.install()
        let result: SolveResult
        switch method {
        case .heuristic:
            result = HeuristicSolver(settings: heuristic, progress: quiet ? nil : { Terminal.note($0) }).solve(instance)
        case .exact:
            var settings = ExactSettings()
            settings.relativeGap = gap
            settings.timeLimitSeconds = timeLimit
            settings.zbarEncoding = zbarEncoding.flatMap(ZbarEncoding.init(rawValue:))
            settings.logIntervalSeconds = logInterval
            settings.branching = branching
            settings.nodeRelaxationIterations = nodeIterations
            settings.nodeCutRounds = nodeRounds
            settings.taskDecomposition = taskDecomposition
            settings.prices = taskPrices
            settings.rootRounds = rootRounds
            settings.enumerationLimit = enumerationLimit
            settings.perspectiveShift = perspectiveShift
            settings.restrictedShift = restrictedShift
            settings.impliedBox = impliedBox
            settings.heuristic = heuristic
            // One BLAS thread: the exact solver's products and factorizations are small (|S| × |S|
            // systems, n × p products), and with two threads the wake-ups cost more than they gain
            // (ladder-K5-p250-n100, α = 1: 48 s of system time in a 60 s run, against 0.4 s).
            let recorder = TraceRecorder()
            var solver = ExactSolver(settings: settings, log: quiet ? nil : { Terminal.note($0) })
            if trace != nil || plot != nil { solver.trace = recorder.add }
            let outcome = try BLASLibrary.withThreads(1) { try solver.solve(instance) }
            result = outcome.result
            // The result first: a second Ctrl-C during the certificate's longer write must not lose it.
            try write(result, instance)
            if trace != nil || plot != nil {
                // The trace ends with the final UB and LB, as the result states them.
                var last = recorder.points.last ?? TracePoint(seconds: 0, nodes: 0, open: 0, cuts: 0, incumbent: result.objective.objective)
                last.seconds = result.seconds
                last.incumbent = result.objective.objective
                last.bound = result.lowerBound
                last.source = nil
                recorder.add(last)
                if let trace { try FileIO.writeAtomically(recorder.points.map { $0.json.compactText + "\n" }.joined(), to: trace) }
                if let plot {
                    try FileIO.writeAtomically(TraceFigure.figure(recorder.points, title: "Exact solve of \(instance.name) (\(result.status.rawValue))").svg, to: plot)
                }
            }
            if let certificate {
                try Certificate.write(definition: definition, instance: instance, outcome: outcome,
                                      versions: Info.versions, to: certificate)
            }
        }
        if method == .heuristic { try write(result, instance) }
        if !quiet { ResultSummary(instance: instance, result: result).lines.forEach(Terminal.note) }
        let exit = ExitStatus(result.status)
        if exit != .success { throw ExitCode(exit.rawValue) }
    }
}

extension Branching: ExpressibleByArgument {}
extension TaskPrices: ExpressibleByArgument {}

/// Collects the exact solver's trace points.
final class TraceRecorder {
    private(set) var points: [TracePoint] = []
    func add(_ point: TracePoint) { points.append(point) }
}
