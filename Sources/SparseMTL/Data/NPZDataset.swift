import Foundation

extension Dataset {
    /// Reads multi-task data from a NumPy `.npz` archive (`NPZArchive`), the binary exchange
    /// format for programs (no digit is lost). Two layouts:
    /// - long form: `X` (n × p), `y` (n) and `task` (n labels, text or integers);
    /// - shared design (multi-output): `X` (n × p) and `Y` (n × K), one task per column of Y, all
    ///   with the same rows; optional `tasks` (K names, default y1 … yK).
    /// Optional `features` (p names, default x1 … xp). Numbers may be float64, float32 or integers.
    /// - Throws: `InputError` naming the file and array for a missing or misshapen array, a NaN or
    ///   infinite value (with its row and column), or a task with fewer than 2 rows.
    public static func readNPZ(_ path: String) throws -> Dataset {
        let data = try FileIO.read(path)
        let archive = try NPZArchive.parse(data, file: path)
        func fail(_ why: String) -> InputError { InputError(file: path, why) }
        func numbers(_ key: String, dimensions: Int) throws -> NPYArray {
            guard let array = archive.arrays[key] else { throw fail("no array '\(key)' (arrays: \(archive.arrays.keys.sorted().joined(separator: ", ")))") }
            guard array.shape.count == dimensions else { throw fail("'\(key)' has shape \(array.shape), expected \(dimensions) dimension\(dimensions == 1 ? "" : "s")") }
            guard array.isNumeric else { throw fail("'\(key)' holds text, expected numbers") }
            // The CSV reader's rule for every value (`NumberParser.check`).
            if let bad = array.withNumbers({ v in (0..<array.count).first { if case .number = NumberParser.check(v[$0]) { false } else { true } } }) {
                let columns = dimensions == 2 ? array.shape[1] : 1
                let place = "'\(key)' row \(bad / columns + 1)\(dimensions == 2 ? ", column \(bad % columns + 1)" : "")"
                let value = array.withNumbers { $0[bad] }
                throw fail(value.isFinite ? "\(place) is \(value), out of range: magnitudes from 1e-300 to 1e150 (or 0) are read"
                                          : "\(place) is NaN or infinite")
            }
            return array
        }
        func names(_ key: String, count: Int, default prefix: String) throws -> [String] {
            guard let array = archive.arrays[key] else { return (0..<count).map { "\(prefix)\($0 + 1)" } }
            let given = labels(array)
            guard given.count == count else { throw fail("'\(key)' has \(given.count) names, expected \(count)") }
            return given
        }
        func labels(_ array: NPYArray) -> [String] {
            if let strings = array.strings { return strings }
            return array.numbers!.map { $0 == $0.rounded() && abs($0) < 1e15 ? String(Int($0)) : "\($0)" }  // integer labels
        }
        let x = try numbers("X", dimensions: 2)
        let (n, p) = (x.shape[0], x.shape[1])
        let features = try names("features", count: p, default: "x")
        guard p > 0 else { throw fail("'X' has no columns") }
        // The column-major design made of the given rows of X.
        func design(rows: [Int]) -> Matrix {
            var m = Matrix(rows: rows.count, columns: p)
            x.withNumbers { v in
                m.storage.withUnsafeMutableBufferPointer { out in
                    for (i, r) in rows.enumerated() { for j in 0..<p { out[i + j * rows.count] = v[r * p + j] } }
                }
            }
            return m
        }
        var dataset: Dataset
        if archive.arrays["Y"] != nil {
            let y = try numbers("Y", dimensions: 2)
            guard y.shape[0] == n else { throw fail("'Y' has \(y.shape[0]) rows, 'X' has \(n)") }
            let kCount = y.shape[1]
            let tasks = try names("tasks", count: kCount, default: "y")
            guard n >= 2 else { throw fail("'X' has \(n) row\(n == 1 ? "" : "s"); each task needs at least 2") }
            let shared = design(rows: Array(0..<n))  // one design for every task (copied only when changed)
            let responses = y.withNumbers { v in (0..<kCount).map { k in (0..<n).map { v[$0 * kCount + k] } } }
            dataset = Dataset(source: path, taskLabels: tasks, featureNames: features,
                              designs: [Matrix](repeating: shared, count: kCount), responses: responses)
        } else {
            let y = try numbers("y", dimensions: 1)
            guard let task = archive.arrays["task"], task.shape == [n] else {
                throw fail("needs 'task' (n = \(n) labels) beside 'X' and 'y', or a shared-design 'Y' (n × K)")
            }
            guard y.shape[0] == n else { throw fail("'y' has \(y.shape[0]) values, 'X' has \(n) rows") }
            let rowLabels = labels(task)
            var order: [String] = [], rowsOf: [String: [Int]] = [:]
            for (i, label) in rowLabels.enumerated() {
                if rowsOf[label] == nil { order.append(label) }
                rowsOf[label, default: []].append(i)
            }
            if let small = order.first(where: { rowsOf[$0]!.count < 2 }) {
                throw fail("task '\(small)' has \(rowsOf[small]!.count) row; each task needs at least 2")
            }
            dataset = Dataset(source: path, taskLabels: order, featureNames: features,
                              designs: order.map { design(rows: rowsOf[$0]!) },
                              responses: y.withNumbers { v in order.map { label in rowsOf[label]!.map { v[$0] } } })
        }
        dataset.sha256 = FileIO.sha256(of: data)
        return dataset
    }
}
