import Foundation

/// Reads multi-task data from CSV with a header row. Long form (the default): one row per
/// observation with a task label column (any string), a response column and p feature columns
/// (`task,y,x1,…,xp` by default, columns in any order). Shared design (`responseColumns`): one row
/// per observation of every task, one response column per task. Features are every other column,
/// or those chosen (`featureColumns`), less those dropped (`droppedColumns`).
public struct LongCSVReader: Sendable {
    /// Name of the task label column.
    public var taskColumn = "task"
    /// Name of the response column.
    public var responseColumn = "y"
    /// The fewest rows a task may have.
    public var minimumRowsPerTask = 2
    /// Shared design (multi-output data): these response columns, one task each, every task on
    /// every row; no task column (`--responses`). Nil: the long form.
    public var responseColumns: [String]? = nil
    /// Only these feature columns (`--features`); nil: every column that is not the task or a response.
    public var featureColumns: [String]? = nil
    /// Columns that are not features (`--drop`: ids, dates, notes).
    public var droppedColumns: [String] = []

    public init(taskColumn: String = "task", responseColumn: String = "y") {
        self.taskColumn = taskColumn
        self.responseColumn = responseColumn
    }

    /// Reads the file at `path`.
    /// - Throws: `InputError` naming file, line and column for: empty file, header only, missing or
    ///   duplicate columns, ragged rows, non-numeric, NaN or infinite cells, tasks with too few rows.
    public func read(_ path: String) throws -> Dataset {
        let data = try FileIO.read(path)
        var dataset = try data.withUnsafeBytes { raw in
            try parse(raw.bindMemory(to: UInt8.self), file: path)
        }
        dataset.sha256 = FileIO.sha256(of: data)
        dataset.taskColumn = taskColumn
        dataset.responseColumn = responseColumn
        return dataset
    }

    /// Parses CSV bytes; `file` names them in messages.
    public func parse(_ bytes: UnsafeBufferPointer<UInt8>, file: String) throws -> Dataset {
        var scanner = CSVScanner(bytes: bytes, file: file)
        var fields: [CSVScanner.Field] = []
        guard let headerLine = try scanner.nextRecord(into: &fields) else {
            throw InputError(file: file, "file is empty (expected a header row \(taskColumn),\(responseColumn),x1,…)")
        }
        let header = fields.map { scanner.string($0) }
        let layout = try ColumnLayout(header: header, reader: self, file: file, line: headerLine)
        if layout.taskColumn == nil { return try parseShared(&scanner, header: header, layout: layout, headerLine: headerLine) }
        let width = header.count

        // Rows are gathered row-major (y then features), with the task of each row.
        var values: [Double] = []
        values.reserveCapacity(bytes.count / 8)
        var rowTask: [Int32] = []
        var rowLine: [Int32] = []
        var labels: [String] = []
        var labelIndex: [String: Int] = [:]
        var lastLabelField: CSVScanner.Field? = nil
        var lastTask = -1
        var row = [Double](repeating: 0, count: layout.featureColumns.count + 1)

        while let line = try scanner.nextRecord(into: &fields) {
            guard fields.count == width else {
                throw InputError(file: file, line: line, "row has \(fields.count) fields, the header has \(width)")
            }
            let labelField = fields[layout.taskColumn!]
            if let last = lastLabelField, scanner.sameBytes(labelField, last, in: bytes) {
                // same task as the previous row
            } else {
                let label = scanner.string(labelField)
                if label.isEmpty {
                    throw InputError(file: file, line: line, column: layout.taskColumn! + 1, "empty task label")
                }
                if let k = labelIndex[label] { lastTask = k } else {
                    lastTask = labels.count
                    labelIndex[label] = lastTask
                    labels.append(label)
                }
                lastLabelField = labelField
            }
            row[0] = try scanner.number(fields[layout.responseColumns[0]], column: layout.responseColumns[0], header: header, line: line)
            for (c, column) in layout.featureColumns.enumerated() {
                row[c + 1] = try scanner.number(fields[column], column: column, header: header, line: line)
            }
            values.append(contentsOf: row)
            rowTask.append(Int32(lastTask))
            rowLine.append(Int32(truncatingIfNeeded: line))
        }
        guard !rowTask.isEmpty else {
            throw InputError(file: file, line: headerLine, "the file has a header but no data rows")
        }
        return try assemble(values: values, rowTask: rowTask, rowLine: rowLine, labels: labels,
                            featureNames: layout.featureColumns.map { header[$0] }, file: file)
    }

