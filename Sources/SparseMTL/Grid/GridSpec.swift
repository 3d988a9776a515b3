import Foundation

/// A grid file: many independent runs of `sparsemtl`, described once (DESIGN.md section 5,
/// "Grids"). One JSON object, or a list of them (their tasks follow each other in list order):
///
///     {"data": ["a.csv"], "penalties": {"sparsity": [1, 2], "ridge": [0.01], "zbar": [0, 0.1]},
///      "methods": ["heuristic", "exact"], "folds": 0, "seeds": [1], "time_limit": 60}
///
/// - `data` (CSV or .npz files, read as `--data`) and/or `instances` (instance files): the problems.
/// - `penalties`: lists per key (sparsity, ridge, zbar, bbar, big_m); a key left out keeps each
///   problem's own value.
/// - `folds` 0 (default): one `sparsemtl solve` per problem × penalty × method. `folds` k ≥ 2:
///   one `sparsemtl cv --folds k` per problem × seed, whose grid the penalties give (sparsity's
///   largest value is cv's --max-sparsity, s = 0…max along its path; ridge, zbar and bbar lists are
///   its grids, automatic when left out), split into its work items (`CrossValidation.Plan`).
/// - `seeds`: cv's fold seeds (folds ≥ 2 only; default cv's seed).
/// - `time_limit`: seconds per run, passed as `--time-limit`.
/// - `arguments`: further `sparsemtl` flags for every run (e.g. `--task-column site`, `--gap 1e-4`).
/// Relative paths are relative to the grid file's folder.
public struct GridSpec: Sendable, Equatable {
    /// A problem of the grid.
    public enum Input: Sendable, Equatable {
        case instance(String)
        case data(String)

        /// The command-line arguments naming it.
        public var arguments: [String] {
            switch self {
            case .instance(let path): return [path]
            case .data(let path): return ["--data", path]
            }
        }

        /// The path as the grid gives it.
        public var path: String {
            switch self {
            case .instance(let path), .data(let path): return path
            }
        }
    }

    /// One object of the grid file.
    public struct Block: Sendable, Equatable {
        public var inputs: [Input]
        public var sparsities: [Int]?
        public var ridges: [Double]?
        public var zbars: [Double]?
        public var bbars: [Double]?
        public var bigMs: [Double]?
        public var methods: [String]
        /// 0: solves; k ≥ 2: k-fold cross-validations.
        public var folds: Int
        public var seeds: [UInt64]?
        public var timeLimit: Double?
        public var arguments: [String]
    }

    public var blocks: [Block]
    /// The grid file's path, as given.
    public var path: String

    /// The solve methods a grid may name.
    public static let methods = ["heuristic", "exact"]
    static let keys = ["data", "instances", "penalties", "methods", "folds", "seeds", "time_limit", "arguments"]
    static let penaltyKeys = ["sparsity", "ridge", "zbar", "bbar", "big_m"]
    /// Flags the grid sets itself, refused in `arguments`.
    static let gridFlags = ["--output", "--quiet", "--time-limit", "--folds", "--seed", "--work-item", "--method", "--sparsity", "--ridge",
                            "--zbar", "--bbar", "--big-m", "--max-sparsity", "--ridge-grid", "--zbar-grid", "--bbar-grid", "--data", "--plot"]

    /// Reads and checks the grid file at `path`.
    /// - Throws: `InputError` naming the file and the key at fault.
    public init(path: String) throws {
        self.path = path
        let json = try JSONValue.read(path)
        let objects: [JSONValue]
        switch json {
        case .object: objects = [json]
        case .array(let items) where !items.isEmpty: objects = items
        default: throw InputError(file: path, "a grid file is a JSON object (or a list of them) with keys \(Self.keys.joined(separator: ", "))")
        }
        blocks = try objects.enumerated().map { try Self.block($1, at: objects.count > 1 ? "grid[\($0)]" : "grid", path) }
    }

