import ArgumentParser
import Foundation
import SparseMTL

/// `sparsemtl grid`: run one shard of a grid of solves and cross-validations, resumably.
struct Grid: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run one shard of a grid of solves and cross-validations (a Slurm or Kubernetes job array), resumably.",
        discussion: """
        The grid file (JSON; see README.md, "Grids on a cluster") lists problems (data, \
        instances), penalties, methods, folds and seeds: solves (folds 0) or cross-validations, \
        each split into its work items. Its tasks are \
        numbered in one canonical order, each with a stable id (a hash of its command line and \
        inputs). This process runs task t when t mod --shard-count = --shard-index; both default \
        from SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT (submit --array=0-(n−1)) or \
        JOB_COMPLETION_INDEX. Each task runs as its own `sparsemtl` process and leaves \
        DIR/ID.json, written whole with a checksum. A task with a valid file is skipped, so a \
        resubmitted shard finishes only what is missing; a task stopped by a signal leaves no file.

        --status lists done, failed, missing and corrupt tasks (exit 0 when every task has a \
        valid file, 1 otherwise) and, with --shard-count, the shards to resubmit. --list prints \
        the tasks. `sparsemtl merge` makes the table once every task is done.
        """
    )

    @Argument(help: "Grid file (JSON).") var grid: String
    @Option(help: "Folder of the task files (created if missing; every shard writes here).") var outputDir: String
    @Option(parsing: .unconditional, help: "This shard's index in 0…count−1 (default: SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX, else 0).")
    var shardIndex: Int?
    @Option(parsing: .unconditional, help: "Number of shards (default: SLURM_ARRAY_TASK_COUNT, else 1).")
    var shardCount: Int?
    @Flag(help: "List every task's state instead of running.") var status = false
    @Flag(help: "Print the tasks (index, id, shard, command) instead of running.") var list = false
    @Flag(help: "Run again the tasks whose file says they failed.") var rerunFailed = false
    @Flag(help: "No progress lines.") var quiet = false

    func validate() throws {
        if status && list { throw ValidationError("--status and --list are alternatives") }
    }

    func run() throws {
        Interrupt.install()
        let plan = try GridPlan(grid: grid, tasks: outputDir)
        if list {
            let shard = try? GridShard(index: shardIndex, count: shardCount)
            for task in plan.tasks where shard?.contains(task.index) ?? true {
                print("\(task.index)\t\(task.id)\t\(shard.map { "shard \(task.index % $0.count)" } ?? "")\tsparsemtl \(task.command.joined(separator: " "))")
            }
            return
        }
        if status { return try report(plan) }
        let shard = try GridShard(index: shardIndex, count: shardCount)
        try FileManager.default.createDirectory(atPath: plan.taskFolder, withIntermediateDirectories: true)
        try plan.recordGridFile()
        var runner = GridRunner(executable: GridPlan.executable, folder: plan.taskFolder, workingDirectory: plan.gridFolder)
        runner.rerunFailed = rerunFailed
        runner.log = quiet ? nil : { Terminal.note($0) }
        let mine = plan.tasks.filter { shard.contains($0.index) }.count
        if !quiet { Terminal.note("grid: \(plan.tasks.count) tasks, shard \(shard.index) of \(shard.count) runs \(mine)") }
        let summary = runner.run(plan.tasks, shard: shard)
        if !quiet {
            Terminal.note("grid: shard \(shard.index)/\(shard.count): \(summary.ran) ran (\(summary.failed) failed), \(summary.skipped) already done"
                          + (summary.stoppedBySignal ? ", \(summary.left) left by a signal" : ""))
        }
        if summary.stoppedBySignal { throw ExitCode(Interrupt.signal?.exitCode ?? ExitStatus.interrupted.rawValue) }
        if summary.failed > 0 { throw ExitCode(ExitStatus.failure.rawValue) }
    }

    /// The --status report: counts, every task not done, and the shards to resubmit.
    func report(_ plan: GridPlan) throws {
        let state = GridState(tasks: plan.tasks, folder: plan.taskFolder)
        let c = state.counts
        print("\(plan.tasks.count) tasks: \(c.recorded) done (\(c.failed) failed), \(c.missing) missing, \(c.corrupt) corrupt"
              + (state.duplicated.count + state.unknown.count > 0 ? "; \(state.duplicated.count) duplicated and \(state.unknown.count) unknown files" : ""))
        for (t, s) in state.states.enumerated() {
            if case .recorded(let r) = s, r.outcome == .failed { print("failed: task \(t) (\(r.id)) exit \(r.exitCode): \(r.message?.split(separator: "\n").last ?? "")") }
        }
        state.problems.forEach { print($0) }
        if let count = shardCount ?? (try? GridShard(index: nil, count: nil))?.count, count > 1 || shardCount != nil {
            let shards = state.unfinishedShards(of: count)
            print(shards.isEmpty ? "shards to resubmit: none" : "shards to resubmit: \(shards.map(String.init).joined(separator: ","))")
        }
        if !state.complete { throw ExitCode(ExitStatus.failure.rawValue) }
    }
}

