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

/// x solving A x = b (A square, rows of `a`), by Gaussian elimination with partial pivoting:
/// an oracle independent of the package's Cholesky.
func denseSolve(_ a: [[Double]], _ b: [Double]) -> [Double] {
    let n = b.count
    var m = zip(a, b).map { $0 + [$1] }
    for col in 0..<n {
        let pivot = (col..<n).max { abs(m[$0][col]) < abs(m[$1][col]) }!
        m.swapAt(col, pivot)
        for r in 0..<n where r != col {
            let factor = m[r][col] / m[col][col]
            if factor != 0 { for c in col...n { m[r][c] -= factor * m[col][c] } }
        }
    }
    return (0..<n).map { m[$0][n] / m[$0][$0] }
}
