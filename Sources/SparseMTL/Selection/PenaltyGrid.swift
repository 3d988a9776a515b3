/// The penalties a path or cross-validation runs through: every combination of a sparsity s, a
/// ridge α, a Zbar weight δ and a Bbar weight λ (the box M held fixed). s = 0 is the
/// intercept-only model (B = 0).
///
/// Each list is sorted increasing, without repeats. Points are ordered so that each can be
/// warm-started from a neighbour: for each λ, for each δ, for each α, s increasing
/// (`SolutionPath`).
public struct PenaltyGrid: Sendable, Equatable {
    /// s values, increasing (0 allowed).
    public var sparsities: [Int]
    /// α values, increasing.
    public var ridges: [Double]
    /// δ values, increasing.
    public var zbars: [Double]
    /// λ values, increasing.
    public var bbars: [Double]

    /// A grid over the given values (sorted, repeats dropped).
    /// - Throws: `InputError` for an empty list, a negative s, or a negative or non-finite weight.
    public init(sparsities: [Int], ridges: [Double], zbars: [Double], bbars: [Double]) throws {
        guard !sparsities.isEmpty else { throw InputError(file: "command line", "the sparsity grid is empty") }
        if let bad = sparsities.first(where: { $0 < 0 }) {
            throw InputError(file: "command line", "sparsity \(bad) in the grid: must be at least 0")
        }
        for (flag, values) in [("--ridge-grid", ridges), ("--zbar-grid", zbars), ("--bbar-grid", bbars)] {
            guard !values.isEmpty else { throw InputError(file: "command line", "\(flag) is empty") }
            if let bad = values.first(where: { !($0.isFinite && $0 >= 0) }) {
                throw InputError(file: "command line", "\(flag): \(bad) is not a non-negative number")
            }
        }
        self.sparsities = Array(Set(sparsities)).sorted()
        self.ridges = Array(Set(ridges)).sorted()
        self.zbars = Array(Set(zbars)).sorted()
        self.bbars = Array(Set(bbars)).sorted()
    }

    /// A grid over s = 1…maxSparsity with one α and the given δ and λ values.
    /// - Throws: `InputError` for s_max < 1 or a bad list.
    public init(maxSparsity: Int, ridge: Double = 0, zbars: [Double], bbars: [Double]) throws {
        guard maxSparsity >= 1 else { throw InputError(file: "command line", "--max-sparsity must be at least 1") }
        try self.init(sparsities: Array(1...maxSparsity), ridges: [ridge], zbars: zbars, bbars: bbars)
    }

    /// The (α, δ, λ) combinations in path order (s varies inside each).
    public var combinations: [(ridge: Double, zbar: Double, bbar: Double)] {
        bbars.flatMap { lambda in zbars.flatMap { delta in ridges.map { (ridge: $0, zbar: delta, bbar: lambda) } } }
    }

    /// Number of points.
    public var count: Int { sparsities.count * ridges.count * zbars.count * bbars.count }

    /// Every penalty of the grid, in path order, with M from `base`.
    public func penalties(base: Penalty) -> [Penalty] {
        combinations.flatMap { c in
            sparsities.map { Penalty(sparsity: $0, ridge: c.ridge, bbar: c.bbar, zbar: c.zbar, bigM: base.bigM) }
        }
    }
}

extension PenaltyGrid {
    /// Warnings for a chosen penalty on an edge of the grid that could be extended: the largest s
    /// when s < p, or the largest value of a penalty's grid (when it has more than one). A choice on
    /// an edge suggests the best model may lie beyond it.
    public func edges(of penalty: Penalty, featureCount p: Int) -> [String] {
        var warnings: [String] = []
        if sparsities.count > 1, penalty.sparsity == sparsities.last, penalty.sparsity < p {
            warnings.append("s = \(penalty.sparsity) is the largest s of the grid (p = \(p)); raise --max-sparsity to look further")
        }
        for (name, flag, value, values) in [("α", "--ridge-grid", penalty.ridge, ridges), ("δ", "--zbar-grid", penalty.zbar, zbars),
                                            ("λ", "--bbar-grid", penalty.bbar, bbars)]
        where values.count > 1 && value == values.last {
            warnings.append("\(name) = \(value) is the largest value of \(flag); larger values may fit better")
        }
        return warnings
    }
}
