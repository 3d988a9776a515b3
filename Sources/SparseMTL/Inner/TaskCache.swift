/// Per-task quantities every fit and move score reuses, computed once: n_k, ‖ỹ_k‖², X̃_kᵀỹ_k and
/// the column norms ‖x_jk‖², plus Gram columns X̃_kᵀx_jk. For p ≤ `denseGramFeatures` and a
/// budget of at least p columns the whole Gram matrix X̃_kᵀX̃_k is formed once (one dsyrk);
/// otherwise columns are computed on demand and kept while the budget allows.
public final class TaskCache {
    /// X̃_k (n_k × p), centred.
    public let design: Matrix
    /// ỹ_k, centred.
    public let response: [Double]
    /// n_k as a Double.
    public let n: Double
    /// ‖ỹ_k‖².
    public let responseNormSquared: Double
    /// X̃_kᵀỹ_k (p).
    public let correlation: [Double]
    /// ‖x_jk‖² for every feature j (p).
    public let columnNormSquared: [Double]
    /// The most Gram columns kept at once.
    let gramBudget: Int
    private var gram: [Int: [Double]] = [:]
    /// The columns of X̃_kᵀX̃_k when formed whole (arrays, so `gramColumn` hands one out uncopied).
    private let dense: [[Double]]?
    /// The largest p for which the whole Gram matrix is formed.
    public static let denseGramFeatures = 512

    /// Precomputes the per-task quantities; at most `gramBudget` Gram columns are cached.
    public init(design: Matrix, response: [Double], gramBudget: Int) {
        self.design = design
        self.response = response
        n = Double(design.rows)
        responseNormSquared = Vector.dot(response, response)
        correlation = BLAS.multiply(design, response, .transpose)
        columnNormSquared = (0..<design.columns).map { Vector.dot(design.storage, design.rows * $0, design.storage, design.rows * $0, count: design.rows) }
        self.gramBudget = max(gramBudget, 1)
        let p = design.columns
        if p <= Self.denseGramFeatures && gramBudget >= p {
            let whole = BLAS.gram(design)
            dense = (0..<p).map(whole.column)
        } else {
            dense = nil
        }
    }

    /// X̃_kᵀx_jk (p), from the cache or one gemv.
    public func gramColumn(_ j: Int) -> [Double] {
        if let dense { return dense[j] }
        if let column = gram[j] { return column }
        let column = BLAS.multiply(design, design.column(j), .transpose)
        if gram.count >= gramBudget { gram.removeAll(keepingCapacity: true) }
        gram[j] = column
        return column
    }

    /// Makes sure the Gram columns of `features` are cached, computing the missing ones in one gemm.
    public func prefetch(_ features: [Int]) {
        guard dense == nil else { return }
        let missing = features.filter { gram[$0] == nil }
        guard !missing.isEmpty else { return }
        if gram.count + missing.count > gramBudget { gram.removeAll(keepingCapacity: true) }
        let block = BLAS.multiply(design, design.columns(missing), .transpose)
        for (c, j) in missing.enumerated() { gram[j] = block.column(c) }
    }

    /// G_SS = (X̃_kᵀX̃_k)_{S,S} for a support S (m × m, both triangles), read straight from the
    /// whole Gram matrix when it is formed.
    public func gramBlock(_ support: [Int]) -> Matrix {
        let m = support.count
        var block = Matrix(rows: m, columns: m)
        guard let dense else {
            for (a, i) in support.enumerated() {
                for b in a..<m { let v = gram(i, support[b]); block[a, b] = v; block[b, a] = v }
            }
            return block
        }
        block.storage.withUnsafeMutableBufferPointer { out in
            for (b, j) in support.enumerated() {
                dense[j].withUnsafeBufferPointer { column in
                    for (a, i) in support.enumerated() { out[a + b * m] = column[i] }
                }
            }
        }
        // The diagonal as `gram(i, i)` gives it (the column norms), so fits agree with or without it.
        for (a, i) in support.enumerated() { block[a, a] = columnNormSquared[i] }
        return block
    }

    /// (X̃_kᵀX̃_k)_{ij}: the column norm on the diagonal, else from whichever of the two Gram columns
    /// is cached, else one O(n) dot product (a candidate's whole column is never computed just
    /// to score it).
    public func gram(_ i: Int, _ j: Int) -> Double {
        if i == j { return columnNormSquared[i] }
        if let dense { return dense[j][i] }
        if let column = gram[j] { return column[i] }
        if let column = gram[i] { return column[j] }
        return Vector.dot(design.storage, design.rows * i, design.storage, design.rows * j, count: design.rows)
    }
}
