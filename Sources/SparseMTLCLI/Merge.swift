import ArgumentParser
import Foundation
import SparseMTL

/// `sparsemtl merge`: one table from a grid's task files, and each cross-validation's result.
struct Merge: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Merge a grid's task files into one table (CSV and JSON) and each cv entry's result.",
        discussion: """
        Refuses (exit 65, every problem listed) a folder with a missing, corrupt or duplicated \
        task, or a file of a task not in the grid. Writes TABLE.csv and TABLE.json beside it: one \
        row per task in the grid's canonical order (its fields, outcome, exit code, seconds, host, \
        and the result's status, objective, lower bound, gap and nodes). Each cross-validation of \
        the grid gives TABLE-cv-NAME.json (NAME: the problem file and the seed): the choice and \
        the refit that `sparsemtl cv` with the same arguments writes, computed from the items' scores. \
        The grid file is the one `sparsemtl grid` recorded in DIR, unless --grid names another.
        """
    )

    @Argument(help: "Folder of the task files (grid's --output-dir).") var directory: String
    @Option(help: "The table, CSV (TABLE.json and each cv's TABLE-cv-NAME.json are written beside it).") var output: String
    @Option(help: "Grid file (default: the one recorded in DIR by `sparsemtl grid`).") var grid: String?
    @Flag(help: "No summary on the terminal.") var quiet = false

    func run() throws {
        let table = URL(fileURLWithPath: output).path  // absolute before GridPlan moves to the grid's folder
        let prefix = (table as NSString).pathExtension.lowercased() == "csv" ? (table as NSString).deletingPathExtension : table
        guard let grid = try grid ?? Self.recordedGrid(directory) else {
            throw InputError(file: directory, "no grid file recorded here (`sparsemtl grid` writes DIR/.grid): give --grid FILE", kind: .usage)
        }
        let plan = try GridPlan(grid: grid, tasks: directory)
        let state = GridState(tasks: plan.tasks, folder: plan.taskFolder)
        guard state.complete else {
            state.problems.forEach(Terminal.note)
            throw InputError(file: directory, "\(state.problems.count) problems (listed above): run the missing shards (`sparsemtl grid --status --shard-count N` names them), remove files that are not this grid's, then merge again")
        }
        let records = state.records
        let merged = GridTable(tasks: plan.tasks, records: records)
        try FileIO.writeAtomically(merged.csv, to: prefix + ".csv")
        try FileIO.writeAtomically(merged.json.text, to: prefix + ".json")
        var written = [prefix + ".csv", prefix + ".json"]
        // Each cross-validation: its items' scores, then cv's own choice and refit.
        let items = Dictionary(grouping: zip(plan.tasks, records).filter { $0.0.crossValidation != nil }) { $0.0.crossValidation!.run }
        for run in items.keys.sorted() {
            let parts = items[run]!.sorted { $0.0.crossValidation!.item < $1.0.crossValidation!.item }
            let about = parts[0].0.crossValidation!
            let path = prefix + "-" + about.name + ".json"
            let cv = try CrossValidate.parse(about.arguments + ["--output", path, "--quiet"])
            let setup = try cv.setup()
            guard parts.count == setup.plan.itemCount else {
                throw InputError(file: grid, "\(about.name): \(parts.count) items in the grid, \(setup.plan.itemCount) in the cross-validation (the data changed?)")
            }
            let scores: [[Double]?] = try parts.map { task, record in
                let file = TaskRecord.path(record.id, in: plan.taskFolder)
                guard record.outcome != .failed else {
                    throw InputError(file: file, "\(about.name) item \(task.crossValidation!.item) failed: \(record.message ?? "")")
                }
                guard case .array(let errors)? = record.result?["errors"] else {
                    throw InputError(file: file, "\(about.name) item \(task.crossValidation!.item) stopped (\(record.result?["status"]?.compactText ?? "no result")) before its slice was scored: raise the grid's time_limit and rerun it")
                }
                return errors.map { $0.doubleValue ?? .nan }
            }
            try cv.finish(setup.plan.outcome(items: scores), setup)
            written.append(path)
        }
        if !quiet {
            let outcomes = Dictionary(grouping: records, by: \.outcome).mapValues(\.count)
            Terminal.note("merged \(records.count) tasks: \(outcomes[.finished] ?? 0) finished, \(outcomes[.limit] ?? 0) at a limit, "
                          + "\(outcomes[.failed] ?? 0) failed; \(String(format: "%.1f", records.reduce(0.0) { $0 + $1.seconds })) s of task time")
            written.forEach { Terminal.note("wrote \($0)") }
        }
    }

    /// The grid file `sparsemtl grid` recorded in `folder`, if any.
    static func recordedGrid(_ folder: String) throws -> String? {
        let record = GridPlan.gridRecord(in: folder)
        guard FileManager.default.fileExists(atPath: record) else { return nil }
        guard case .string(let path)? = try JSONValue.read(record)["grid"] else { throw InputError(file: record, "not a grid record") }
        return path
    }
}
