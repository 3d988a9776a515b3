/// A dense real matrix stored column by column (column-major, leading dimension = `rows`),
/// the layout BLAS and LAPACK expect. Entry (i, j) lives at `storage[i + j * rows]`.
public struct Matrix: Equatable, Sendable {
    /// Number of rows (m).
    public let rows: Int
    /// Number of columns (n).
    public let columns: Int
    /// The m·n entries in column-major order.
    public var storage: [Double]

    /// An m × n matrix with every entry equal to `value`.
    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0, "Matrix dimensions must be non-negative")
        self.rows = rows
        self.columns = columns
        self.storage = [Double](repeating: value, count: rows * columns)
    }

    /// An m × n matrix over the given column-major entries (`storage.count == rows * columns`).
    public init(rows: Int, columns: Int, columnMajor storage: [Double]) {
        precondition(storage.count == rows * columns, "Matrix storage has \(storage.count) entries, expected \(rows)×\(columns)")
        self.rows = rows
        self.columns = columns
        self.storage = storage
    }

    /// A matrix from its rows, given as arrays of equal length (convenient in tests).
    public init(rowArrays: [[Double]]) {
        let m = rowArrays.count
        let n = rowArrays.first?.count ?? 0
        self.init(rows: m, columns: n)
        for (i, row) in rowArrays.enumerated() {
            precondition(row.count == n, "Ragged row \(i) in Matrix(rowArrays:)")
            for j in 0..<n { self[i, j] = row[j] }
        }
    }

    /// The n × n identity.
    public static func identity(_ n: Int) -> Matrix {
        var eye = Matrix(rows: n, columns: n)
        for i in 0..<n { eye[i, i] = 1 }
        return eye
    }

    /// Entry (i, j), 0-based.
    @inlinable
    public subscript(i: Int, j: Int) -> Double {
        get { storage[i + j * rows] }
        set { storage[i + j * rows] = newValue }
    }

    /// Column j as a new array.
    public func column(_ j: Int) -> [Double] {
        Array(storage[(j * rows)..<((j + 1) * rows)])
    }

    /// Replaces column j.
    public mutating func setColumn(_ j: Int, _ values: [Double]) {
        precondition(values.count == rows, "Column has \(values.count) entries, expected \(rows)")
        storage.replaceSubrange((j * rows)..<((j + 1) * rows), with: values)
    }

    /// The transpose Aᵀ.
    public var transposed: Matrix {
        var t = Matrix(rows: columns, columns: rows)
        for j in 0..<columns {
            for i in 0..<rows { t[j, i] = self[i, j] }
        }
        return t
    }

    /// The submatrix made of the listed columns, in the order given: A[:, cols].
    public func columns(_ cols: [Int]) -> Matrix {
        var sub = Matrix(rows: rows, columns: cols.count)
        for (c, j) in cols.enumerated() {
            sub.storage.replaceSubrange((c * rows)..<((c + 1) * rows), with: storage[(j * rows)..<((j + 1) * rows)])
        }
        return sub
    }

    /// The Frobenius norm ‖A‖_F.
    public var frobeniusNorm: Double { Vector.norm(storage) }
}
