/// Coefficients B (p × K, original units) read from a file, with an explicit support Z when the
/// file is a solve result.
///
/// Two forms:
/// - CSV: a header row of the task labels in the data's order of first appearance, then p rows,
///   one column per task;
/// - JSON (a solve result): `coefficients` as p rows of K numbers, and optionally `support`, one
///   list of 0-based feature indices per task.
public struct CoefficientFile: Sendable {
    /// B in original units.
    public var coefficients: Matrix
    /// The explicit support, when the file gives one.
    public var support: Support?

    /// Reads a coefficient file (`.json` → result form, anything else → CSV) for a problem with
    /// these task labels and p features.
    /// - Throws: `InputError` naming file, line and column when the shape or labels are wrong or a
    ///   cell is not a finite number.
    public static func read(_ path: String, taskLabels: [String], featureCount p: Int) throws -> CoefficientFile {
        if path.hasSuffix(".json") { return try readJSON(path, taskLabels: taskLabels, featureCount: p) }
        let data = try FileIO.read(path)
        return try data.withUnsafeBytes { raw in
            try parseCSV(raw.bindMemory(to: UInt8.self), file: path, taskLabels: taskLabels, featureCount: p)
        }
    }

    static func parseCSV(_ bytes: UnsafeBufferPointer<UInt8>, file: String, taskLabels: [String], featureCount p: Int) throws -> CoefficientFile {
        var scanner = CSVScanner(bytes: bytes, file: file)
        var fields: [CSVScanner.Field] = []
        let expected = taskLabels.joined(separator: ",")
        guard let headerLine = try scanner.nextRecord(into: &fields) else {
            throw InputError(file: file, "file is empty (expected a header of task labels: \(expected))")
        }
        let header = fields.map { scanner.string($0) }
        guard header == taskLabels else {
            if header.count != taskLabels.count {
                throw InputError(file: file, line: headerLine, "header has \(header.count) task columns, the data has \(taskLabels.count) tasks (\(expected))")
            }
            let c = zip(header, taskLabels).enumerated().first { $0.element.0 != $0.element.1 }!.offset
            throw InputError(file: file, line: headerLine, column: c + 1,
                             "column \(c + 1) is '\(header[c])', expected task '\(taskLabels[c])' (task labels in the data's order: \(expected))")
        }
        let kCount = taskLabels.count
        var b = Matrix(rows: p, columns: kCount)
        var row = 0
        while let line = try scanner.nextRecord(into: &fields) {
            guard fields.count == kCount else {
                throw InputError(file: file, line: line, "row has \(fields.count) fields, the header has \(kCount)")
            }
            guard row < p else {
                throw InputError(file: file, line: line, "more than p = \(p) coefficient rows (one row per feature)")
            }
            for (k, field) in fields.enumerated() {
                guard case .number(let v) = NumberParser.parse(bytes, field.start, field.end) else {
                    throw InputError(file: file, line: line, column: k + 1, "'\(scanner.string(field))' is not a finite number")
                }
                b[row, k] = v
            }
            row += 1
        }
        guard row == p else {
            throw InputError(file: file, "has \(row) coefficient rows, expected p = \(p) (one row per feature)")
        }
        return CoefficientFile(coefficients: b, support: nil)
    }

    static func readJSON(_ path: String, taskLabels: [String], featureCount p: Int) throws -> CoefficientFile {
        let json = try JSONValue.read(path)
        let kCount = taskLabels.count
        guard case .array(let rows)? = json["coefficients"] else {
            throw InputError(file: path, "\"coefficients\": missing or not an array of p rows")
        }
        guard rows.count == p else {
            throw InputError(file: path, "\"coefficients\": has \(rows.count) rows, expected p = \(p)")
        }
        if case .array(let tasks)? = json["tasks"], tasks != taskLabels.map({ .string($0) }) {
            throw InputError(file: path, "\"tasks\": the result's task labels differ from the data's")
        }
        var b = Matrix(rows: p, columns: kCount)
        for (j, row) in rows.enumerated() {
            guard case .array(let values) = row, values.count == kCount else {
                throw InputError(file: path, "\"coefficients\"[\(j)]: expected \(kCount) numbers (one per task)")
            }
            for (k, v) in values.enumerated() {
                guard let x = v.doubleValue, x.isFinite else {
                    throw InputError(file: path, "\"coefficients\"[\(j)][\(k)]: not a finite number")
                }
                b[j, k] = x
            }
        }
        var support: Support? = nil
        if let value = json["support"], value != .null {
            guard case .array(let lists) = value, lists.count == kCount else {
                throw InputError(file: path, "\"support\": expected \(kCount) lists of feature indices (one per task)")
            }
            var indices: [[Int]] = []
            for (k, list) in lists.enumerated() {
                guard case .array(let items) = list else { throw InputError(file: path, "\"support\"[\(k)]: not a list") }
                indices.append(try items.enumerated().map { i, item in
                    guard case .int(let j) = item, (0..<p).contains(j) else {
                        throw InputError(file: path, "\"support\"[\(k)][\(i)]: not a feature index in 0..<\(p)")
                    }
                    return j
                })
            }
            support = Support(indices)
        }
        return CoefficientFile(coefficients: b, support: support)
    }

    /// B as CSV with a header of task labels (what `read` takes).
    public static func csv(_ b: Matrix, taskLabels: [String]) -> String {
        var out = taskLabels.map(CSVWriter.field).joined(separator: ",") + "\n"
        for j in 0..<b.rows {
            out += (0..<b.columns).map { CSVWriter.number(b[j, $0]) }.joined(separator: ",") + "\n"
        }
        return out
    }
}
