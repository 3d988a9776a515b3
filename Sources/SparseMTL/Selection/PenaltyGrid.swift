/// The penalties a path or cross-validation runs through: every combination of a sparsity
/// s = 1…s_max, a Zbar weight δ and a Bbar weight λ, other settings (α, M) held fixed.
/// Points are ordered so that each is warm-started from the one before: for each λ, for each δ,
/// s increasing.
public struct PenaltyGrid: Sendable {
    /// s values, increasing.
    public var sparsities: [Int]
    /// δ values, in the order given.
    public var zbars: [Double]
    /// λ values, in the order given.
    public var bbars: [Double]

    /// A grid over s = 1…maxSparsity and the given δ and λ values.
    /// - Throws: `InputError` for s_max < 1, an empty list, or a negative or non-finite weight.
    public init(maxSparsity: Int, zbars: [Double], bbars: [Double]) throws {
        guard maxSparsity >= 1 else { throw InputError(file: "command line", "--max-sparsity must be at least 1") }
        for (flag, values) in [("--zbar-grid", zbars), ("--bbar-grid", bbars)] {
            guard !values.isEmpty else { throw InputError(file: "command line", "\(flag) is empty") }
            if let bad = values.first(where: { !($0.isFinite && $0 >= 0) }) {
                throw InputError(file: "command line", "\(flag): \(bad) is not a non-negative number")
            }
        }
        sparsities = Array(1...maxSparsity)
        self.zbars = zbars
        self.bbars = bbars
    }

    /// Every penalty of the grid, in warm-start order, with α and M from `base`.
    public func penalties(base: Penalty) -> [Penalty] {
        var out: [Penalty] = []
        for lambda in bbars {
            for delta in zbars {
                for s in sparsities {
                    out.append(Penalty(sparsity: s, ridge: base.ridge, bbar: lambda, zbar: delta, bigM: base.bigM))
                }
            }
        }
        return out
    }
}
