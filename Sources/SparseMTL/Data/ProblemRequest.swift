import Foundation

/// What the user asked for on the command line: an instance file and/or a data file, plus
/// flags that override the instance file's penalty, graph and columns. `load()` turns it into an
/// `Instance`.
public struct ProblemRequest: Sendable {
    public var instancePath: String?
    public var dataPath: String?
    public var taskColumn: String?
    public var responseColumn: String?
    public var sparsity: Int?
    public var ridge: Double?
    public var bbar: Double?
    public var zbar: Double?
    public var bigM: Double?
    public var taskGraphPath: String?
    public var standardize: Bool?

    public init(instancePath: String? = nil, dataPath: String? = nil) {
        self.instancePath = instancePath
        self.dataPath = dataPath
    }

    /// Reads the instance file (if any) and the data, applies the overriding flags, and builds the
    /// instance. Paths inside an instance file are relative to it; paths given as flags are as typed.
    /// - Throws: `InputError` when neither an instance nor `--data` is given, when `--sparsity` is
    ///   missing with `--data`, or for any bad file or value.
    public func load() throws -> Instance {
        let file = try instancePath.map(InstanceFile.read)
        guard let dataPath = dataPath ?? file.map({ FileIO.resolve($0.data, relativeTo: instancePath!) }) else {
            throw InputError(file: "command line", "give an instance file or --data FILE.csv")
        }
        let flagged = sparsity != nil || ridge != nil || bbar != nil || zbar != nil || bigM != nil
        guard let s = sparsity ?? file?.sparsity else {
            throw InputError(file: "command line", "--sparsity is required with --data (no instance file gives it)")
        }
        let penalty = Penalty(sparsity: s, ridge: ridge ?? file?.ridge ?? 0, bbar: bbar ?? file?.bbar ?? 0,
                              zbar: zbar ?? file?.zbar ?? 0, bigM: bigM ?? file?.bigM)
        let reader = LongCSVReader(taskColumn: taskColumn ?? file?.taskColumn ?? "task",
                                   responseColumn: responseColumn ?? file?.responseColumn ?? "y")
        let dataset = try reader.read(dataPath)
        let graphPath = taskGraphPath ?? file?.taskGraph.map { FileIO.resolve($0, relativeTo: instancePath!) }
        let graph = try graphPath.map { try TaskGraph.read($0, taskLabels: dataset.taskLabels) }
        let name = file?.name ?? InstanceFile.defaultName(dataPath).replacingOccurrences(of: ".csv", with: "")
        return try Instance(name: name, dataset: dataset, penalty: penalty, graph: graph,
                            standardize: standardize ?? file?.standardize ?? false,
                            truthPath: file?.truth.map { FileIO.resolve($0, relativeTo: instancePath!) },
                            penaltySource: flagged ? "command line" : (instancePath ?? "command line"))
    }
}
