import Foundation

/// A grid file: many independent runs of `sparsemtl`, described once (DESIGN.md section "Grids of
/// runs"). JSON with up to three keys:
///
///     {
///       "time_limit": 30,
///       "solve": [{"instances": ["a.json", "b.json"], "methods": ["heuristic", "exact"],
///                  "sparsity": [5, 10], "ridge": [1, 0.1], "zbar": [0], "bbar": [0],
///                  "arguments": ["--gap", "1e-4"]}],
///       "cv": [{"arguments": ["--data", "d.csv", "--folds", "5"], "seeds": [1, 2]}]
///     }
///
/// A `solve` entry is the product instances × methods × sparsity × ridge × zbar × bbar (a
/// penalty list left out keeps each instance's own value); `arguments` go to every solve.
/// A `cv` entry is `sparsemtl cv ARGUMENTS --seed S` for each seed (default: cv's own seed), split
/// into its work items (`CrossValidation.Plan`). `time_limit` (seconds) is passed to every run as
/// `--time-limit`. Relative paths, in lists and in arguments, are relative to the grid file's folder.
public struct GridSpec: Sendable, Equatable {
    /// One `solve` entry.
    public struct Solves: Sendable, Equatable {
        public var instances: [String]
        public var methods: [String]
        public var sparsities: [Int]?
        public var ridges: [Double]?
        public var zbars: [Double]?
        public var bbars: [Double]?
        public var arguments: [String]
    }

    /// One `cv` entry.
    public struct CrossValidations: Sendable, Equatable {
        public var arguments: [String]
        public var seeds: [UInt64]?
    }

    /// Seconds per run (`--time-limit`), or nil for none.
    public var timeLimit: Double?
    public var solves: [Solves]
    public var crossValidations: [CrossValidations]
    /// The grid file's path, as given.
    public var path: String

    /// The solve methods a grid may name.
    public static let methods = ["heuristic", "exact"]

    /// Reads and checks the grid file at `path`.
    /// - Throws: `InputError` naming the file and the key at fault.
    public init(path: String) throws {
        self.path = path
        let json = try JSONValue.read(path)
        func fail(_ message: String) -> InputError { InputError(file: path, message) }
        guard case .object = json else { throw fail("a grid file is a JSON object with keys time_limit, solve and cv") }
        if let unknown = json.keys.first(where: { !["time_limit", "solve", "cv"].contains($0) }) {
            throw fail("unknown key \"\(unknown)\" (a grid has time_limit, solve and cv)")
        }
        if let limit = json["time_limit"], limit != .null {
            guard let seconds = limit.doubleValue, seconds > 0 else { throw fail("time_limit must be a positive number of seconds") }
            timeLimit = seconds
        }
        func entries(_ key: String) throws -> [JSONValue] {
            switch json[key] {
            case nil, .null?: return []
            case .array(let items)?: return items
            default: throw fail("\(key) must be a list of entries")
            }
        }
        solves = try entries("solve").enumerated().map { i, entry in
            let at = "solve[\(i)]"
            let keys = ["instances", "methods", "sparsity", "ridge", "zbar", "bbar", "arguments"]
            if let unknown = entry.keys.first(where: { !keys.contains($0) }) { throw fail("\(at): unknown key \"\(unknown)\" (expected \(keys.joined(separator: ", ")))") }
            let instances = try Self.strings(entry["instances"], "\(at).instances", path) ?? []
            guard !instances.isEmpty else { throw fail("\(at).instances: give at least one instance file") }
            let methods = try Self.strings(entry["methods"], "\(at).methods", path) ?? ["heuristic"]
            if let bad = methods.first(where: { !Self.methods.contains($0) }) { throw fail("\(at).methods: \"\(bad)\" is not one of \(Self.methods.joined(separator: ", "))") }
            func numbers(_ key: String) throws -> [Double]? {
                guard let value = entry[key], value != .null else { return nil }
                guard case .array(let items) = value, !items.isEmpty, items.allSatisfy({ $0.doubleValue != nil }) else {
                    throw fail("\(at).\(key) must be a non-empty list of numbers")
                }
                return items.map { $0.doubleValue! }
            }
            let sparsities = try numbers("sparsity")
            if let s = sparsities, s.contains(where: { $0 < 1 || $0 != $0.rounded() }) { throw fail("\(at).sparsity: s must be whole numbers ≥ 1") }
            let penalties = try ["ridge", "zbar", "bbar"].map(numbers)
            for (key, list) in zip(["ridge", "zbar", "bbar"], penalties) where list?.contains(where: { !($0 >= 0) }) == true {
                throw fail("\(at).\(key): weights must be ≥ 0")
            }
            return Solves(instances: instances, methods: methods, sparsities: sparsities.map { $0.map { Int($0) } },
                          ridges: penalties[0], zbars: penalties[1], bbars: penalties[2],
                          arguments: try Self.strings(entry["arguments"], "\(at).arguments", path) ?? [])
        }
        crossValidations = try entries("cv").enumerated().map { i, entry in
            let at = "cv[\(i)]"
            if let unknown = entry.keys.first(where: { !["arguments", "seeds"].contains($0) }) { throw fail("\(at): unknown key \"\(unknown)\" (expected arguments, seeds)") }
            let arguments = try Self.strings(entry["arguments"], "\(at).arguments", path) ?? []
            if let flag = arguments.first(where: { ["--seed", "--output", "--work-item", "--time-limit", "--plot"].contains($0) }) {
                throw fail("\(at).arguments: \(flag) is set by the grid (seeds, time_limit) or by merge (the output)")
            }
            var seeds: [UInt64]? = nil
            if let value = entry["seeds"], value != .null {
                guard case .array(let items) = value, !items.isEmpty,
                      items.allSatisfy({ if case .int(let s) = $0 { return s >= 0 } else { return false } }) else {
                    throw fail("\(at).seeds must be a non-empty list of whole numbers ≥ 0")
                }
                seeds = items.map { if case .int(let s) = $0 { return UInt64(s) } else { return 0 } }
            }
            return CrossValidations(arguments: arguments, seeds: seeds)
        }
        guard !(solves.isEmpty && crossValidations.isEmpty) else { throw fail("the grid has no solve or cv entry") }
    }

    /// A list of strings at `key`, or nil when absent.
    private static func strings(_ value: JSONValue?, _ key: String, _ path: String) throws -> [String]? {
        guard let value, value != .null else { return nil }
        guard case .array(let items) = value else { throw InputError(file: path, "\(key) must be a list of strings") }
        return try items.map {
            guard case .string(let s) = $0 else { throw InputError(file: path, "\(key) must be a list of strings") }
            return s
        }
    }
}
