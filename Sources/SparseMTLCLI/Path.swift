import ArgumentParser
import Foundation
import SparseMTL

/// `sparsemtl path`: the heuristic along s = 1…s_max (and δ, λ grids), warm-started.
struct Path: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fit along s = 1…s_max (and over α, δ and λ grids), each fit warm-started from a neighbour.",
        discussion: "JSON: one entry per grid point with F, loss, supports, coefficients and intercepts."
    )

    @OptionGroup var problem: ProblemOptions
    @OptionGroup var selection: SelectionOptions

    @Option(help: "Draw the coefficient paths (the first combination of the grid, up to 4 tasks) as SVG here.")
    var plot: String?

    func run() throws {
        // With --data and --max-sparsity, s is not needed: the path runs s = 1 … s_max.
        let instance = try problem.instance(of: problem.problemDefinition(defaultSparsity: selection.maxSparsity))
        let grid = try selection.grid(for: instance, automatic: nil)
        Interrupt.install()
        if !selection.quiet {
            Terminal.note(InstanceSummary(instance).headline)
            Terminal.note(PathTable.header)
        }
        let deadline = selection.deadline
        // The heuristic's matrices are small: BLAS threads would only contend.
        let points = BLASLibrary.withThreads(1) {
            SolutionPath(deadline: deadline).run(instance, grid: grid) { _, _, point in
                if !selection.quiet { Terminal.note(PathTable.row(point)) }
            }
        }
        let status = points.count == grid.count ? "complete" : SelectionOptions.status(deadline: deadline)
        try selection.emit(.object([
            ("instance", .string(instance.name)), ("tasks", .array(instance.taskLabels.map { .string($0) })),
            ("features", .array(instance.featureNames.map { .string($0) })),
            ("status", .string(status)), ("grid", grid.json),
            ("points", .array(points.map { $0.json(instance) })),
        ] + instance.modelRecord))
        if let plot, !points.isEmpty {
            try FileIO.writeAtomically(PathFigure.figure(points, instance: instance).svg, to: plot)
            if !selection.quiet { Terminal.note("wrote \(plot)") }
        }
        try SelectionOptions.exitIfStopped(status)
    }
}

/// Fixed-width rows for path and CV tables.
enum PathTable {
    static let header = "     s          α          δ          λ              F           loss    seconds  support sizes"

    static func row(_ point: PathPoint) -> String {
        String(format: "%6d %10.4g %10.4g %10.4g %14.8g %14.8g %10.3f  ", point.penalty.sparsity, point.penalty.ridge, point.penalty.zbar, point.penalty.bbar,
               point.result.objective.objective, point.result.objective.loss, point.result.seconds)
            + point.result.support.indices.map { String($0.count) }.joined(separator: " ")
    }
}
