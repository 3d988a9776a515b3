import Foundation

/// New rows to predict, read against a model. Long form (`task,[y,]x1,…,xp`, columns in any order):
/// every task label must be one of the model's tasks. Shared design (no task column): every row is
/// predicted for every task of the model, and the responses, if given, are the columns named by
/// the tasks (as `--responses` reads them). Every other column must be one of the model's features
/// (or dropped) and every feature must be there. Responses are optional (needed only to score).
/// Rows keep the file's order (in the shared design, each row's tasks in the model's order).
public struct PredictionData: Sendable {
    /// Where the rows came from (for messages).
    public var source: String
    /// Row-major features of the file's data rows, in the model's feature order (one row per data
    /// row, also in the shared design).
    public var features: [Double]
    /// Per entry (a data row, or in the shared design a data row and one task): the model's task
    /// index, the data row (0-based, into `features`), and y when the file has responses.
    public var tasks: [Int]
    public var rows: [Int]
    public var responses: [Double]?

    /// The number of entries predicted.
    public var rowCount: Int { tasks.count }

    /// Reads `path` against `model`.
    /// - Throws: `InputError` naming file, line and column: a missing task column, a column the
    ///   model does not know, a missing feature, a task label the model does not know, a ragged row,
    ///   or a cell that is not a finite number.
    public static func read(_ path: String, model: FittedModel, taskColumn: String? = nil,
                            responseColumn: String? = nil, dropped: [String] = []) throws -> PredictionData {
        let data = try FileIO.read(path)
        return try data.withUnsafeBytes { raw in
            try parse(raw.bindMemory(to: UInt8.self), file: path, model: model, taskColumn: taskColumn ?? model.taskColumn,
                      responseColumn: responseColumn ?? model.responseColumn, dropped: dropped)
        }
    }

    /// Parses CSV bytes against `model`; `file` names them in messages.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>, file: String, model: FittedModel,
                             taskColumn: String, responseColumn: String, dropped: [String] = []) throws -> PredictionData {
        var scanner = CSVScanner(bytes: bytes, file: file)
        var fields: [CSVScanner.Field] = []
        guard let headerLine = try scanner.nextRecord(into: &fields) else {
            throw InputError(file: file, "file is empty (expected a header row: \(taskColumn), the model's features, optionally \(responseColumn))")
        }
        let header = fields.map { scanner.string($0) }
        let seen = try ColumnLayout.index(header, file: file, line: headerLine)
        for name in dropped where seen[name] == nil {
            throw InputError(file: "--drop", "no column '\(name)' in \(file)'s header")
        }
        let taskField = seen[taskColumn]
        // Response columns: the long form's one, or the shared design's one per task (all or none).
        let responseFields: [Int]
        if taskField != nil {
            responseFields = seen[responseColumn].map { [$0] } ?? []
        } else {
            responseFields = model.taskLabels.compactMap { seen[$0] }
            if !responseFields.isEmpty && responseFields.count < model.taskLabels.count {
                let missing = model.taskLabels.first { seen[$0] == nil }!
                throw InputError(file: file, line: headerLine, "no task column '\(taskColumn)', and of the response columns (one per task) '\(missing)' is missing")
            }
        }
        let ignored = Set(([taskField].compactMap { $0 }) + responseFields + dropped.map { seen[$0]! })
        let featureIndex = Dictionary(uniqueKeysWithValues: model.inputFeatures.enumerated().map { ($1, $0) })
        // Where each model feature is in the file.
        var fieldOfFeature = [Int](repeating: -1, count: model.inputFeatures.count)
        for (c, name) in header.enumerated() where !ignored.contains(c) {
            guard let j = featureIndex[name] else {
                throw InputError(file: file, line: headerLine, column: c + 1,
                                 "column '\(name)' is not a feature of the model (its features: \(Self.listing(model.inputFeatures)))"
                                 + (taskField == nil ? "; no task column '\(taskColumn)' either (--task-column)" : ""))
            }
            fieldOfFeature[j] = c
        }
        if let j = fieldOfFeature.firstIndex(of: -1) {
            throw InputError(file: file, line: headerLine, "the model's feature '\(model.inputFeatures[j])' has no column")
        }
        let taskIndex = Dictionary(uniqueKeysWithValues: model.taskLabels.enumerated().map { ($1, $0) })
        let p = model.inputFeatures.count
        var out = PredictionData(source: file, features: [], tasks: [], rows: [], responses: responseFields.isEmpty ? nil : [])
        var dataRow = 0
        while let line = try scanner.nextRecord(into: &fields) {
            guard fields.count == header.count else {
                throw InputError(file: file, line: line, "row has \(fields.count) fields, the header has \(header.count)")
            }
            var tasks = Array(model.taskLabels.indices)  // the shared design: every task
            if let taskField {
                let label = scanner.string(fields[taskField])
                guard let k = taskIndex[label] else {
                    throw InputError(file: file, line: line, column: taskField + 1,
                                     "task '\(label)' is not one of the model's tasks (\(Self.listing(model.taskLabels)))")
                }
                tasks = [k]
            }
            for j in 0..<p { out.features.append(try scanner.number(fields[fieldOfFeature[j]], column: fieldOfFeature[j], header: header, line: line)) }
            for (index, k) in tasks.enumerated() {
                if !responseFields.isEmpty {
                    let c = responseFields[index]
                    out.responses!.append(try scanner.number(fields[c], column: c, header: header, line: line))
                }
                out.tasks.append(k)
                out.rows.append(dataRow)
            }
            dataRow += 1
        }
        guard !out.tasks.isEmpty else { throw InputError(file: file, line: headerLine, "the file has a header but no data rows") }
        return out
    }

    /// The predictions as CSV (DESIGN.md section 5): a header `row,task,prediction`, then one line
    /// per entry in the file's order, with its row's 1-based number among the data rows.
    public func csv(_ predictions: [Double], model: FittedModel) -> String {
        var out = "row,task,prediction\n"
        for i in 0..<rowCount {
            out += "\(rows[i] + 1),\(CSVWriter.field(model.taskLabels[tasks[i]])),\(CSVWriter.number(predictions[i]))\n"
        }
        return out
    }

    /// The first few names, then "…".
    static func listing(_ names: [String]) -> String {
        names.prefix(8).joined(separator: ", ") + (names.count > 8 ? ", … (\(names.count) in all)" : "")
    }
}
