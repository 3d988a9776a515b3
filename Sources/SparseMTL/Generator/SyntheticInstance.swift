import Foundation

/// Seeded synthetic multi-task regression data with a known truth:
/// each task k draws n rows x ~ N(0, Σ) with AR(ρ) correlation Σ_ij = ρ^|i−j|, a true β_k from the
/// chosen `CoefficientPattern`, and y_k = X_k β_k + ε with ε ~ N(0, σ_k²), σ_k² = β_kᵀΣβ_k / SNR.
/// Data and truth are rounded to 6 decimals before y is formed, so the CSV holds exactly the
/// numbers the truth was computed from.
public struct SyntheticSettings: Sendable {
    /// K tasks.
    public var tasks = 3
    /// n rows per task.
    public var samplesPerTask = 100
    /// p features.
    public var features = 50
    /// Nonzeros per task (the true s).
    public var sparsity = 5
    /// Fraction of each task's nonzeros on the common support (`sparse` pattern).
    public var commonFraction = 0.5
    /// AR(1) correlation ρ between neighbouring features, in [0, 1).
    public var rho = 0.5
    /// Signal-to-noise ratio β_kᵀΣβ_k / σ_k² (> 0).
    public var snr = 5.0
    /// Seed of the whole draw.
    public var seed: UInt64 = 1
    /// Structure of B.
    public var pattern = CoefficientPattern.sparse
    /// Task groups (`metag`).
    public var groups = 2
    /// Outlier tasks (`rmtfl`).
    public var outlierTasks = 1
    /// Probability q of an edge between two tasks beyond a random spanning tree (`gmrf`).
    public var edgeProbability = 0.3
    /// Held-out rows per task drawn from the same truth (written as NAME_test.csv; 0: none).
    public var testSamplesPerTask = 0

    public init() {}

    /// Checks ranges; `source` names the flags in messages.
    /// - Throws: `InputError` naming the first out-of-range setting.
    public func validate(source: String = "command line") throws {
        func check(_ ok: Bool, _ message: String) throws { if !ok { throw InputError(file: source, message) } }
        try check(tasks >= 1, "--tasks must be at least 1")
        try check(samplesPerTask >= 2, "--samples must be at least 2 per task")
        try check(features >= 1, "--features must be at least 1")
        try check(sparsity >= 1 && sparsity <= features, "--true-sparsity must be in 1…p")
        try check(commonFraction >= 0 && commonFraction <= 1, "--common-fraction must be in [0, 1]")
        try check(rho >= 0 && rho < 1, "--rho must be in [0, 1)")
        try check(snr > 0 && snr.isFinite, "--snr must be positive")
        try check(groups >= 1, "--groups must be at least 1")
        try check(outlierTasks >= 0, "--outlier-tasks must be non-negative")
        try check(edgeProbability >= 0 && edgeProbability <= 1, "--edge-probability must be in [0, 1]")
        try check(testSamplesPerTask >= 0, "--test-samples must be non-negative")
        // Sizes whose data would not fit in memory are refused before anything is allocated.
        let cells = Double(tasks) * Double(samplesPerTask + testSamplesPerTask) * Double(features + 1)
        try check(cells <= Self.largestCellCount,
                  String(format: "K × (n + test rows) × (p + 1) = %.3g numbers: at most %.0e can be generated", cells, Self.largestCellCount))
    }

    /// The most numbers (data cells) `generate` writes: 2·10⁸ is 1.6 GB of doubles and a CSV of about 4 GB.
    public static let largestCellCount = 2e8

    /// The settings as JSON (recorded in the instance file's `generator`).
    public var json: JSONValue {
        .object([("pattern", .string(pattern.rawValue)), ("tasks", .int(tasks)), ("samples_per_task", .int(samplesPerTask)),
                 ("features", .int(features)), ("true_sparsity", .int(sparsity)), ("common_fraction", .number(commonFraction)),
                 ("rho", .number(rho)), ("snr", .number(snr)), ("groups", .int(groups)),
                 ("outlier_tasks", .int(outlierTasks))] + (pattern == .gmrf ? [("edge_probability", .number(edgeProbability))] : [])
                + (testSamplesPerTask > 0 ? [("test_samples_per_task", .int(testSamplesPerTask))] : [])
                + [("seed", .int(Int(truncatingIfNeeded: seed)))])
    }
}

