/// Z, the supports: for each task k the sorted 0-based indices j with z_jk = 1.
public struct Support: Equatable, Sendable {
    /// Per task, the selected feature indices in increasing order.
    public private(set) var indices: [[Int]]

    /// A support from per-task index lists (sorted and de-duplicated here).
    public init(_ indices: [[Int]]) {
        self.indices = indices.map { Array(Set($0)).sorted() }
    }

    /// The support of B: z_jk = 1 exactly where β_jk ≠ 0.
    public init(of coefficients: Matrix) {
        indices = (0..<coefficients.columns).map { k in
            (0..<coefficients.rows).filter { coefficients[$0, k] != 0 }
        }
    }

    /// Number of tasks K.
    public var taskCount: Int { indices.count }

    /// Σ_j z_jk, the support size of task k.
    public func size(_ k: Int) -> Int { indices[k].count }

    /// Z as a p × K matrix of zeros and ones.
    public func binary(featureCount p: Int) -> Matrix {
        var z = Matrix(rows: p, columns: indices.count)
        for (k, list) in indices.enumerated() { for j in list { z[j, k] = 1 } }
        return z
    }
}
