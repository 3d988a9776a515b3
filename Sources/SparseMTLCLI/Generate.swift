import ArgumentParser
import Foundation
import SparseMTL

/// `sparsemtl generate`: a seeded synthetic instance (data CSV, instance JSON, truth CSV).
struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a seeded synthetic instance: NAME.csv (data), NAME.json (instance), NAME_truth.csv (true B).",
        discussion: """
        Rows x ~ N(0, Σ) with Σ_ij = ρ^|i−j|; y_k = X_k β_k + ε, σ_k² = β_kᵀΣβ_k / SNR. Patterns: \
        sparse (s nonzeros per task, a fraction on a common support), group-lasso (s rows nonzero in \
        all tasks), metag (shared rows plus rows shared within task groups), rmtfl (relevant rows \
        plus dense outlier task columns), gmrf (dense task vectors smooth over a random task graph with \
        weights in {1, 5}; the graph is written as NAME_graph_truth.csv). The same flags and seed give \
        the same files.
        """
    )

    @Option(parsing: .unconditional, help: "Coefficient pattern: \(CoefficientPattern.allCases.map(\.rawValue).joined(separator: ", ")).")
    var pattern: String = "sparse"
    @Option(parsing: .unconditional, help: "K: number of tasks.") var tasks = 3
    @Option(parsing: .unconditional, help: "n: rows per task.") var samples = 100
    @Option(parsing: .unconditional, help: "p: number of features.") var features = 50
    @Option(parsing: .unconditional, help: "True nonzeros per task.") var trueSparsity = 5
    @Option(parsing: .unconditional, help: "Fraction of each task's nonzeros on a common support (sparse pattern).") var commonFraction = 0.5
    @Option(parsing: .unconditional, help: "AR(1) feature correlation ρ in [0, 1).") var rho = 0.5
    @Option(parsing: .unconditional, help: "Signal-to-noise ratio.") var snr = 5.0
    @Option(parsing: .unconditional, help: "Task groups (metag pattern).") var groups = 2
    @Option(parsing: .unconditional, help: "Outlier tasks (rmtfl pattern).") var outlierTasks = 1
    @Option(parsing: .unconditional, help: "Edge probability of the random task graph beyond a spanning tree (gmrf pattern).") var edgeProbability = 0.3
    @Option(parsing: .unconditional, help: "Held-out rows per task from the same truth, written as NAME_test.csv (0: none).") var testSamples = 0
    @Option(parsing: .unconditional, help: "Random seed.") var seed: UInt64 = 1

    @Option(parsing: .unconditional, help: "Instance name: the files are NAME.csv, NAME.json, NAME_truth.csv.") var name = "synthetic"
    @Option(parsing: .unconditional, help: "Folder to write into (must exist).") var outputDirectory = "."

    @Option(parsing: .unconditional, help: "s written into the instance file (default: the true sparsity).") var sparsity: Int?
    @Option(parsing: .unconditional, help: "α written into the instance file.") var ridge = 0.1
    @Option(parsing: .unconditional, help: "λ written into the instance file.") var bbar = 0.0
    @Option(parsing: .unconditional, help: "δ written into the instance file.") var zbar = 0.0
    @Option(parsing: .unconditional, help: "M written into the instance file.") var bigM: Double?

    func run() throws {
        guard let chosen = CoefficientPattern(rawValue: pattern) else {
            throw InputError(file: "--pattern", "unknown pattern '\(pattern)' (choose \(CoefficientPattern.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        var settings = SyntheticSettings()
        settings.pattern = chosen
        settings.tasks = tasks
        settings.samplesPerTask = samples
        settings.features = features
        settings.sparsity = trueSparsity
        settings.commonFraction = commonFraction
        settings.rho = rho
        settings.snr = snr
        settings.groups = groups
        settings.outlierTasks = outlierTasks
        settings.edgeProbability = edgeProbability
        settings.testSamplesPerTask = testSamples
        settings.seed = seed
        try settings.validate()
        let penalty = Penalty(sparsity: sparsity ?? trueSparsity, ridge: ridge, bbar: bbar, zbar: zbar, bigM: bigM)
        try penalty.validate(source: "command line")

        let generated = SyntheticInstance(settings)
        var file = InstanceFile(name: name, data: "\(name).csv", penalty: penalty)
        file.truth = "\(name)_truth.csv"
        file.generator = settings.json
        file.description = "generated: \(chosen.rawValue) pattern, K = \(tasks), n = \(samples), p = \(features), "
            + "\(trueSparsity) true nonzeros per task, rho = \(rho), SNR = \(snr), seed \(seed)"
        let folder = URL(fileURLWithPath: outputDirectory)
        let paths = ["\(name).csv", "\(name)_truth.csv", "\(name).json"].map { folder.appendingPathComponent($0).path }
        try FileIO.writeAtomically(generated.csv, to: paths[0])
        try FileIO.writeAtomically(CoefficientFile.csv(generated.truth, taskLabels: generated.dataset.taskLabels), to: paths[1])
        try FileIO.writeAtomically(file.json.text, to: paths[2])
        var written = paths
        if let graph = generated.graph {
            let graphPath = folder.appendingPathComponent("\(name)_graph_truth.csv").path
            try FileIO.writeAtomically(graph.csv(taskLabels: generated.dataset.taskLabels), to: graphPath)
            written.append(graphPath)
        }
        if let test = generated.testDataset {
            let testPath = folder.appendingPathComponent("\(name)_test.csv").path
            try FileIO.writeAtomically(SyntheticInstance.csv(test), to: testPath)
            written.append(testPath)
        }
        Terminal.note("wrote \(written.joined(separator: ", "))")
    }
}