/// A generated dataset and the coefficients it was drawn from.
public struct SyntheticInstance: Sendable {
    /// The data (task labels t1…tK, features x1…xp).
    public var dataset: Dataset
    /// The true B (p × K).
    public var truth: Matrix
    /// The true task graph (`gmrf` pattern).
    public var graph: TaskGraph?
    /// Held-out rows from the same truth (`testSamplesPerTask` > 0).
    public var testDataset: Dataset?

    /// Draws data and truth from `settings`.
    public init(_ settings: SyntheticSettings) {
        var random = SeededRandom(seed: settings.seed)
        let kCount = settings.tasks, n = settings.samplesPerTask, p = settings.features
        var truth: Matrix
        if settings.pattern == .gmrf {
            let graph = GMRFTasks.randomGraph(taskCount: kCount, edgeProbability: settings.edgeProbability, random: &random)
            truth = GMRFTasks.taskVectors(graph, features: p, random: &random)
            self.graph = graph
        } else {
            truth = settings.pattern.coefficients(tasks: kCount, features: p, sparsity: settings.sparsity,
                                                  commonFraction: settings.commonFraction, groups: settings.groups,
                                                  outlierTasks: settings.outlierTasks, random: &random)
        }
        truth.storage = truth.storage.map(SyntheticInstance.round6)
        let sigmas = (0..<kCount).map { k -> Double in
            let signal = SyntheticInstance.arQuadraticForm(truth.column(k), rho: settings.rho)
            return signal > 0 ? (signal / settings.snr).squareRoot() : 1
        }
        // Test rows come after every training row, so adding them leaves the training data as it was.
        let training = Self.draw(rows: n, truth: truth, sigmas: sigmas, rho: settings.rho, random: &random)
        let test = Self.draw(rows: settings.testSamplesPerTask, truth: truth, sigmas: sigmas, rho: settings.rho, random: &random)
        let labels = (1...kCount).map { "t\($0)" }, names = (1...p).map { "x\($0)" }
        dataset = Dataset(source: "generated", taskLabels: labels, featureNames: names, designs: training.designs, responses: training.responses)
        testDataset = settings.testSamplesPerTask > 0
            ? Dataset(source: "generated test", taskLabels: labels, featureNames: names, designs: test.designs, responses: test.responses)
            : nil
        self.truth = truth
    }

    /// `rows` rows per task: x ~ N(0, Σ) with Σ_ij = ρ^|i−j| (an AR(1) along the features),
    /// y = xᵀβ_k + σ_k ε, all rounded to 6 decimals as they are written.
    private static func draw(rows n: Int, truth: Matrix, sigmas: [Double], rho: Double, random: inout SeededRandom)
        -> (designs: [Matrix], responses: [[Double]]) {
        let p = truth.rows, innovation = (1 - rho * rho).squareRoot()
        var designs: [Matrix] = [], responses: [[Double]] = []
        for k in 0..<truth.columns {
            var x = Matrix(rows: n, columns: p)
            for i in 0..<n {
                var previous = random.normal()
                x[i, 0] = round6(previous)
                for j in 1..<max(p, 1) {
                    previous = rho * previous + innovation * random.normal()
                    x[i, j] = round6(previous)
                }
            }
            var y = BLAS.multiply(x, truth.column(k))
            for i in 0..<n { y[i] = round6(y[i] + sigmas[k] * random.normal()) }
            designs.append(x)
            responses.append(y)
        }
        return (designs, responses)
    }

    /// βᵀΣβ with Σ_ij = ρ^|i−j|.
    static func arQuadraticForm(_ beta: [Double], rho: Double) -> Double {
        let nonzero = beta.indices.filter { beta[$0] != 0 }
        var total = 0.0
        for i in nonzero { for j in nonzero { total += beta[i] * beta[j] * pow(rho, Double(abs(i - j))) } }
        return total
    }

    static func round6(_ v: Double) -> Double { (v * 1e6).rounded() / 1e6 }

    /// The data as long CSV (`task,y,x1,…,xp`).
    public var csv: String { Self.csv(dataset) }

    /// A dataset as long CSV (`task,y,x1,…,xp`).
    public static func csv(_ d: Dataset) -> String {
        var out = "task,y," + d.featureNames.joined(separator: ",") + "\n"
        out.reserveCapacity(d.sampleCounts.reduce(0, +) * (d.featureCount + 2) * 10)
        for k in 0..<d.taskCount {
            let x = d.designs[k]
            for i in 0..<x.rows {
                out += d.taskLabels[k]
                out += ","
                out += CSVWriter.number(d.responses[k][i])
                for j in 0..<x.columns {
                    out += ","
                    out += CSVWriter.number(x[i, j])
                }
                out += "\n"
            }
        }
        return out
    }
}
