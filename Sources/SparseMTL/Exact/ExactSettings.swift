/// Settings of the exact solver, with their defaults in one place.
public struct ExactSettings: Sendable {
    /// Stop when (UB − LB)/max(|UB|, 1e-10) ≤ this. Values below `smallestGap` are raised to it.
    public var relativeGap = 1e-4
    /// Solve in units where F₀ ≈ 1 and the features' entries are near 1 (`ProblemScaling`: exact
    /// powers of two). The task decomposition's single-task solves keep their parent's units.
    public var rescale = true
    /// Problems whose `SupportEnumeration.work` is at most this are bounded by enumerating every
    /// support (`ExactSolver.enumerate`); 0 leaves every bound to the LP and the tree (the fuzz's
    /// `--tree-only` runs measure that path on problems small enough to check).
    public var enumerationLimit = Verifier.enumerationLimit
    /// Shifted cuts (`PerspectiveShift`, λ = 0): the perspective on (α + d_k)β_j² with
    /// d_k = 0.95·λ_min(X̃_kᵀX̃_k/n_k), where that is positive (n_k > p).
    public var perspectiveShift = true
    /// Restricted shifted cuts at nodes (`DualPoint.Restriction`, λ = 0): where a node's fixings
    /// leave fewer free features than rows, the node's relaxation is shifted by 0.95·λ_min(G_FF).
    public var restrictedShift = true
    /// The implied box (`ImpliedBox`, α > 0): the dual bounds assume |β_jk| ≤ √(F(incumbent)/α),
    /// which every B at least as good as the incumbent satisfies; it pays where no box M is set.
    public var impliedBox = true
    /// The smallest gap that can be certified: LB carries a 5·10⁻⁹ relative safety margin
    /// (`ExactSolver.safetyMargin`), task bounds of the decomposition carry their own (so two can
    /// stack), and integer points accept cuts violated by less than 10⁻¹⁰ relative.
    public static let smallestGap = 2e-8
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
    /// Frank–Wolfe iterations on each task's perspective relaxation at a fractional node (λ = 0),
    /// whose best dual point gives the node's cut (`NodeRelaxation`); 0 cuts at the LP point instead.
    /// Measured (box M = 10): a K = 1, p = 50, n = 50 problem at α = 0.01 certified in 10.3 s with
    /// 10 iterations, 5.9 s with 20, 3.6 s with 30, 4.8 s with 50; at α = 0.1 and 1 on the ladder
    /// 30 was never slower than 10.
    public var nodeRelaxationIterations = 30
    /// A cut at a fractional node is added only when violated by more than this, relative to max(1, |h|).
    public var nodeCutTolerance = 1e-4
    /// With λ = 0 and K ≥ 2, after the root loop: solve each task alone with the root LP's
    /// Lagrangian costs for the Zbar term and add its certified bound as a row (`TaskDecomposition`).
    public var taskDecomposition = true
    /// The task decomposition runs only when the root leaves a larger gap than this: below it the
    /// tree closes the gap faster (ladder-K10-p100-n500, α = 1, root gap 0.13 %: 0.9 s without,
    /// 2.2 s with; K2-p250-n50, root gap 2.4 %: 56 s without, 1.2–5 s with).
    public var taskDecompositionGap = 5e-3
    /// Most rounds of the task decomposition (each with new prices, `prices`); measured with
    /// subgradient prices on ladder-K5-p250-n100 (α = 1), rounds 1–4 took the bound from 64.91 to
    /// 65.08, 65.11, 65.12 (UB 65.39).
    public var taskDecompositionRounds = 10
    /// The share of the time left after the root that the task decomposition's rounds may use (with
    /// a time limit); branch and cut gets the rest. On ladder-K5-p250-n100, α = 1, 60 s, a half left
    /// the first round 25 s, and its slowest task needs 17–20 s after the others (more on a busy
    /// machine). Against 3/4, 0.9 left no ladder instance worse at 60 s and K10-p100-n500 at α = 0.01
    /// (box 10) at 3.4–3.8 % instead of 5.6–8.7 %: branch and cut on the joint master gains little
    /// in the last tenth once the rounds have run out of time.
    public var taskDecompositionTimeShare = 0.9
    /// Where the task decomposition's prices come from: column generation with the heuristic as
    /// pricing (`ColumnGeneration`, the default) or Polyak subgradient steps from the root LP's duals.
    public var prices = TaskPrices.columnGeneration
    /// After the root loop, fix z_jk whose root reduced cost proves that flipping them cannot beat
    /// the incumbent (`Master.fixByReducedCost`).
    public var reducedCostFixing = true
    /// GLPK's branching rule. Most-fractional by default: against GLPK's own default (Driebeek–Tomlin),
    /// measured with box M = 10 on the ladder: K2-p50 α = 0.1 certified in 1.2 s instead of 5.2 s,
    /// K3-p100 α = 0.1 in 5.2 s instead of 25.7 s, K2-p20 α = 0.01 in 0.3 s instead of 4.6 s, and
    /// after 20–30 s K10-p100 α = 0.1 at 0.39 % instead of 0.88 % and K2-p250 α = 1 at 1.36 %
    /// instead of 1.55 %; no instance was worse.
    public var branching = Branching.mostFractional
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

/// How the task decomposition prices the Zbar coupling (`ExactSettings.prices`).
public enum TaskPrices: String, CaseIterable, Sendable {
    /// The duals of a Dantzig–Wolfe restricted master over the supports found so far, priced by
    /// the heuristic (`ColumnGeneration`).
    case columnGeneration = "columns"
    /// The root LP's row duals, then projected subgradient steps (Polyak's rule) from the exact
    /// task solutions of each round (`TaskDecomposition`).
    case subgradient
}
