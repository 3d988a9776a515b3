import ArgumentParser
import Foundation
import SparseMTL

/// `sparsemtl diffuse`: the adapt-then-combine multitask recursion over agents with streaming data.
struct Diffuse: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the adapt-then-combine recursion (one agent per task, streaming rows) and report its mean-square deviation.",
        discussion: """
        Every agent k reads its task's rows one at a time and updates w_k ← w_k + μ x (y − xᵀw_k) \
        (adapt); the agents then combine, W ← (I − μη(L ⊗ I))W. Strategies: non-cooperative (no \
        combine), learned graph (non-cooperative for the first --phase-one iterations, then L̂ is \
        learned from the agents' estimates averaged over the second half of phase I), true graph \
        (with --truth-graph: the same phases with the true L), and consensus (every agent takes the \
        average). The mean-square deviation (1/K)Σ_k‖w_k − w°_k‖² \
        from the true coefficients (the instance's truth file, or --truth) is averaged over --runs \
        shuffles of the rows; Ctrl-C reports the runs finished so far (exit 130). `sparsemtl generate \
        --pattern gmrf --tasks 10` makes the seed's experiment.
        """
    )

    @OptionGroup var problem: ProblemOptions

    @Option(help: "True coefficients (CSV, original units); default: the instance file's truth.")
    var truth: String?

    @Option(help: "The true task graph CSV: adds the true-graph strategy and scores the learned graphs against it.")
    var truthGraph: String?

    @Option(parsing: .unconditional, help: "μ, the step size (> 0); default 0.05 / mean E‖x‖².")
    var step: Double?

    @Option(parsing: .unconditional, help: "η, the weight of the graph term (≥ 0); default μσ̂²/2 with σ̂² the noise variance seen in phase I.")
    var eta: Double?

    @Option(parsing: .unconditional, help: "T, iterations per run; default: the smallest task's row count (one pass).")
    var iterations: Int?

    @Option(parsing: .unconditional, help: "T₁, the non-cooperative phase before L̂ is learned; default T/5.")
    var phaseOne: Int?

    @Option(parsing: .unconditional, help: "Runs (row shuffles) the deviation is averaged over.")
    var runs = 10

    @Option(parsing: .unconditional, help: "Seed of the row shuffles.")
    var seed: UInt64 = 1

    @Option(help: "Write the curves, the steady state and the learned graphs as JSON here.")
    var output: String?

    @Option(help: "Draw the deviation curves and the true and learned graphs' weights into this SVG file.")
    var plot: String?

    func run() throws {
        let instance = try problem.load()
        let labels = instance.taskLabels
        guard let truthFile = truth ?? instance.truthPath else {
            throw InputError(file: "diffuse", "the deviation needs the true coefficients: give --truth FILE or an instance with a truth file")
        }
        let original = try CoefficientFile.read(truthFile, taskLabels: labels, featureCount: instance.featureCount).coefficients
        let trueGraph = try truthGraph.map { try TaskGraph.read($0, taskLabels: labels) }
        let t = iterations ?? instance.sampleCounts.min() ?? 1
        var recursion = AdaptThenCombine(stepSize: step ?? AdaptThenCombine.defaultStepSize(instance), coupling: eta,
                                         iterations: t, phaseOneIterations: phaseOne ?? max(1, t / 5))
        recursion.runs = runs
        recursion.seed = seed
        recursion.estimator.l1 = problem.graphLearning.graphL1
        Terminal.note(InstanceSummary(instance).headline)
        Terminal.note(String(format: "diffuse: μ = %.4g, η = %@, T = %d, T₁ = %d, %d runs", recursion.stepSize,
                             eta.map { String(format: "%.4g", $0) } ?? "μσ̂²/2", t, recursion.phaseOneIterations, runs))
        Interrupt.install()
        let report = try recursion.run(instance, truth: instance.preprocessing.toModelScale(original), trueGraph: trueGraph) {
            Terminal.note("run \($0) of \(runs) done")
        }
        guard report.runsCompleted > 0 else {
            Terminal.note("sparsemtl: interrupted before the first run finished; nothing to report")
            throw ExitCode(ExitStatus.interrupted.rawValue)
        }
        print(table(report), terminator: "")
        if eta == nil, !report.couplings.isEmpty {
            print(String(format: "η = μσ̂²/2 = %.4g (mean of %d runs)", report.couplings.reduce(0, +) / Double(report.couplings.count), report.couplings.count))
        }
        let scores = trueGraph.map { truth in report.learnedGraphs.map { GraphComparison(learned: $0, truth: truth) } } ?? []
        if !scores.isEmpty {
            let mean = { (f: (GraphComparison) -> Double) in scores.map(f).reduce(0, +) / Double(scores.count) }
            print(String(format: "learned graphs against the truth (mean of %d): precision %.3f, recall %.3f, ‖L̂ − L‖/‖L‖ = %.3f",
                         scores.count, mean { $0.precision }, mean { $0.recall }, mean { $0.relativeError }))
        }
        if let output { try FileIO.writeAtomically(json(report, recursion, instance).text, to: output) }
        if let plot {
            try FileIO.writeAtomically(figure(report, instance: instance, trueGraph: trueGraph).svg, to: plot)
            Terminal.note("wrote \(plot)")
        }
        if report.runsCompleted < runs { throw ExitCode(ExitStatus.interrupted.rawValue) }
    }

    /// MSD in dB at about ten checkpoints, then the steady state.
    private func table(_ report: AdaptThenCombine.Report) -> String {
        let strategies = report.strategies
        let widths = [12] + strategies.map { _ in 17 }
        func row(_ first: String, _ cells: [String]) -> String { TextTable.row([first] + cells, widths: widths) }
        var out = row("iteration", strategies.map { "\($0.rawValue) dB" })
        let every = max(1, (report.checkpoints.count - 1) / 10)
        for index in Swift.stride(from: 0, to: report.checkpoints.count, by: every) {
            out += row("\(report.checkpoints[index])", strategies.map { String(format: "%.2f", decibels(report.msd[$0]![index])) })
        }
        out += row("steady", strategies.map { String(format: "%.2f", decibels(report.steadyState($0))) })
        return out
    }

    private func decibels(_ x: Double) -> Double { 10 * log10(x) }

    private func json(_ report: AdaptThenCombine.Report, _ recursion: AdaptThenCombine, _ instance: Instance) -> JSONValue {
        let labels = instance.taskLabels
        return .object([
            ("step_size", .number(recursion.stepSize)), ("coupling", .number(recursion.coupling)),
            ("couplings_used", .array(report.couplings.map { .number($0) })),
            ("iterations", .int(recursion.iterations)), ("phase_one_iterations", .int(recursion.phaseOneIterations)),
            ("runs", .int(report.runsCompleted)), ("tasks", .array(labels.map { .string($0) })),
            ("checkpoints", .array(report.checkpoints.map { .int($0) })),
            ("msd", .object(report.strategies.map { ($0.rawValue, .array(report.msd[$0]!.map { .number($0) })) })),
            ("steady_state_msd", .object(report.strategies.map { ($0.rawValue, .number(report.steadyState($0))) })),
            ("learned_graphs", .array(report.learnedGraphs.map { graph in
                .array(graph.edges.filter { $0.weight > 0 }.map { .array([.string(labels[$0.k]), .string(labels[$0.l]), .number($0.weight)]) })
            })),
        ])
    }

    private func figure(_ report: AdaptThenCombine.Report, instance: Instance, trueGraph: TaskGraph?) -> SVGFigure {
        let labels = instance.taskLabels
        let x = report.checkpoints.map(Double.init)
        var panels: [SVGFigure.Panel] = [
            .lines(title: "mean-square deviation", xLabel: "iteration", yLabel: "MSD",
                   series: report.strategies.map { .init(name: $0.rawValue, x: x, y: report.msd[$0]!) }, logY: true),
        ]
        let learned = report.learnedGraphs.first?.weightMatrix
        let scale = max(trueGraph?.weightMatrix.storage.max() ?? 0, learned?.storage.max() ?? 0)
        if let trueGraph {
            panels.append(.heatmap(title: "true weights", matrix: trueGraph.weightMatrix, rowLabels: labels, columnLabels: labels, scale: scale))
        }
        if let learned {
            panels.append(.heatmap(title: "learned weights (run 1)", matrix: learned, rowLabels: labels, columnLabels: labels, scale: scale))
        }
        return SVGFigure(title: "Adapt-then-combine on \(instance.name)", panels: panels)
    }
}
