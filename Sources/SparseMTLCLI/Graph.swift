import ArgumentParser
import Foundation
import SparseMTL

/// `sparsemtl graph`: learn the task graph from the data.
struct Graph: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Learn the task graph: per-task fits, their K × K covariance, Laplacian-constrained Gaussian maximum likelihood.",
        discussion: """
        Each task is fitted alone (ridge, or the sparse heuristic at the problem's s); every feature \
        gives one sample of the K-vector of task coefficients (after removing its mean across tasks); \
        the Laplacian L minimising tr(LS) − log det(L + 11ᵀ/K) + ρ Σ w_kl is found by projected gradient \
        with backtracking. The graph is written as task_a,task_b,weight with weight = −L_kl, usable as \
        --task-graph. `--task-graph learned` on any command does the same before solving.
        """
    )

    @OptionGroup var problem: ProblemOptions

    @Option(help: "Write the learned graph CSV here (default: standard output).")
    var output: String?

    @Option(help: "A true graph CSV to compare with (edge precision and recall, Laplacian error).")
    var truthGraph: String?

    @Option(help: "Draw the learned (and true) weight matrices as heat maps into this SVG file.")
    var plot: String?

    func run() throws {
        var definition = try problem.problemDefinition()
        definition.graphLearning = problem.graphLearning.settings
        let (instance, learnedGraph) = try definition.instanceAndLearnedGraph()
        guard let learned = learnedGraph else { throw ValidationError("no graph was learned") }
        learned.warnings.forEach { Terminal.note("sparsemtl: warning: \($0)") }
        let labels = instance.taskLabels
        let csv = learned.graph.csv(taskLabels: labels)
        if let output { try FileIO.writeAtomically(csv, to: output) } else { print(csv, terminator: "") }

        let estimate = learned.estimate
        Terminal.note(InstanceSummary(instance).headline)
        Terminal.note(String(format: "graph: %d edges of %d pairs; f = %.10g after %d iterations (%@)%@", learned.graph.edges.count,
                             labels.count * (labels.count - 1) / 2, estimate.objective, estimate.iterations,
                             estimate.converged ? "converged" : "iteration limit",
                             learned.scale != 1 ? String(format: ", weights × %.4g", learned.scale) : ""))
        var panels: [SVGFigure.Panel] = []
        var scale = learned.graph.weightMatrix.storage.max() ?? 0
        if let truthGraph {
            let truth = try TaskGraph.read(truthGraph, taskLabels: labels)
            scale = max(scale, truth.weightMatrix.storage.max() ?? 0)
            let c = GraphComparison(learned: learned.graph, truth: truth)
            Terminal.note(String(format: "against %@: precision %.3f, recall %.3f (%d of %d true edges, %d learned), ‖L̂ − L‖/‖L‖ = %.3f",
                                 truthGraph, c.precision, c.recall, c.truePositives, c.trueEdges, c.learnedEdges, c.relativeError))
            panels.append(.heatmap(title: "true weights", matrix: truth.weightMatrix, rowLabels: labels, columnLabels: labels, scale: scale))
        }
        if let plot {
            panels.append(.heatmap(title: "learned weights", matrix: learned.graph.weightMatrix, rowLabels: labels, columnLabels: labels, scale: scale))
            panels.append(.lines(title: "estimator objective", xLabel: "iteration", yLabel: "f − min f + 1e-12",
                                 series: [.init(name: "f", x: estimate.objectiveTrace.indices.map(Double.init),
                                                y: estimate.objectiveTrace.map { $0 - estimate.objective + 1e-12 })], logY: true))
            try FileIO.writeAtomically(SVGFigure(title: "Task graph of \(instance.name)", panels: panels).svg, to: plot)
            Terminal.note("wrote \(plot)")
        }
    }
}
