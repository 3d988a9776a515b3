import ArgumentParser
import SparseMTL

/// The settings of task-graph learning (`sparsemtl graph`, and `--task-graph learned` everywhere).
struct GraphLearningOptions: ParsableArguments {
    @Option(help: "Per-task fits the graph is learned from: ridge (α_g below) or sparse (the heuristic at the problem's s and α, tasks independent).")
    var graphFit: TaskGraphLearning.Fit = .ridge

    @Option(parsing: .unconditional, help: "α_g of the per-task ridge fits (> 0).")
    var graphRidge: Double = TaskGraphLearning().ridge

    @Option(parsing: .unconditional, help: "ρ: ℓ1 weight on the graph's edges (≥ 0; larger gives sparser graphs).")
    var graphL1: Double = 0

    @Option(parsing: .unconditional, help: "Drop edges lighter than this fraction of the heaviest (in [0, 1)).")
    var graphThreshold: Double = 0

    @Flag(help: "Rescale the learned weights to sum to (K − 1)/2, like the default complete graph (w = 1/K).")
    var graphNormalize = false

    var settings: TaskGraphLearning {
        var s = TaskGraphLearning()
        s.fit = graphFit
        s.ridge = graphRidge
        s.l1 = graphL1
        s.threshold = graphThreshold
        s.normalize = graphNormalize
        return s
    }
}

extension TaskGraphLearning.Fit: ExpressibleByArgument {}
