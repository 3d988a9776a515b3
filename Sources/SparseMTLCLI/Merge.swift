import ArgumentParser
import Foundation
import SparseMTL

/// `sparsemtl merge`: one table from a grid's task files, and each cross-validation's result.
struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Merge a grid's task files into one table (CSV and JSON) and each cv entry's result.",
        discussion: """
        Refuses (exit 65, every problem listed) a folder with a missing, corrupt or duplicated \
        task, or a file of a task not in the grid. Writes PREFIX.csv and PREFIX.json: one row per \
        task in the grid's canonical order (its fields, outcome, exit code, seconds, host, and the \
        result's status, objective, lower bound, gap and nodes). Each cv entry (and seed) gives \
        PREFIX-cvE.json (PREFIX-cvE-seedS.json with seeds): the choice and the refit that \
        `sparsemtl cv` with the same arguments writes, computed from the items' scores.
        """
    )

    @Argument(help: "Grid file (JSON).") var grid: String
    @Option(help: "Folder of the task files.") var tasks: String
    @Option(help: "Prefix of the files written (PREFIX.csv, PREFIX.json, PREFIX-cvE.json).") var output: String
    @Flag(help: "No summary on the terminal.") var quiet = false

    func run() throws {
        let here = FileManager.default.currentDirectoryPath
        let prefix = output.hasPrefix("/") ? output : (here as NSString).appendingPathComponent(output)
        let plan = try GridPlan(grid: grid, tasks: tasks)
        let state = GridState(tasks: plan.tasks, folder: plan.taskFolder)
        guard state.complete else {
            state.problems.forEach(Terminal.note)
            throw InputError(file: tasks, "\(state.problems.count) problems (listed above): run the missing shards (`sparsemtl grid --status --shard-count N` names them), remove files that are not this grid's, then merge again")
        }
        let records = state.states.map { if case .recorded(let r) = $0 { r } else { fatalError("complete state") } }
        let table = GridTable(tasks: plan.tasks, records: records)
        try FileIO.writeAtomically(table.csv, to: prefix + ".csv")
        try FileIO.writeAtomically(table.json.text, to: prefix + ".json")
        var written = [prefix + ".csv", prefix + ".json"]
        // Each cv entry and seed: the items' scores, then cv's own choice and refit.
        var groups: [String: [(task: GridTask, record: TaskRecord)]] = [:]
        var order: [String] = []
        for (task, record) in zip(plan.tasks, records) {
            guard let cv = task.crossValidation else { continue }
            let key = "cv\(cv.entry)" + (cv.seed.map { "-seed\($0)" } ?? "")
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append((task, record))
        }
        for key in order {
            let items = groups[key]!
            let (e, seed, _) = items[0].task.crossValidation!
            let arguments = plan.spec.crossValidations[e].arguments + (seed.map { ["--seed", String($0)] } ?? [])
            let path = prefix + "-" + key + ".json"
            let cv = try CrossValidate.parse(arguments + ["--output", path, "--quiet"])
            let setup = try cv.setup()
            guard items.count == setup.plan.itemCount else {
                throw InputError(file: grid, "\(key): \(items.count) items in the grid, \(setup.plan.itemCount) in the cross-validation (the data changed?)")
            }
            let scores: [[Double]?] = try items.sorted { $0.task.crossValidation!.item < $1.task.crossValidation!.item }.map { task, record in
                guard record.outcome != .failed else {
                    throw InputError(file: TaskRecord.path(record.id, in: plan.taskFolder), "\(key) item \(task.crossValidation!.item) failed: \(record.message ?? "")")
                }
                guard case .array(let errors)? = record.result?["errors"] else {
                    throw InputError(file: TaskRecord.path(record.id, in: plan.taskFolder),
                                     "\(key) item \(task.crossValidation!.item) stopped (\(record.result?["status"]?.compactText ?? "no result")) before its slice was scored: raise the grid's time_limit and rerun it")
                }
                return errors.map { $0.doubleValue ?? .nan }
            }
            try cv.finish(setup.plan.outcome(items: scores), setup)
            written.append(path)
        }
        if !quiet {
            let outcomes = Dictionary(grouping: records, by: \.outcome).mapValues(\.count)
            Terminal.note("merged \(records.count) tasks: \(outcomes[.finished] ?? 0) finished, \(outcomes[.limit] ?? 0) at a limit, "
                          + "\(outcomes[.failed] ?? 0) failed; \(String(format: "%.1f", table.secondsTotal)) s of task time")
            written.forEach { Terminal.note("wrote \($0)") }
        }
    }
}
