/// A mixed-integer quadratic model in the shape MPS files carry it:
///
///     minimise   c₀ + cᵀx + Σ_{i≤j} q_ij x_i x_j
///     subject to aᵣᵀx + Σ_{i≤j} qʳ_ij x_i x_j  (≤ | ≥ | =)  bᵣ   for every row r,
///                lower ≤ x ≤ upper,  x_i integer where marked.
///
/// Quadratic terms are stored as monomials (coefficient of x_i x_j, i ≤ j, duplicates summed);
/// `MPSWriter` turns them into the QUADOBJ and QCMATRIX conventions.
public struct QuadraticModel: Sendable {
    /// One variable.
    public struct Column: Sendable {
        public var name: String
        public var lower: Double
        public var upper: Double
        public var integer: Bool
        /// c_i, its linear objective coefficient.
        public var cost: Double
    }

    /// The relation of a row to its right-hand side.
    public enum Sense: Sendable { case lessOrEqual, greaterOrEqual, equal }

    /// One quadratic term: `coefficient` · x_i x_j with i ≤ j.
    public struct Monomial: Sendable, Equatable {
        public var i: Int
        public var j: Int
        public var coefficient: Double
    }

    /// One constraint (linear, or quadratic when `quadratic` is not empty).
    public struct Row: Sendable {
        public var name: String
        public var sense: Sense
        public var rhs: Double
        public var linear: [(column: Int, coefficient: Double)]
        public var quadratic: [Monomial]
    }

    public var name: String
    public var columns: [Column] = []
    public var rows: [Row] = []
    /// c₀: the objective's constant term.
    public var objectiveConstant = 0.0
    private var objectiveTerms: [UInt64: Double] = [:]

    public init(name: String) { self.name = name }

    /// Adds a variable and returns its index.
    @discardableResult
    public mutating func addColumn(_ name: String, lower: Double = 0, upper: Double = .infinity, integer: Bool = false,
                                   cost: Double = 0) -> Int {
        columns.append(Column(name: name, lower: lower, upper: upper, integer: integer, cost: cost))
        return columns.count - 1
    }

    /// Adds a constraint and returns its index.
    @discardableResult
    public mutating func addRow(_ name: String, _ sense: Sense, _ rhs: Double, linear: [(column: Int, coefficient: Double)],
                                quadratic: [Monomial] = []) -> Int {
        rows.append(Row(name: name, sense: sense, rhs: rhs, linear: linear, quadratic: quadratic))
        return rows.count - 1
    }

    /// Adds `coefficient` · x_i x_j to the objective.
    public mutating func addObjectiveTerm(_ i: Int, _ j: Int, _ coefficient: Double) {
        guard coefficient != 0 else { return }
        let (a, b) = i <= j ? (i, j) : (j, i)
        objectiveTerms[UInt64(a) << 32 | UInt64(b), default: 0] += coefficient
    }

    /// The objective's quadratic monomials, ordered by (i, j).
    public var objectiveQuadratic: [Monomial] {
        objectiveTerms.sorted { $0.key < $1.key }.compactMap { key, value in
            value == 0 ? nil : Monomial(i: Int(key >> 32), j: Int(key & 0xffff_ffff), coefficient: value)
        }
    }

    /// The objective at `x`.
    public func objective(at x: [Double]) -> Double {
        var value = objectiveConstant
        for (i, column) in columns.enumerated() { value += column.cost * x[i] }
        for (key, q) in objectiveTerms { value += q * x[Int(key >> 32)] * x[Int(key & 0xffff_ffff)] }
        return value
    }

    /// The largest violation of a bound, an integrality or a row at `x` (0 when `x` is feasible).
    public func violation(at x: [Double]) -> Double {
        var worst = 0.0
        for (i, column) in columns.enumerated() {
            worst = max(worst, column.lower - x[i], x[i] - column.upper)
            if column.integer { worst = max(worst, abs(x[i] - x[i].rounded())) }
        }
        for row in rows {
            var activity = 0.0
            for (j, a) in row.linear { activity += a * x[j] }
            for m in row.quadratic { activity += m.coefficient * x[m.i] * x[m.j] }
            switch row.sense {
            case .lessOrEqual: worst = max(worst, activity - row.rhs)
            case .greaterOrEqual: worst = max(worst, row.rhs - activity)
            case .equal: worst = max(worst, abs(activity - row.rhs))
            }
        }
        return worst
    }
}
