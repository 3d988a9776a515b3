import Foundation

/// The merged table of a complete grid: one row per task in canonical order, with what the task
/// was (its grid fields), how it ended, and the headline numbers of its result.
public struct GridTable {
    /// Column names, in order.
    public var columns: [String]
    /// One row per task, a value per column (null where it does not apply).
    public var rows: [[JSONValue]]

    /// The result keys copied into the table (a solve result's; a cv item has none of them).
    public static let resultColumns = ["status", "objective", "lower_bound", "gap", "nodes"]

    /// The table of `tasks` and their `records` (same order).
    public init(tasks: [GridTask], records: [TaskRecord]) {
        precondition(tasks.count == records.count, "one record per task")
        var fieldNames: [String] = []
        for task in tasks { for (name, _) in task.fields where !fieldNames.contains(name) { fieldNames.append(name) } }
        columns = ["index", "id", "kind"] + fieldNames + ["outcome", "exit_code", "seconds", "host"] + Self.resultColumns
        rows = zip(tasks, records).map { task, record in
            let fields = Dictionary(task.fields, uniquingKeysWith: { a, _ in a })
            return [.int(task.index), .string(task.id), .string(task.kind.rawValue)]
                + fieldNames.map { fields[$0] ?? .null }
                + [.string(record.outcome.rawValue), .int(Int(record.exitCode)), .number(record.seconds), .string(record.host)]
                + Self.resultColumns.map { record.result?[$0] ?? .null }
        }
    }

    /// The table as CSV (header, then rows; empty fields for null).
    public var csv: String {
        func cell(_ value: JSONValue) -> String {
            switch value {
            case .null: return ""
            case .string(let s): return CSVWriter.field(s)
            case .number(let d): return d.isFinite ? CSVWriter.number(d) : ""
            default: return value.compactText
            }
        }
        return ([columns.map(CSVWriter.field).joined(separator: ",")] + rows.map { $0.map(cell).joined(separator: ",") })
            .joined(separator: "\n") + "\n"
    }

    /// The table as JSON: a list of objects, one per task.
    public var json: JSONValue {
        .array(rows.map { row in .object(Array(zip(columns, row))) })
    }
}
