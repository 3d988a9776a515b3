import Foundation
@testable import SparseMTL

/// Random matrices and vectors for tests, from the project's seeded generator.
extension SeededRandom {
    mutating func matrix(_ rows: Int, _ columns: Int) -> Matrix {
        Matrix(rows: rows, columns: columns, columnMajor: (0..<(rows * columns)).map { _ in normal() })
    }

    mutating func vector(_ count: Int) -> [Double] { (0..<count).map { _ in normal() } }
}

/// A fresh temporary folder for files a test writes; removed when the value is released.
final class TemporaryFolder {
    let url: URL

    init() {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("sparsemtl-test-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// Writes `text` to `name` inside the folder and returns the path.
    @discardableResult
    func write(_ name: String, _ text: String) -> String {
        let path = url.appendingPathComponent(name).path
        try! text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }
}

/// |a − b| ≤ tolerance · max(1, |a|, |b|).
func close(_ a: Double, _ b: Double, relative tolerance: Double) -> Bool {
    abs(a - b) <= tolerance * max(1, abs(a), abs(b))
}

/// Parses CSV text as the long data format.
func dataset(_ csv: String, file: String = "test.csv", reader: LongCSVReader = LongCSVReader()) throws -> Dataset {
    let bytes = Array(csv.utf8)
    return try bytes.withUnsafeBufferPointer { try reader.parse($0, file: file) }
}