/// A grid read and expanded as `grid` and `merge` both need it: the tasks, with the grid file's
/// folder as the working directory (relative paths in the grid are relative to it) and the task
/// folder made absolute before the move.
struct GridPlan {
    var spec: GridSpec
    var tasks: [GridTask]
    var gridFolder: String
    var taskFolder: String

    init(grid: String, tasks folder: String) throws {
        // Absolute paths (against the folder we start in) before moving to the grid's folder.
        taskFolder = URL(fileURLWithPath: folder).path
        spec = try GridSpec(path: grid)
        let gridPath = URL(fileURLWithPath: grid).path
        gridFolder = (gridPath as NSString).deletingLastPathComponent
        guard FileManager.default.changeCurrentDirectoryPath(gridFolder) else {
            throw InputError(file: grid, "cannot enter the grid file's folder", kind: .unreadable)
        }
        spec.path = gridPath
        self.tasks = try GridExpansion.tasks(spec, inputs: Self.inputs(grid: grid))
    }

    /// Reads problems as `solve` and `cv` would, to count cv items and hash what each task reads.
    static func inputs(grid: String) -> GridExpansion.Inputs {
        var known: [[String]: String] = [:]
        func digest(_ problem: ProblemOptions, _ dataset: Dataset) throws -> String {
            try (problem.instance.map(FileIO.sha256) ?? "") + ":" + (dataset.sha256 ?? "")
                + ":" + (problem.taskGraph.flatMap { $0 == "learned" ? nil : try? FileIO.sha256($0) } ?? "")
        }
        func parse<C: ParsableCommand>(_ type: C.Type, _ arguments: [String]) throws -> C {
            do { return try C.parse(arguments) } catch {
                throw InputError(file: grid, "sparsemtl \(C._commandName) \(arguments.joined(separator: " ")): \(C.message(for: error))")
            }
        }
        return GridExpansion.Inputs(
            digest: { arguments in
                if let digest = known[arguments] { return digest }
                let solve = try parse(Solve.self, arguments)
                let value = try digest(solve.problem, solve.problem.problemDefinition().dataset)
                known[arguments] = value
                return value
            },
            crossValidation: { arguments in
                let cv = try parse(CrossValidate.self, arguments)
                let setup = try cv.setup()
                return (setup.plan.itemCount, try digest(cv.problem, setup.plan.definition.dataset))
            })
    }

    /// Where the task folder names its grid file (merge reads it): `DIR/.grid`.
    static func gridRecord(in folder: String) -> String { (folder as NSString).appendingPathComponent(".grid") }

    /// Records the grid file's absolute path in the task folder (every shard writes the same file,
    /// whole; reading it first would make it an input that FileIO refuses to replace).
    func recordGridFile() throws {
        try FileIO.writeAtomically(JSONValue.object([("grid", .string(spec.path))]).text, to: Self.gridRecord(in: taskFolder))
    }

    /// This program's executable, which the tasks run.
    static var executable: String {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
    }
}
