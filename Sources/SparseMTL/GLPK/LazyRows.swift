/// Rows lower ≤ Σ c_i x_i of a MILP held outside GLPK's LP, to be added only where a point violates
/// them (`GLPKProblem.proveLowerBound(_:timeLimitSeconds:lazy:)`). With the rows kept out, every LP
/// GLPK solves relaxes the MILP that has them all, so every bound it proves holds for that MILP too.
public struct LazyRows {
    /// One row: lower ≤ Σ coefficients[t] · x[columns[t]].
    public struct Row: Sendable {
        public var columns: [Int]
        public var coefficients: [Double]
        public var lower: Double

        public init(columns: [Int], coefficients: [Double], lower: Double) {
            precondition(columns.count == coefficients.count, "LazyRows.Row: one coefficient per column")
            self.columns = columns
            self.coefficients = coefficients
            self.lower = lower
        }

        /// lower − Σ c_i x_i: positive when x violates the row.
        public func shortfall(at x: [Double]) -> Double {
            var activity = 0.0
            for t in columns.indices { activity += coefficients[t] * x[columns[t]] }
            return lower - activity
        }

        /// The shortfall relative to max(1, |lower|), less `tolerance`: positive when x violates
        /// the row by more than that.
        public func violation(at x: [Double], tolerance: Double) -> Double {
            shortfall(at: x) / max(1, abs(lower)) - tolerance
        }
    }

    public var rows: [Row]

    /// Optional: rows derived on demand at a node, given its LP point and its column bounds (lower,
    /// upper), when the pool has none to add. They must be valid inequalities of the problem the
    /// bound is about (not only of the node); they join the pool.
    public var separate: Separation?
    public typealias Separation = (_ x: [Double], _ lower: [Double], _ upper: [Double]) -> [Row]

    public init(_ rows: [Row] = [], separate: Separation? = nil) {
        self.rows = rows
        self.separate = separate
    }

    /// The indices of the rows that x violates by more than `tolerance` relative to max(1, |lower|),
    /// at most `limit` of them, the most violated (relative) first.
    public func mostViolated(at x: [Double], tolerance: Double, limit: Int) -> [Int] {
        largestPositive(count: rows.count, limit: limit) { rows[$0].violation(at: x, tolerance: tolerance) }
    }

    /// The first row that x violates by more than `tolerance` relative to max(1, |lower|), with its
    /// activity; nil when x satisfies every row.
    public func firstViolated(at x: [Double], tolerance: Double) -> (row: Int, activity: Double, lower: Double)? {
        guard let i = rows.firstIndex(where: { $0.violation(at: x, tolerance: tolerance) > 0 }) else { return nil }
        return (i, rows[i].lower - rows[i].shortfall(at: x), rows[i].lower)
    }
}
