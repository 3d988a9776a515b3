import Foundation

/// One run of a grid: a `sparsemtl` command line, its place in the grid's canonical order and a
/// stable id, the hash of what it computes (the command line and the SHA-256 of its inputs), so
/// that a result file names the computation it holds whatever order or grid it came from.
public struct GridTask: Sendable {
    /// What the task runs.
    public enum Kind: String, Sendable {
        /// `sparsemtl solve`: one result file.
        case solve
        /// One work item of `sparsemtl cv` (`CrossValidation.Plan`); `merge` assembles the items.
        case crossValidationItem = "cv_item"
    }

    /// Position in the canonical order (0-based).
    public var index: Int
    /// 16 hex digits of SHA-256 over the command line and the inputs' digest.
    public var id: String
    public var kind: Kind
    /// The `sparsemtl` arguments, subcommand first, without `--output` and `--quiet` (the runner adds them).
    public var command: [String]
    /// What the merged table shows of the task (problem, method, penalty; or folds, seed, item).
    public var fields: [(String, JSONValue)]
    /// For a cv item: which cross-validation of the grid it belongs to, and its item.
    public var crossValidation: CrossValidationItem?

    /// A work item of one of the grid's cross-validations.
    public struct CrossValidationItem: Sendable {
        /// The cross-validation's number among the grid's, in canonical order.
        public var run: Int
        /// `sparsemtl cv` arguments that compute it whole (no time limit, no item).
        public var arguments: [String]
        /// A name for its merged result: block, problem file and seed.
        public var name: String
        public var item: Int
    }

    /// The id of `command` over inputs whose digest is `inputs`.
    static func id(command: [String], inputs: String) -> String {
        let text = JSONValue.object([("command", .array(command.map { .string($0) })), ("inputs", .string(inputs))]).compactText
        return String(FileIO.sha256(of: Data(text.utf8)).prefix(16))
    }
}

/// The tasks of a grid in canonical order: block by block (a grid file may list several), problem
/// by problem (instances, then data, as listed); for solves then sparsity, ridge, zbar, bbar,
/// big_m and method (innermost), the keys' order in DESIGN.md; for cross-validations the seed,
/// then the work item.
public enum GridExpansion {
    /// What a grid needs to know of its inputs, from whoever can read them (the command line reads
    /// problems as `sparsemtl solve` and `sparsemtl cv` would).
    public struct Inputs {
        /// A digest of everything a solve with these arguments (the problem's) reads: files and data.
        public var digest: ([String]) throws -> String
        /// For cv arguments with a seed: the number of work items and a digest of the data read.
        public var crossValidation: ([String]) throws -> (items: Int, digest: String)

        public init(digest: @escaping ([String]) throws -> String,
                    crossValidation: @escaping ([String]) throws -> (items: Int, digest: String)) {
            self.digest = digest
            self.crossValidation = crossValidation
        }
    }

