/// Settings of the exact solver, with their defaults in one place.
public struct ExactSettings: Sendable {
    /// Stop when (UB − LB)/max(|UB|, 1e-10) ≤ this. Values below `smallestGap` are raised to it.
    public var relativeGap = 1e-4
    /// The smallest gap that can be certified: LB carries a 10⁻⁹ relative safety margin and integer
    /// points accept cuts violated by less than 10⁻¹⁰ relative.
    public static let smallestGap = 1e-8
    /// Stop after this many seconds with the best incumbent and bound so far.
    public var timeLimitSeconds: Double? = nil
    /// Zbar encoding in the master; nil chooses edges (the stronger LP relaxation).
    public var zbarEncoding: ZbarEncoding? = nil
    /// Most rounds of the root cutting-plane loop on the LP relaxation.
    public var rootRounds = 500
    /// Cuts at fractional nodes of the tree (from the perspective relaxation at the node's point).
    public var nodeCuts = true
    /// Most rounds of cuts at one fractional node (each round re-solves the node's LP).
    public var nodeCutRounds = 2
    /// A cut at a fractional node is added only when violated by more than this, relative to max(1, |h|).
    public var nodeCutTolerance = 1e-4
    /// After the root loop, fix z_jk whose root reduced cost proves that flipping them cannot beat
    /// the incumbent (`Master.fixByReducedCost`).
    public var reducedCostFixing = true
    /// Seconds between log lines (a line is also printed at every new incumbent).
    public var logIntervalSeconds = 5.0
    /// The heuristic that provides the warm start.
    public var heuristic = HeuristicSettings()
    /// A cut at a fractional root point is added when violated by more than this, relative to max(1, |h|).
    public var cutTolerance = 1e-7
    /// The same at integer points, where the cut is exact and tight (so GLPK's incumbent value is F).
    public var integerCutTolerance = 1e-10

    public init() {}
}
