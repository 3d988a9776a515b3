import ArgumentParser
import Foundation
import SparseMTL

/// `sparsemtl solve`: fit the sparse multi-task model.
struct Solve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fit the model: at most s features per task, with the Zbar and Bbar penalties.",
        discussion: """
        The heuristic (default) is greedy forward selection followed by best-improvement local search \
        over adds, drops, swaps and row swaps, with the coefficients refitted exactly for every support \
        it keeps. It ends at a local optimum (status local_optimum) and reports no lower bound. \
        The result JSON goes to --output (or standard output); a summary goes to the terminal.
        """
    )

    enum Method: String, ExpressibleByArgument, CaseIterable {
        case heuristic
    }

    @OptionGroup var problem: ProblemOptions

    @Option(help: "Solver: \(Method.allCases.map(\.rawValue).joined(separator: ", ")).")
    var method: Method = .heuristic

    @Option(help: "Write the result JSON here (written whole, or not at all).")
    var output: String?

    @Option(parsing: .unconditional, help: "Stop after this many seconds with the best point so far.")
    var timeLimit: Double?

    @Option(parsing: .unconditional, help: "Moves scored exactly per step (the rest are ranked by a cheap screen).")
    var exactCandidates: Int = HeuristicSettings().exactCandidates

    @Flag(help: "No summary or progress on the terminal.")
    var quiet = false

    func validate() throws {
        if let t = timeLimit, !(t > 0) { throw ValidationError("--time-limit must be positive") }
        if exactCandidates < 1 { throw ValidationError("--exact-candidates must be at least 1") }
    }

    func run() throws {
        let instance = try problem.load()
        var settings = HeuristicSettings()
        settings.timeLimitSeconds = timeLimit
        settings.exactCandidates = exactCandidates
        Interrupt.install()
        let solver = HeuristicSolver(settings: settings, progress: quiet ? nil : { Terminal.note($0) })
        let result = solver.solve(instance)
        let text = result.json(instance).text
        if let output {
            try FileIO.writeAtomically(text, to: output)
        } else {
            print(text, terminator: "")
        }
        if !quiet { ResultSummary(instance: instance, result: result).lines.forEach(Terminal.note) }
    }
}
