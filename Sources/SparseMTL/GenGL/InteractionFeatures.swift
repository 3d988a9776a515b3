import Foundation

/// The feature map of GenGL's tensor form (multilinear MTL, the seed paper's section 4.3): second-
/// order interactions and main effects as one tensor W ∈ R^{q×q×K}, q = p + 1, with
///
///     y_ki ≈ ⟨u_ki u_kiᵀ, W_k⟩,   u_ki = (1, x_ki − m_k),
///
/// where m_k is task k's mean of the p base features. Cell (a, b) of the grid is feature a·q + b of
/// the expanded data, u_a·u_b: (0, 0) is the constant (absorbed by the intercept), (0, b) and (b, 0)
/// the main effect of feature b, and (a, b) with a, b ≥ 1 the product of the centred features a and b.
/// The matrix-form solver then fits W as a q² × K matrix, and the tensor-form operators
/// (`Selector.cells`) group it by grid row, grid column or cell. Memory: the expanded designs hold
/// (p + 1)²·Σ_k n_k numbers, twice (the data and their centred copy): p = 100 and K = 10 tasks of
/// n = 100 rows give 2 × 81.6 MB.
public struct InteractionFeatures: Sendable, Equatable {
    /// The base features' names x_1 … x_p.
    public var baseNames: [String]
    /// m_k, per task (in the data's task order): the means the base features are centred at.
    public var centres: [[Double]]

    /// q = p + 1: the size of each feature mode (the constant, then the p features).
    public var modeSize: Int { baseNames.count + 1 }

    /// The centres of `dataset`'s base features, task by task.
    public init(fitting dataset: Dataset) {
        baseNames = dataset.featureNames
        centres = dataset.designs.map { x in
            (0..<x.columns).map { j in
                x.rows == 0 ? 0 : (0..<x.rows).reduce(0.0) { $0 + x[$1, j] } / Double(x.rows)
            }
        }
    }

    /// The names of the q² expanded features, cell (a, b) as "u_a*u_b" with u_0 = "1".
    public var names: [String] {
        let modes = ["1"] + baseNames
        return modes.flatMap { a in modes.map { "\(a)*\($0)" } }
    }

    /// q from the q² features of the grid.
    static func modeSize(ofGrid p: Int) -> Int {
        let q = Int(Double(p).squareRoot().rounded())
        precondition(q * q == p, "the tensor form needs q² features, got \(p)")
        return q
    }

    /// The expanded data: task k's rows mapped to u ⊗ u with u = (1, x − m_k). The data must have
    /// the base features in order and the tasks the centres were fitted on (checked by the caller).
    public func expand(_ dataset: Dataset) -> Dataset {
        precondition(dataset.featureNames == baseNames && dataset.taskCount == centres.count, "InteractionFeatures: other features or tasks")
        let q = modeSize
        let designs = dataset.designs.enumerated().map { k, x in
            var out = Matrix(rows: x.rows, columns: q * q)
            var u = [Double](repeating: 1, count: q)
            for i in 0..<x.rows {
                for j in 0..<x.columns { u[j + 1] = x[i, j] - centres[k][j] }
                for a in 0..<q { for b in 0..<q { out[i, a * q + b] = u[a] * u[b] } }
            }
            return out
        }
        var expanded = Dataset(source: dataset.source, taskLabels: dataset.taskLabels, featureNames: names, designs: designs,
                               responses: dataset.responses)
        expanded.sha256 = dataset.sha256
        expanded.taskColumn = dataset.taskColumn
        expanded.responseColumn = dataset.responseColumn
        return expanded
    }
}

extension InteractionFeatures {
    /// The map as a model file records it: `{"features": [x_1 … x_p], "centres": [[m_k] per task]}`.
    public var json: JSONValue {
        .object([("features", .array(baseNames.map { .string($0) })),
                 ("centres", .array(centres.map { .array($0.map { .number($0) }) }))])
    }

    /// Reads the record of `json`; `fail(key, why)` makes the error.
    init(json: JSONValue, taskCount: Int, fail: (String, String) -> InputError) throws {
        guard case .array(let names)? = json["features"] else { throw fail("interactions.features", "missing or not an array of names") }
        baseNames = try names.enumerated().map { j, name in
            guard case .string(let s) = name else { throw fail("interactions.features[\(j)]", "not a string") }
            return s
        }
        guard case .array(let rows)? = json["centres"], rows.count == taskCount else {
            throw fail("interactions.centres", "missing or not \(taskCount) rows (one per task)")
        }
        centres = try rows.enumerated().map { k, row in
            guard case .array(let values) = row, values.count == names.count else {
                throw fail("interactions.centres[\(k)]", "expected \(names.count) numbers (one per feature)")
            }
            return try values.enumerated().map { j, value in
                guard let x = value.doubleValue, x.isFinite else { throw fail("interactions.centres[\(k)][\(j)]", "not a finite number") }
                return x
            }
        }
    }

    /// ŷ − b0 = ⟨u uᵀ, W_k⟩ for one row x of task k, W_k column k of the q² × K coefficients.
    func predict(_ x: UnsafeBufferPointer<Double>, start: Int, task k: Int, coefficients: Matrix) -> Double {
        let q = modeSize
        var u = [Double](repeating: 1, count: q)
        for j in 0..<(q - 1) { u[j + 1] = x[start + j] - centres[k][j] }
        var value = 0.0
        for a in 0..<q where u[a] != 0 { for b in 0..<q { value += u[a] * u[b] * coefficients[a * q + b, k] } }
        return value
    }
}
