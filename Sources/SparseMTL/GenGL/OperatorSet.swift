/// One dimension's operator set of the GenGL penalty (DESIGN.md section 6): which groups of
/// indices of that dimension (features or tasks) a group norm looks at.
public enum OperatorSet: String, Sendable, CaseIterable {
    /// P_C: the whole dimension at once (one operator, the identity).
    case whole = "C"
    /// P_F: every index alone (n operators e_i).
    case each = "F"
    /// P_F²: every pair difference (n(n−1)/2 operators e_i − e_j, i < j).
    case pairs = "F2"

    /// The operators of this set over a dimension of size n.
    func selectors(_ n: Int) -> [Selector] {
        switch self {
        case .whole: return [.whole]
        case .each: return (0..<n).map { .index($0) }
        case .pairs: return (0..<n).flatMap { i in ((i + 1)..<n).map { .difference(i, $0) } }
        }
    }

    /// The largest eigenvalue of Σ_π ππᵀ restricted to the all-ones direction (`ones`) or to its
    /// orthogonal complement: I for P_C and P_F; nI − 11ᵀ for P_F², which is 0 on the ones and n off them.
    func gramEigenvalue(onOnes ones: Bool, size n: Int) -> Double {
        switch self {
        case .whole, .each: return 1
        case .pairs: return ones ? 0 : Double(n)
        }
    }
}

/// One operator π of an operator set, as the entries it combines.
enum Selector: Sendable, Equatable {
    /// The identity: all n entries.
    case whole
    /// e_i: entry i.
    case index(Int)
    /// e_i − e_j.
    case difference(Int, Int)
    /// Entries start + r·stride for outputs r = 0 ..< count: the tensor form's feature operators
    /// (`cells(row:column:size:)`).
    case strided(start: Int, stride: Int, count: Int)

    /// The tensor form's feature operators π_1 ⊗ π_2 (π_1, π_2 from P_C or P_F over a mode of size
    /// q; the features are the q² cells (a, b) of the feature-pair grid, flat index a·q + b): the cells
    /// of grid row `row` (nil: every row) and grid column `column` (nil: every column).
    static func cells(row: Int?, column: Int?, size q: Int) -> Selector {
        switch (row, column) {
        case (nil, nil): return .strided(start: 0, stride: 1, count: q * q)
        case (let a?, nil): return .strided(start: a * q, stride: 1, count: q)
        case (nil, let b?): return .strided(start: b, stride: q, count: q)
        case (let a?, let b?): return .strided(start: a * q + b, stride: 0, count: 1)
        }
    }

    /// The number of outputs (columns of π): n for the identity, 1 for one entry or a difference.
    func width(_ n: Int) -> Int {
        switch self {
        case .whole: return n
        case .index, .difference: return 1
        case .strided(_, _, let count): return count
        }
    }

    /// Calls `body(index, sign)` for the entries that make output `r`.
    @inline(__always)
    func forEach(output r: Int, _ body: (Int, Double) -> Void) {
        switch self {
        case .whole: body(r, 1)
        case .index(let i): body(i, 1)
        case .difference(let i, let j): body(i, 1); body(j, -1)
        case .strided(let start, let stride, _): body(start + r * stride, 1)
        }
    }
}