    private static func block(_ json: JSONValue, at: String, _ path: String) throws -> Block {
        func fail(_ message: String) -> InputError { InputError(file: path, "\(at): \(message)") }
        guard case .object = json else { throw fail("must be an object with keys \(keys.joined(separator: ", "))") }
        if let unknown = json.keys.first(where: { !keys.contains($0) }) { throw fail("unknown key \"\(unknown)\" (a grid has \(keys.joined(separator: ", ")))") }
        let inputs = try (strings(json["instances"], "instances", fail) ?? []).map(Input.instance)
            + (strings(json["data"], "data", fail) ?? []).map(Input.data)
        guard !inputs.isEmpty else { throw fail("give at least one file in data or instances") }
        var penalties: [String: [Double]] = [:]
        if let value = json["penalties"], value != .null {
            guard case .object(let pairs) = value else { throw fail("penalties must be an object of lists (\(penaltyKeys.joined(separator: ", ")))") }
            for (key, list) in pairs {
                guard penaltyKeys.contains(key) else { throw fail("penalties: unknown key \"\(key)\" (expected \(penaltyKeys.joined(separator: ", ")))") }
                guard case .array(let items) = list, !items.isEmpty, items.allSatisfy({ $0.doubleValue != nil }) else {
                    throw fail("penalties.\(key) must be a non-empty list of numbers")
                }
                penalties[key] = items.map { $0.doubleValue! }
            }
        }
        if let s = penalties["sparsity"], s.contains(where: { $0 < 1 || $0 != $0.rounded() }) { throw fail("penalties.sparsity: s must be whole numbers ≥ 1") }
        for key in ["ridge", "zbar", "bbar"] where penalties[key]?.contains(where: { !($0 >= 0) }) == true { throw fail("penalties.\(key): weights must be ≥ 0") }
        if penalties["big_m"]?.contains(where: { !($0 > 0) }) == true { throw fail("penalties.big_m: M must be > 0") }
        var folds = 0
        if let value = json["folds"], value != .null {
            guard case .int(let k) = value, k == 0 || k >= 2 else { throw fail("folds must be 0 (solves) or a whole number ≥ 2 (cross-validation)") }
            folds = k
        }
        let methods = try strings(json["methods"], "methods", fail) ?? ["heuristic"]
        if let bad = methods.first(where: { !Self.methods.contains($0) }) { throw fail("methods: \"\(bad)\" is not one of \(Self.methods.joined(separator: ", "))") }
        var seeds: [UInt64]? = nil
        if let value = json["seeds"], value != .null {
            guard case .array(let items) = value, !items.isEmpty,
                  items.allSatisfy({ if case .int(let s) = $0 { return s >= 0 } else { return false } }) else {
                throw fail("seeds must be a non-empty list of whole numbers ≥ 0")
            }
            seeds = items.map { if case .int(let s) = $0 { return UInt64(s) } else { return 0 } }
        }
        if folds == 0 && (seeds?.count ?? 1) > 1 { throw fail("seeds are the folds' seeds: with folds 0 (solves) give at most one") }
        if folds >= 2 && methods != ["heuristic"] { throw fail("cross-validation (folds ≥ 2) fits with the heuristic: leave methods out") }
        if folds >= 2 && (penalties["big_m"]?.count ?? 1) > 1 { throw fail("cross-validation takes one big_m") }
        var timeLimit: Double? = nil
        if let limit = json["time_limit"], limit != .null {
            guard let seconds = limit.doubleValue, seconds > 0 else { throw fail("time_limit must be a positive number of seconds") }
            timeLimit = seconds
        }
        let arguments = try strings(json["arguments"], "arguments", fail) ?? []
        if let flag = arguments.first(where: { gridFlags.contains($0) }) {
            throw fail("arguments: \(flag) is set by the grid's own keys (or by grid and merge): use them instead")
        }
        return Block(inputs: inputs, sparsities: penalties["sparsity"].map { $0.map { Int($0) } }, ridges: penalties["ridge"],
                     zbars: penalties["zbar"], bbars: penalties["bbar"], bigMs: penalties["big_m"], methods: methods,
                     folds: folds, seeds: seeds, timeLimit: timeLimit, arguments: arguments)
    }

    /// A list of strings, or nil when absent.
    private static func strings(_ value: JSONValue?, _ key: String, _ fail: (String) -> InputError) throws -> [String]? {
        guard let value, value != .null else { return nil }
        guard case .array(let items) = value else { throw fail("\(key) must be a list of strings") }
        return try items.map {
            guard case .string(let s) = $0 else { throw fail("\(key) must be a list of strings") }
            return s
        }
    }
}
