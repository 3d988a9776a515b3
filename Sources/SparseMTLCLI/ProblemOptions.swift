import ArgumentParser
import SparseMTL

/// The options every command that takes a problem accepts: an instance file or `--data`, and flags
/// that override the instance file's penalty, task graph and columns.
struct ProblemOptions: ParsableArguments {
    @Argument(help: "Instance file (JSON) naming the data, the penalty and optionally a task graph.")
    var instance: String?

    @Option(help: "Data: CSV in long form (task,y,x1,…,xp) or a NumPy .npz archive (X, y, task; or shared X, Y); overrides the instance's data file.")
    var data: String?

    @Option(help: "Name of the task label column.")
    var taskColumn: String?

    @Option(help: "Name of the response column.")
    var responseColumn: String?

    @Option(help: ArgumentHelp("Shared design (multi-output CSV): these response columns, one task each, every row an observation of every task; no task column.", valueName: "y1,y2,…"))
    var responses: String?

    @Option(help: ArgumentHelp("Use only these feature columns (default: every column that is not the task or a response).", valueName: "x1,x2,…"))
    var features: String?

    @Option(help: ArgumentHelp("Columns that are not features (ids, dates, notes).", valueName: "id,…"))
    var drop: String?

    @Option(parsing: .unconditional, help: "s: the most features per task (≥ 1).")
    var sparsity: Int?

    @Option(parsing: .unconditional, help: "α: ridge weight (≥ 0).")
    var ridge: Double?

    @Option(parsing: .unconditional, help: "λ: Bbar weight, coefficients alike across tasks (≥ 0).")
    var bbar: Double?

    @Option(parsing: .unconditional, help: "δ: Zbar weight, supports alike across tasks (≥ 0).")
    var zbar: Double?

    @Option(parsing: .unconditional, help: "M: box |β_jk| ≤ M on the model's scale (> 0).")
    var bigM: Double?

    @Option(help: "Task graph CSV (task_a,task_b,weight), or 'learned' to learn it from the data (see `sparsemtl graph`); default: complete graph with w = 1/K.")
    var taskGraph: String?

    @OptionGroup(title: "Graph learning (with --task-graph learned)") var graphLearning: GraphLearningOptions

    @Flag(inversion: .prefixedNo, help: "Standardise features (pooled within-task sd); coefficients are reported in original units.")
    var standardize: Bool?

    /// The problem the user named, loaded and checked.
    func load() throws -> Instance {
        try instance(of: problemDefinition())
    }

    /// The instance of `definition`; a learned graph's warnings go to the terminal.
    func instance(of definition: ProblemDefinition) throws -> Instance {
        let (instance, learned) = try definition.instanceAndLearnedGraph()
        learned?.warnings.forEach { Terminal.note("sparsemtl: warning: \($0)") }
        return instance
    }

    /// The problem before centring (for cross-validation); `defaultSparsity` stands in for a
    /// missing s (commands that choose s themselves).
    func problemDefinition(defaultSparsity: Int? = nil) throws -> ProblemDefinition {
        var request = ProblemRequest(instancePath: instance, dataPath: data)
        request.taskColumn = taskColumn
        request.responseColumn = responseColumn
        request.responseColumns = try responses.map { try Self.names($0, flag: "--responses") }
        request.featureColumns = try features.map { try Self.names($0, flag: "--features") }
        request.droppedColumns = try drop.map { try Self.names($0, flag: "--drop") } ?? []
        request.sparsity = sparsity ?? (instance == nil ? defaultSparsity : nil)
        request.ridge = ridge
        request.bbar = bbar
        request.zbar = zbar
        request.bigM = bigM
        request.taskGraphPath = taskGraph
        request.graphLearning = graphLearning.settings
        request.standardize = standardize
        let definition = try request.loadDefinition()
        definition.dataset.identifierWarnings().forEach { Terminal.note("sparsemtl: warning: \($0)") }
        return definition
    }

    /// A comma-separated list of column names (none empty).
    static func names(_ text: String, flag: String) throws -> [String] {
        let names = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard !names.contains(where: \.isEmpty) else { throw InputError(file: flag, "an empty column name in \"\(text)\"", kind: .usage) }
        return names
    }
}
