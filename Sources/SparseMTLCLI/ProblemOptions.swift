import ArgumentParser
import SparseMTL

/// The options every command that takes a problem accepts: an instance file or `--data`, and flags
/// that override the instance file's penalty, task graph and columns.
struct ProblemOptions: ParsableArguments {
    @Argument(help: "Instance file (JSON) naming the data, the penalty and optionally a task graph.")
    var instance: String?

    @Option(help: "Data CSV in long form (task,y,x1,…,xp); overrides the instance's data file.")
    var data: String?

    @Option(help: "Name of the task label column.")
    var taskColumn: String?

    @Option(help: "Name of the response column.")
    var responseColumn: String?

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

    @Option(help: "Task graph CSV (task_a,task_b,weight); default: complete graph with w = 1/K.")
    var taskGraph: String?

    @Flag(inversion: .prefixedNo, help: "Standardise features (pooled within-task sd); coefficients are reported in original units.")
    var standardize: Bool?

    /// The problem the user named, loaded and checked.
    func load() throws -> Instance {
        try problemDefinition().instance()
    }

    /// The problem before centring (for cross-validation).
    func problemDefinition() throws -> ProblemDefinition {
        var request = ProblemRequest(instancePath: instance, dataPath: data)
        request.taskColumn = taskColumn
        request.responseColumn = responseColumn
        request.sparsity = sparsity
        request.ridge = ridge
        request.bbar = bbar
        request.zbar = zbar
        request.bigM = bigM
        request.taskGraphPath = taskGraph
        request.standardize = standardize
        return try request.loadDefinition()
    }
}
