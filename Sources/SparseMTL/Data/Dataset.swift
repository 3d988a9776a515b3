/// Multi-task regression data as read from a file, before centring: for each task k a design
/// X_k (n_k × p, the same p features for every task) and a response y_k.
public struct Dataset: MultiTaskData, Sendable {
    /// Where the data came from (for messages).
    public var source: String
    /// Task labels, in order of first appearance in the file.
    public var taskLabels: [String]
    /// Feature names (the data file's column names), in column order.
    public var featureNames: [String]
    /// Per task: design X_k (n_k × p).
    public var designs: [Matrix]
    /// Per task: response y_k (n_k).
    public var responses: [[Double]]
    /// The SHA-256 of the file read (64 hex digits), nil for data not read from a file.
    public var sha256: String? = nil
    /// The names of the task label and response columns in the file read.
    public var taskColumn = "task", responseColumn = "y"

    /// Reads a data file: a NumPy `.npz` archive (`readNPZ`), anything else long CSV with `reader`.
    public static func read(_ path: String, reader: LongCSVReader = LongCSVReader()) throws -> Dataset {
        path.hasSuffix(".npz") ? try readNPZ(path) : try reader.read(path)
    }

    /// Creates a dataset; every design must have p columns and as many rows as its response.
    public init(source: String, taskLabels: [String], featureNames: [String], designs: [Matrix], responses: [[Double]]) {
        precondition(taskLabels.count == designs.count && designs.count == responses.count, "Dataset: one design and response per task")
        for (x, y) in zip(designs, responses) {
            precondition(x.columns == featureNames.count && x.rows == y.count, "Dataset: design and response shapes disagree")
        }
        self.source = source
        self.taskLabels = taskLabels
        self.featureNames = featureNames
        self.designs = designs
        self.responses = responses
    }
}
