import Foundation

/// What the user asked for on the command line: an instance file and/or a data file, plus
/// flags that override the instance file's penalty, graph and columns. `load()` turns it into an
/// `Instance`.
public struct ProblemRequest: Sendable {
    public var instancePath: String?
    public var dataPath: String?
    public var taskColumn: String?
    public var responseColumn: String?
    /// Shared-design response columns (`LongCSVReader.responseColumns`), chosen and dropped feature columns.
    public var responseColumns: [String]?
    public var featureColumns: [String]?
    public var droppedColumns: [String] = []
    public var sparsity: Int?
    public var ridge: Double?
    public var bbar: Double?
    public var zbar: Double?
    public var bigM: Double?
    /// A graph CSV, or "learned" to learn the graph from the data with `graphLearning`.
    public var taskGraphPath: String?
    public var graphLearning = TaskGraphLearning()
    public var standardize: Bool?

    public init(instancePath: String? = nil, dataPath: String? = nil) {
        self.instancePath = instancePath
        self.dataPath = dataPath
    }

    /// Reads the instance file (if any) and the data, applies the overriding flags, and returns the
    /// problem before centring. Paths inside an instance file are relative to it; paths given as
    /// flags are as typed.
    /// - Throws: `InputError` when neither an instance nor `--data` is given, when `--sparsity` is
    ///   missing with `--data`, or for any bad file or value.
    public func loadDefinition() throws -> ProblemDefinition {
        let file = try instancePath.map(InstanceFile.read)
        guard let dataPath = dataPath ?? file.map({ FileIO.resolve($0.data, relativeTo: instancePath!) }) else {
            throw InputError(file: "command line", "give an instance file or --data FILE (.csv or .npz)", kind: .usage)
        }
        let flagged = sparsity != nil || ridge != nil || bbar != nil || zbar != nil || bigM != nil
        guard let s = sparsity ?? file?.sparsity else {
            throw InputError(file: "command line", "--sparsity is required with --data (no instance file gives it)", kind: .usage)
        }
        let penalty = Penalty(sparsity: s, ridge: ridge ?? file?.ridge ?? 0, bbar: bbar ?? file?.bbar ?? 0,
                              zbar: zbar ?? file?.zbar ?? 0, bigM: bigM ?? file?.bigM)
        let penaltySource = flagged ? "command line" : (instancePath ?? "command line")
        try penalty.validate(source: penaltySource)
        var reader = LongCSVReader(taskColumn: taskColumn ?? file?.taskColumn ?? "task",
                                   responseColumn: responseColumn ?? file?.responseColumn ?? "y")
        reader.responseColumns = responseColumns
        reader.featureColumns = featureColumns
        reader.droppedColumns = droppedColumns
        let dataset = try Dataset.read(dataPath, reader: reader)
        var graphPath = taskGraphPath ?? file?.taskGraph.map { FileIO.resolve($0, relativeTo: instancePath!) }
        let learned = taskGraphPath == Self.learned || (taskGraphPath == nil && file?.taskGraph == Self.learned)
        if learned { graphPath = nil }
        let graph = try graphPath.map { try TaskGraph.read($0, taskLabels: dataset.taskLabels) }
        let name = file?.name ?? InstanceFile.defaultName(dataPath).replacingOccurrences(of: ".csv", with: "")
        return ProblemDefinition(name: name, dataset: dataset, reader: reader,
                                 penalty: penalty,
                                 graph: graph ?? .complete(taskCount: dataset.taskCount),
                                 standardize: standardize ?? file?.standardize ?? false,
                                 truthPath: file?.truth.map { FileIO.resolve($0, relativeTo: instancePath!) },
                                 graphLearning: learned ? graphLearning : nil)
    }

    /// The task graph value that asks for a learned graph (`--task-graph learned`, or
    /// `"task_graph": "learned"` in an instance file).
    public static let learned = "learned"

    /// `loadDefinition()`, centred into an instance ready to solve.
    public func load() throws -> Instance {
        try loadDefinition().instance()
    }
}

/// A problem as the user defined it, before centring: the raw data, the penalty, the task graph
/// and whether to standardise. Cross-validation makes instances from parts of its data.
public struct ProblemDefinition: Sendable {
    public var name: String
    public var dataset: Dataset
    /// How the data was read: its columns (a certificate records them, to read it again).
    public var reader = LongCSVReader()
    public var taskColumn: String { reader.taskColumn }
    public var responseColumn: String { reader.responseColumn }
    public var penalty: Penalty
    public var graph: TaskGraph
    public var standardize: Bool
    public var truthPath: String?
    /// When set, the graph is learned from the instance's own data (each training fold learns its own).
    public var graphLearning: TaskGraphLearning?

    /// The centred instance of this definition, optionally on other data (a training fold) or
    /// with another penalty; with `graphLearning`, its graph is learned from that data.
    public func instance(dataset other: Dataset? = nil, penalty otherPenalty: Penalty? = nil) throws -> Instance {
        try instanceAndLearnedGraph(dataset: other, penalty: otherPenalty).instance
    }

    /// `instance(dataset:penalty:)`, with the learned graph's details (nil without `graphLearning`).
    public func instanceAndLearnedGraph(dataset other: Dataset? = nil, penalty otherPenalty: Penalty? = nil) throws
        -> (instance: Instance, learned: TaskGraphLearning.Learned?) {
        var instance = try Instance(name: name, dataset: other ?? dataset, penalty: otherPenalty ?? penalty, graph: graph,
                                    standardize: standardize, truthPath: truthPath, penaltySource: "command line")
        guard let graphLearning else { return (instance, nil) }
        let learned = try graphLearning.learn(instance)
        instance.graph = learned.graph
        return (instance, learned)
    }
}