    /// Splits the row-major table into per-task column-major designs and responses.
    private func assemble(values: [Double], rowTask: [Int32], rowLine: [Int32], labels: [String],
                          featureNames: [String], file: String) throws -> Dataset {
        let p = featureNames.count
        let stride = p + 1
        var counts = [Int](repeating: 0, count: labels.count)
        for t in rowTask { counts[Int(t)] += 1 }
        for (k, count) in counts.enumerated() where count < minimumRowsPerTask {
            let firstLine = Int(rowLine[rowTask.firstIndex(of: Int32(k))!])
            throw InputError(file: file, line: firstLine,
                             "task '\(labels[k])' has \(count) row\(count == 1 ? "" : "s"); each task needs at least \(minimumRowsPerTask)")
        }
        var designs = counts.map { Matrix(rows: $0, columns: p) }
        var responses = counts.map { [Double](repeating: 0, count: $0) }
        var next = [Int](repeating: 0, count: labels.count)
        values.withUnsafeBufferPointer { v in
            for (r, t) in rowTask.enumerated() {
                let k = Int(t)
                let i = next[k]
                next[k] += 1
                let base = r * stride
                responses[k][i] = v[base]
                let n = counts[k]
                designs[k].storage.withUnsafeMutableBufferPointer { x in
                    for j in 0..<p { x[i + j * n] = v[base + 1 + j] }
                }
            }
        }
        return Dataset(source: file, taskLabels: labels, featureNames: featureNames, designs: designs, responses: responses)
    }
}

extension CSVScanner {
    /// The number in `field` (in column `column` of `header`, on `line`).
    /// - Throws: `InputError` at the line and column for an empty, non-numeric, non-finite or
    ///   out-of-range cell.
    func number(_ field: Field, column: Int, header: [String], line: Int) throws -> Double {
        func fail(_ why: String) -> InputError { InputError(file: file, line: line, column: column + 1, why) }
        switch NumberParser.parse(bytes, field.start, field.end) {
        case .number(let v):
            return v
        case .empty:
            throw fail("empty cell in column '\(header[column])'")
        case .outOfRange:
            throw fail("'\(string(field))' in column '\(header[column])' is out of range: magnitudes from 1e-300 to 1e150 (or 0) are read")
        case .nonFinite:
            throw fail("'\(string(field))' in column '\(header[column])' is NaN or infinite")
        case .invalid:
            throw fail("'\(string(field))' in column '\(header[column])' is not a number")
        }
    }
}

/// Which header columns are the task label, the response(s) and the features. Long form: one
/// task column and one response column; shared design: no task column and several response
/// columns, one task each. Features are the other columns, or those of `features`, less `dropped`.
struct ColumnLayout {
    /// The task column (nil for the shared design).
    let taskColumn: Int?
    /// The response column(s): one for the long form, one per task for the shared design.
    let responseColumns: [Int]
    let featureColumns: [Int]

    /// The header's column numbers (0-based) by name.
    /// - Throws: `InputError` at the header's line and column for an empty or repeated name.
    static func index(_ header: [String], file: String, line: Int) throws -> [String: Int] {
        var seen: [String: Int] = [:]
        for (c, name) in header.enumerated() {
            if name.isEmpty { throw InputError(file: file, line: line, column: c + 1, "empty column name in the header") }
            if let first = seen[name] {
                throw InputError(file: file, line: line, column: c + 1, "column name '\(name)' repeats column \(first + 1)")
            }
            seen[name] = c
        }
        return seen
    }

    init(header: [String], reader: LongCSVReader, file: String, line: Int) throws {
        let seen = try Self.index(header, file: file, line: line)
        let listing = header.prefix(6).joined(separator: ",") + (header.count > 6 ? ",…" : "")
        func column(_ name: String, _ what: String, _ flag: String) throws -> Int {
            guard let c = seen[name] else {
                throw InputError(file: file, line: line, "no \(what) column '\(name)' in the header (\(listing)); use \(flag)")
            }
            return c
        }
        if let responses = reader.responseColumns {
            taskColumn = nil
            responseColumns = try responses.map { try column($0, "response", "--responses") }
            guard Set(responses).count == responses.count else { throw InputError(file: "--responses", "a column is named twice") }
        } else {
            let t = try column(reader.taskColumn, "task", "--task-column")
            let y = try column(reader.responseColumn, "response", "--response-column")
            guard t != y else { throw InputError(file: file, line: line, "task and response columns must differ") }
            taskColumn = t
            responseColumns = [y]
        }
        let taken = Set(responseColumns + (taskColumn.map { [$0] } ?? []))
        for name in reader.droppedColumns + (reader.featureColumns ?? []) where seen[name] == nil {
            throw InputError(file: reader.featureColumns?.contains(name) == true ? "--features" : "--drop",
                             "no column '\(name)' in \(file)'s header (\(listing))")
        }
        let dropped = Set(reader.droppedColumns.map { seen[$0]! })
        let chosen = reader.featureColumns.map { names in Set(names.map { seen[$0]! }) }
        if let clash = chosen?.intersection(taken).first {
            throw InputError(file: "--features", "'\(header[clash])' is the task or a response column")
        }
        featureColumns = header.indices.filter { !taken.contains($0) && !dropped.contains($0) && (chosen?.contains($0) ?? true) }
        guard !featureColumns.isEmpty else {
            throw InputError(file: file, line: line, "no feature columns left (the header: \(listing))")
        }
    }
}
