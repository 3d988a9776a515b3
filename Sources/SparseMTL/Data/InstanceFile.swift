/// The instance file (JSON): names the data file (relative paths are relative to the instance
/// file), the penalty and optionally a task graph and a truth coefficient file.
///
///     { "name": "demo", "data": "demo.csv",
///       "penalty": { "sparsity": 5, "ridge": 0.1, "bbar": 0, "zbar": 0.1, "big_m": null },
///       "task_graph": "demo_graph.csv", "truth": "demo_truth.csv",
///       "task_column": "task", "response_column": "y", "standardize": false,
///       "description": "…", "generator": { … } }
public struct InstanceFile: Equatable, Sendable {
    /// Name of the instance (defaults to the file name without extension).
    public var name: String
    /// Data CSV, as written in the file.
    public var data: String
    /// Sparsity s (required in the file).
    public var sparsity: Int
    /// Ridge α (default 0).
    public var ridge: Double = 0
    /// Bbar λ (default 0).
    public var bbar: Double = 0
    /// Zbar δ (default 0).
    public var zbar: Double = 0
    /// Big-M box, if any.
    public var bigM: Double?
    /// Task graph CSV, as written; nil for the complete graph with w = 1/K.
    public var taskGraph: String?
    /// Truth coefficients CSV of a synthetic instance, as written.
    public var truth: String?
    /// Task label column name (default "task").
    public var taskColumn: String = "task"
    /// Response column name (default "y").
    public var responseColumn: String = "y"
    /// Whether to standardise features (default false).
    public var standardize: Bool = false
    /// Free text.
    public var description: String?
    /// How a generated instance was made (free-form, kept as written).
    public var generator: JSONValue?

    static let knownKeys: Set = ["name", "data", "penalty", "task_graph", "truth", "task_column", "response_column",
                                 "standardize", "description", "generator"]
    static let penaltyKeys: Set = ["sparsity", "ridge", "bbar", "zbar", "big_m"]

    public init(name: String, data: String, penalty: Penalty) {
        self.name = name
        self.data = data
        self.sparsity = penalty.sparsity
        self.ridge = penalty.ridge
        self.bbar = penalty.bbar
        self.zbar = penalty.zbar
        self.bigM = penalty.bigM
    }

    /// The penalty the file states.
    public var penalty: Penalty { Penalty(sparsity: sparsity, ridge: ridge, bbar: bbar, zbar: zbar, bigM: bigM) }

    /// Reads and checks an instance file.
    /// - Throws: `InputError` naming the file and the key for invalid JSON, an unknown key (a typo),
    ///   a missing `data` or `penalty.sparsity`, or a value of the wrong type.
    public static func read(_ path: String) throws -> InstanceFile {
        let json = try JSONValue.read(path)
        guard case .object = json else { throw InputError(file: path, "an instance file must be a JSON object") }
        func fail(_ key: String, _ message: String) -> InputError { InputError(file: path, "\"\(key)\": \(message)") }
        if let unknown = json.keys.first(where: { !knownKeys.contains($0) }) {
            throw fail(unknown, "unknown key (known: \(knownKeys.sorted().joined(separator: ", ")))")
        }
        func string(_ key: String, in object: JSONValue = json) throws -> String? {
            switch object[key] {
            case nil, .null?: return nil
            case .string(let s)?: return s
            default: throw fail(key, "must be a string")
            }
        }
        func number(_ key: String, in object: JSONValue) throws -> Double? {
            switch object[key] {
            case nil, .null?: return nil
            case let value?:
                guard let d = value.doubleValue else { throw fail("penalty.\(key)", "must be a number") }
                return d
            }
        }
        guard let data = try string("data") else { throw fail("data", "missing: the instance must name its data CSV") }
        guard let penalty = json["penalty"], case .object = penalty else {
            throw fail("penalty", "missing or not an object (needs at least \"sparsity\")")
        }
        if let unknown = penalty.keys.first(where: { !penaltyKeys.contains($0) }) {
            throw fail("penalty.\(unknown)", "unknown key (known: \(penaltyKeys.sorted().joined(separator: ", ")))")
        }
        guard case .int(let s)? = penalty["sparsity"] else { throw fail("penalty.sparsity", "missing or not a whole number") }
        var file = InstanceFile(name: try string("name") ?? defaultName(path), data: data, penalty: Penalty(sparsity: s))
        file.ridge = try number("ridge", in: penalty) ?? 0
        file.bbar = try number("bbar", in: penalty) ?? 0
        file.zbar = try number("zbar", in: penalty) ?? 0
        file.bigM = try number("big_m", in: penalty)
        file.taskGraph = try string("task_graph")
        file.truth = try string("truth")
        file.taskColumn = try string("task_column") ?? "task"
        file.responseColumn = try string("response_column") ?? "y"
        file.description = try string("description")
        switch json["standardize"] {
        case nil, .null?: break
        case .bool(let b)?: file.standardize = b
        default: throw fail("standardize", "must be true or false")
        }
        file.generator = json["generator"]
        try file.penalty.validate(source: path)
        return file
    }

    /// The file's JSON text.
    public var json: JSONValue {
        var pairs: [(String, JSONValue)] = [("name", .string(name))]
        if let description { pairs.append(("description", .string(description))) }
        pairs.append(("data", .string(data)))
        if taskColumn != "task" { pairs.append(("task_column", .string(taskColumn))) }
        if responseColumn != "y" { pairs.append(("response_column", .string(responseColumn))) }
        if standardize { pairs.append(("standardize", .bool(true))) }
        pairs.append(("penalty", .object([("sparsity", .int(sparsity)), ("ridge", .number(ridge)), ("bbar", .number(bbar)),
                                          ("zbar", .number(zbar)), ("big_m", .number(bigM))])))
        if let taskGraph { pairs.append(("task_graph", .string(taskGraph))) }
        if let truth { pairs.append(("truth", .string(truth))) }
        if let generator { pairs.append(("generator", generator)) }
        return .object(pairs)
    }

    static func defaultName(_ path: String) -> String {
        let base = path.split(separator: "/").last.map(String.init) ?? path
        return base.hasSuffix(".json") ? String(base.dropLast(5)) : base
    }
}