    /// Every task of `spec`.
    /// - Throws: `InputError` when two tasks compute the same thing (same id), or what `inputs` throws.
    public static func tasks(_ spec: GridSpec, inputs: Inputs) throws -> [GridTask] {
        var tasks: [GridTask] = []
        var runs = 0
        func add(_ kind: GridTask.Kind, _ command: [String], inputs digest: String, _ fields: [(String, JSONValue)],
                 crossValidation: GridTask.CrossValidationItem? = nil) {
            tasks.append(GridTask(index: tasks.count, id: GridTask.id(command: command, inputs: digest), kind: kind,
                                  command: command, fields: fields, crossValidation: crossValidation))
        }
        func each<T>(_ list: [T]?) -> [T?] { list.map { $0.map(Optional.some) } ?? [nil] }
        func text(_ value: Double) -> String { JSONValue.number(value).compactText }
        for (b, block) in spec.blocks.enumerated() {
            let limit = block.timeLimit.map { ["--time-limit", text($0)] } ?? []
            for input in block.inputs {
                let problem: [(String, JSONValue)] = [(input.isData ? "data" : "instance", .string(input.path))]
                if block.folds == 0 {
                    let digest = try inputs.digest(input.arguments + block.arguments)
                    // Penalties in the keys' order (sparsity outermost), each with every method.
                    let penalties = each(block.sparsities).flatMap { s in each(block.ridges).flatMap { a in each(block.zbars).flatMap { d in
                        each(block.bbars).flatMap { l in each(block.bigMs).map { m in (s, a, d, l, m) } } } } }
                    for (s, a, d, l, m) in penalties {
                        for method in block.methods {
                            var command = ["solve"] + input.arguments + ["--method", method]
                            if let s { command += ["--sparsity", String(s)] }
                            for (flag, value) in [("--ridge", a), ("--zbar", d), ("--bbar", l), ("--big-m", m)] {
                                if let value { command += [flag, text(value)] }
                            }
                            add(.solve, command + block.arguments + limit, inputs: digest, problem + [
                                ("method", .string(method)), ("sparsity", s.map { .int($0) } ?? .null), ("ridge", .number(a)),
                                ("zbar", .number(d)), ("bbar", .number(l)), ("big_m", .number(m))])
                        }
                    }
                } else {
                    var arguments = input.arguments + ["--folds", String(block.folds)]
                    if let s = block.sparsities?.max() { arguments += ["--max-sparsity", String(s)] }
                    for (flag, list) in [("--ridge-grid", block.ridges), ("--zbar-grid", block.zbars), ("--bbar-grid", block.bbars)] {
                        if let list { arguments += [flag, list.map(text).joined(separator: ",")] }
                    }
                    if let m = block.bigMs?.first { arguments += ["--big-m", text(m)] }
                    arguments += block.arguments
                    for seed in each(block.seeds) {
                        let whole = arguments + (seed.map { ["--seed", String($0)] } ?? [])
                        let (items, digest) = try inputs.crossValidation(whole)
                        let stem = ((input.path as NSString).lastPathComponent as NSString).deletingPathExtension
                        let name = "cv\(spec.blocks.count > 1 ? "-\(b)" : "")-\(stem)" + (seed.map { "-seed\($0)" } ?? "")
                        for w in 0..<items {
                            add(.crossValidationItem, ["cv"] + whole + limit + ["--work-item", String(w)], inputs: digest,
                                problem + [("folds", .int(block.folds)), ("seed", seed.map { .int(Int($0)) } ?? .null), ("item", .int(w))],
                                crossValidation: GridTask.CrossValidationItem(run: runs, arguments: whole, name: name, item: w))
                        }
                        runs += 1
                    }
                }
            }
        }
        var first: [String: Int] = [:]
        for task in tasks {
            if let earlier = first[task.id] {
                throw InputError(file: spec.path, "tasks \(earlier) and \(task.index) compute the same thing (sparsemtl \(task.command.joined(separator: " "))): remove one")
            }
            first[task.id] = task.index
        }
        return tasks
    }
}

extension GridSpec.Input {
    var isData: Bool { if case .data = self { true } else { false } }
}

/// Which tasks one process of a job array runs: task t when t mod count = index. The same
/// (index, count) always gives the same tasks, and the shards 0…count − 1 partition the grid.
public struct GridShard: Sendable, Equatable {
    public var index: Int
    public var count: Int

    /// The shard of `--shard-index` / `--shard-count`, each defaulting from the scheduler's
    /// environment: Slurm's SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT (submit `--array=0-(n−1)`),
    /// or Kubernetes' JOB_COMPLETION_INDEX (an indexed Job; the count must then be given). Without
    /// either, shard 0 of 1: every task.
    /// - Throws: `InputError` when index ∉ [0, count) or a count is missing.
    public init(index: Int?, count: Int?, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        func number(_ name: String) throws -> Int? {
            guard let text = environment[name] else { return nil }
            guard let value = Int(text) else { throw InputError(file: name, "'\(text)' is not a whole number", kind: .usage) }
            return value
        }
        let slurmIndex = try number("SLURM_ARRAY_TASK_ID"), kubernetesIndex = try number("JOB_COMPLETION_INDEX")
        let index = index ?? slurmIndex ?? kubernetesIndex ?? 0
        let count = try count ?? (slurmIndex != nil ? number("SLURM_ARRAY_TASK_COUNT") : nil)
            ?? ((slurmIndex ?? kubernetesIndex) != nil ? nil : 1)
        guard let count else {
            throw InputError(file: "--shard-count", "the shard count is not in the environment (JOB_COMPLETION_INDEX alone): give --shard-count", kind: .usage)
        }
        guard count >= 1 else { throw InputError(file: "--shard-count", "must be at least 1", kind: .usage) }
        guard index >= 0 && index < count else {
            throw InputError(file: "--shard-index", "shard \(index) is not in 0…\(count - 1): submit the array as --array=0-\(max(count, index + 1) - 1), and give --shard-count when resubmitting part of it", kind: .usage)
        }
        self.index = index
        self.count = count
    }

    /// Whether task `t` is this shard's.
    public func contains(_ t: Int) -> Bool { t % count == index }
}
