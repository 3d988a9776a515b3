import Foundation

extension LongCSVReader {
    /// The shared-design form (`responseColumns`): every row is an observation of every task,
    /// with one response column per task. The tasks are named by their response columns and share
    /// one design matrix (one copy in memory until a task's is changed).
    func parseShared(_ scanner: inout CSVScanner, header: [String], layout: ColumnLayout, headerLine: Int) throws -> Dataset {
        let file = scanner.file
        let p = layout.featureColumns.count, kCount = layout.responseColumns.count
        var features: [Double] = []  // row-major
        var responses = [[Double]](repeating: [], count: kCount)
        var fields: [CSVScanner.Field] = []
        while let line = try scanner.nextRecord(into: &fields) {
            guard fields.count == header.count else {
                throw InputError(file: file, line: line, "row has \(fields.count) fields, the header has \(header.count)")
            }
            for (k, column) in layout.responseColumns.enumerated() {
                responses[k].append(try scanner.number(fields[column], column: column, header: header, line: line))
            }
            for column in layout.featureColumns {
                features.append(try scanner.number(fields[column], column: column, header: header, line: line))
            }
        }
        let n = responses[0].count
        guard n >= minimumRowsPerTask else {
            throw InputError(file: file, line: headerLine, "the file has \(n) data row\(n == 1 ? "" : "s"); each task needs at least \(minimumRowsPerTask)")
        }
        var design = Matrix(rows: n, columns: p)
        design.storage.withUnsafeMutableBufferPointer { out in
            for i in 0..<n { for j in 0..<p { out[i + j * n] = features[i * p + j] } }
        }
        return Dataset(source: file, taskLabels: layout.responseColumns.map { header[$0] }, featureNames: layout.featureColumns.map { header[$0] },
                       designs: [Matrix](repeating: design, count: kCount), responses: responses)
    }
}
