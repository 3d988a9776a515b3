import Foundation
import _CGLPK
import CGLPKGuard

/// The branch-and-cut tree as a callback sees it (GLPK's glp_tree), with 0-based columns.
/// Valid only during the callback it is handed to.
public struct GLPKTree {
    /// Why GLPK called back.
    public enum Reason: Sendable {
        /// GLP_IROWGEN: the node's LP is solved; lazy rows may be added (also at fractional points).
        case rowGeneration
        /// GLP_IHEUR: a heuristic solution may be offered.
        case heuristic
        /// GLP_IBINGO: GLPK found a better integer solution.
        case newIncumbent
        /// Any other reason (selection, branching, preprocessing, cut generation).
        case other
    }

    let tree: OpaquePointer

    /// The reason of this call.
    public var reason: Reason {
        switch glp_ios_reason(tree) {
        case GLP_IROWGEN: return .rowGeneration
        case GLP_IHEUR: return .heuristic
        case GLP_IBINGO: return .newIncumbent
        default: return .other
        }
    }

    private var problem: OpaquePointer { glp_ios_get_prob(tree) }

    /// The current node's LP solution, one value per column.
    public func point(columns: Int) -> [Double] {
        (0..<columns).map { glp_get_col_prim(problem, Int32($0 + 1)) }
    }

    /// The current node's bounds on the first `columns` columns (the root's bounds plus the
    /// branching fixings on the path to this node).
    public func bounds(columns: Int) -> (lower: [Double], upper: [Double]) {
        ((0..<columns).map { glp_get_col_lb(problem, Int32($0 + 1)) }, (0..<columns).map { glp_get_col_ub(problem, Int32($0 + 1)) })
    }

    /// The current node's number (0 when there is none).
    public var currentNode: Int { Int(glp_ios_curr_node(tree)) }

    /// The current node's LP objective value.
    public var nodeObjective: Double { glp_get_obj_val(problem) }

    /// Adds the row lower ≤ Σ c_i x_i (no upper bound) to the current node's LP: a lazy row, which
    /// GLPK keeps for this node's subtree only (the caller keeps a global pool).
    public func addRow(columns: [Int], coefficients: [Double], lower: Double) {
        precondition(columns.count == coefficients.count && coefficients.allSatisfy(\.isFinite) && lower.isFinite)
        let i = glp_add_rows(problem, 1)
        glp_set_row_bnds(problem, i, GLP_LO, lower, 0)
        var index: [Int32] = [0] + columns.map { Int32($0 + 1) }
        var value: [Double] = [0] + coefficients
        glp_set_mat_row(problem, i, Int32(columns.count), &index, &value)
    }

    /// Offers an integer-feasible point (one value per column) as a new incumbent. GLPK checks only
    /// integrality and improvement: the caller must pass a point that satisfies every row.
    /// - Returns: whether GLPK accepted it.
    @discardableResult
    public func offerSolution(_ x: [Double]) -> Bool {
        var values = [0] + x
        return glp_ios_heur_sol(tree, &values) == 0
    }

    /// The smallest LP bound over the active nodes (nil when none is active).
    public var bestBound: Double? {
        let node = glp_ios_best_node(tree)
        return node == 0 ? nil : glp_ios_node_bound(tree, node)
    }

    /// A lower bound on the optimum over the whole tree: the smallest bound of the active nodes and,
    /// once there is an incumbent, `GLPKProblem.prunedFloor` of its value, since the nodes pruned
    /// against it may hold points down to there (nil when there is neither).
    public var globalBound: Double? {
        let pruned = incumbent.map(GLPKProblem.prunedFloor)
        guard let active = bestBound else { return pruned }
        return min(active, pruned ?? .infinity)
    }

    /// (active nodes, all nodes in the tree, nodes created so far).
    public var size: (active: Int, current: Int, total: Int) {
        var a: Int32 = 0, n: Int32 = 0, t: Int32 = 0
        glp_ios_tree_size(tree, &a, &n, &t)
        return (Int(a), Int(n), Int(t))
    }

    /// GLPK's incumbent objective, if it has one.
    public var incumbent: Double? {
        glp_mip_status(problem) == GLP_FEAS || glp_mip_status(problem) == GLP_OPT ? glp_mip_obj_val(problem) : nil
    }

    /// Asks GLPK to stop the search as soon as it can.
    public func terminate() { glp_ios_terminate(tree) }
}

/// Settings of a branch-and-cut run.
public struct BranchAndCutSettings: Sendable {
    /// GLPK stops when (incumbent − bound)/|incumbent| ≤ this.
    public var relativeGap = 1e-4
    /// GLPK's time limit.
    public var timeLimitSeconds: Double? = nil
    /// Best-local-bound node selection (the bound moves, which is what certifies a gap).
    public var bestBoundSearch = true
    /// Which fractional variable GLPK branches on.
    public var branching = Branching.mostFractional
    /// GLPK's bound preprocessing at every node (GLP_PP_ALL, its default) instead of at the root
    /// only. It goes over every row at every node, and cut rows are dense: on the hardest task
    /// solved alone in ladder-K5-p250-n100 (α = 1, 1 800 nodes of ~100 rows × 251 columns) it took
    /// 18 % of the time, and the tree was no smaller with it (1 863 nodes, 1 803 without).
    public var nodePreprocessing = false

    public init() {}
}

/// GLPK's branching rules (`br_tech`).
public enum Branching: String, CaseIterable, Sendable {
    /// The variable closest to 0.5 (GLP_BR_MFV). Measured fastest for the master (see ExactSettings).
    case mostFractional = "mfv"
    /// Driebeek–Tomlin penalties from the LP's dual information (GLP_BR_DTH, GLPK's default).
    case driebeekTomlin = "dth"
    /// Hybrid pseudocosts (GLP_BR_PCH).
    case pseudocost = "pch"
    /// The first fractional variable (GLP_BR_FFV).
    case firstFractional = "ffv"
    /// The last fractional variable (GLP_BR_LFV).
    case lastFractional = "lfv"

    var glpk: Int32 {
        switch self {
        case .mostFractional: return GLP_BR_MFV
        case .driebeekTomlin: return GLP_BR_DTH
        case .pseudocost: return GLP_BR_PCH
        case .firstFractional: return GLP_BR_FFV
        case .lastFractional: return GLP_BR_LFV
        }
    }
}

/// How a branch-and-cut run ended.
public enum BranchAndCutOutcome: Equatable, Sendable {
    /// The tree was explored to the end: the incumbent is optimal for the master.
    case exhausted
    /// The gap tolerance was reached.
    case gapReached
    /// GLPK's time limit.
    case timeLimit
    /// The callback asked to stop.
    case stopped
    /// No integer-feasible point.
    case infeasible
    /// GLPK failed with this return code or status.
    case failed(Int32)

    /// What the outcome means, in words (GLPK 5.0's reference manual for glp_intopt's codes).
    public var explanation: String {
        switch self {
        case .exhausted: return "the tree was explored to the end"
        case .gapReached: return "the gap tolerance was reached"
        case .timeLimit: return "the time limit ran out"
        case .stopped: return "the search was stopped"
        case .infeasible: return "the master has no integer-feasible point"
        case .failed(let code):
            switch code {
            case GLP_EFAIL: return "GLPK's simplex failed on a node LP (singular or ill-conditioned basis; GLP_EFAIL)"
            case GLP_EROOT: return "GLPK found no optimal basis for the root LP (GLP_EROOT)"
            case GLP_ENOPFS, GLP_ENODFS: return "GLPK judged the root LP infeasible within its tolerances (code \(code))"
            case GLP_EBOUND: return "GLPK rejected a column's bounds (GLP_EBOUND)"
            case SPARSEMTL_GLPK_ABORTED:
                return "GLPK stopped on an internal error in a node LP (an assertion of its simplex on an ill-conditioned LP)"
            default: return "GLPK's branch and cut returned code \(code)"
            }
        }
    }
}

/// Holds the callback for GLPK (which cannot capture): passed through `cb_info`.
private final class CallbackBox {
    let body: (GLPKTree) -> Void
    init(_ body: @escaping (GLPKTree) -> Void) { self.body = body }
}

private func branchAndCutTrampoline(_ tree: OpaquePointer?, _ info: UnsafeMutableRawPointer?) {
    guard let tree, let info else { return }
    Unmanaged<CallbackBox>.fromOpaque(info).takeUnretainedValue().body(GLPKTree(tree: tree))
}

/// How an LP solve ended (`GLPKProblem.solveLP(timeLimitSeconds:)`).
public enum LPOutcome: Equatable, Sendable {
    /// Solved to optimality, with this objective value.
    case optimal(Double)
    /// GLPK's time limit ran out first (GLP_ETMLIM).
    case timeLimit
    /// GLPK's iteration limit ran out (GLP_EITLIM), also in the retry from a fresh basis: the
    /// simplex method cycled or stalled (`GLPKProblem.simplexIterationLimit`).
    case iterationLimit
    /// Infeasible, unbounded, or GLPK failed.
    case failed

    /// The objective when optimal, else nil.
    public var value: Double? {
        if case .optimal(let value) = self { return value }
        return nil
    }
}

extension GLPKProblem {
    /// GLPK's objective tolerance (`tol_obj`) as `branchAndCut` sets it: a node whose bound is at
    /// least incumbent − tolerance · (1 + |incumbent|) is pruned. GLPK's default, 10⁻⁷, would leave
    /// an exhausted tree's bound too far below the incumbent for the exact solver's smallest gap.
    public static let pruningTolerance = 1e-10

    /// The lowest value a node pruned against an incumbent of value `incumbent` can have held:
    /// after an exhausted tree, this (not the incumbent's value) is the proven bound.
    public static func prunedFloor(_ incumbent: Double) -> Double { incumbent - pruningTolerance * (1 + abs(incumbent)) }

    /// Solves the LP relaxation (dual simplex warm start when possible).
    /// - Returns: the LP objective, or nil when the LP is infeasible or failed.
    public func solveLP() -> Double? { solveLP(timeLimitSeconds: nil).value }

    /// The most simplex iterations one LP solve may take: 50 per row and column, and at least
    /// 10 000. The simplex method usually needs 2–3 per row from scratch and a few after rows are
    /// added; a solve that runs past this is cycling or stalling, and is retried another way.
    public static func simplexIterationLimit(rows: Int, columns: Int) -> Int {
        min(max(50 * (rows + columns), 10_000), Int(Int32.max))
    }

    /// Solves the LP relaxation within GLPK's time limit `timeLimitSeconds` (nil: none) and an
    /// iteration limit (nil: `simplexIterationLimit`). A solve that fails, stops at the iteration
    /// limit or returns a point that violates a row is repeated once with the other method (primal
    /// simplex) from a fresh basis on the scaled problem.
    public func solveLP(timeLimitSeconds: Double?, iterationLimit: Int? = nil) -> LPOutcome {
        if isLost { return .failed }
        let iterations = iterationLimit ?? Self.simplexIterationLimit(rows: rowCount, columns: columnCount)
        return withProblem { problem in
            var smcp = glp_smcp()
            glp_init_smcp(&smcp)
            smcp.msg_lev = GLP_MSG_OFF
            smcp.meth = GLP_DUALP
            smcp.it_lim = Int32(clamping: iterations)
            if let seconds = timeLimitSeconds { smcp.tm_lim = Int32(min(max(seconds * 1000, 1), Double(Int32.max))) }
            var code = sparsemtl_guarded_simplex(problem, &smcp)
            if code == SPARSEMTL_GLPK_ABORTED { return .failed }
            if code == GLP_ETMLIM { return .timeLimit }
            if code != 0 || glp_get_status(problem) != GLP_OPT || !Self.basicSolutionIsFeasible(problem) {
                // A failed, cycling or ill-conditioned solve (rows with coefficients 10⁷ beside 1 gave
                // an "optimal" point violating v ≤ z by 1): again from a fresh basis on the scaled problem.
                glp_scale_prob(problem, GLP_SF_AUTO)
                glp_std_basis(problem)
                smcp.meth = GLP_PRIMAL
                code = sparsemtl_guarded_simplex(problem, &smcp)
                if code == SPARSEMTL_GLPK_ABORTED { return .failed }
                if code == GLP_ETMLIM { return .timeLimit }
                if code == GLP_EITLIM { return .iterationLimit }
                guard code == 0, glp_get_status(problem) == GLP_OPT, Self.basicSolutionIsFeasible(problem) else { return .failed }
            }
            return .optimal(glp_get_obj_val(problem))
        }
    }

    /// Whether the basic solution satisfies every row and column bound within 10⁻⁶·(1 + |bound|)
    /// (GLPK's own tolerance is 10⁻⁷ relative; ten times that is a solve gone wrong).
    static func basicSolutionIsFeasible(_ problem: OpaquePointer) -> Bool {
        func within(_ value: Double, _ type: Int32, _ lower: Double, _ upper: Double) -> Bool {
            let lowOK = !(type == GLP_LO || type == GLP_DB || type == GLP_FX) || value >= lower - 1e-6 * (1 + abs(lower))
            let highOK = !(type == GLP_UP || type == GLP_DB || type == GLP_FX) || value <= upper + 1e-6 * (1 + abs(upper))
            return lowOK && highOK
        }
        for i in stride(from: Int32(1), through: glp_get_num_rows(problem), by: 1)
        where !within(glp_get_row_prim(problem, i), glp_get_row_type(problem, i), glp_get_row_lb(problem, i), glp_get_row_ub(problem, i)) {
            return false
        }
        for j in stride(from: Int32(1), through: glp_get_num_cols(problem), by: 1)
        where !within(glp_get_col_prim(problem, j), glp_get_col_type(problem, j), glp_get_col_lb(problem, j), glp_get_col_ub(problem, j)) {
            return false
        }
        return true
    }

    /// The LP value of column j after `solveLP`.
    public func lpValue(_ j: Int) -> Double { withProblem { glp_get_col_prim($0, Int32(j + 1)) } }

    /// The reduced cost d_j of column j after `solveLP`: at an optimal basis, every point of the LP
    /// has objective ≥ LP* + d_j(x_j − x*_j) for a column at a bound (with the other columns' terms ≥ 0).
    public func lpReducedCost(_ j: Int) -> Double { withProblem { glp_get_col_dual($0, Int32(j + 1)) } }

    /// The dual value y_i of row i after `solveLP` (GLPK's sign: ≤ 0 for a row at its upper bound
    /// in a minimisation).
    public func lpRowDual(_ i: Int) -> Double { withProblem { glp_get_row_dual($0, Int32(i + 1)) } }

    /// Reduced-cost fixing of the 0–1 columns in `columns` after an optimal LP solve with value
    /// `lpBound`: by LP duality every point of this LP with x_j = 1, for x_j at 0 in the LP with
    /// reduced cost d > 0, has objective ≥ lpBound + d, so when lpBound + d > `threshold` x_j is fixed
    /// at 0 (likewise x_j at 1 with lpBound − d > threshold is fixed at 1). Only points whose value
    /// exceeds `threshold` are cut off, in every problem whose LP this one relaxes.
    /// - Returns: how many were fixed at 0 and at 1.
    public func fixByReducedCost(columns: Range<Int>, lpBound: Double, threshold: Double) -> (zeros: Int, ones: Int) {
        var zeros = 0, ones = 0
        for column in columns where isBinary(column) {
            let value = lpValue(column), d = lpReducedCost(column)
            if value < 1e-9 && d > 0 && lpBound + d > threshold {
                fixColumn(column, at: 0)
                zeros += 1
            } else if value > 1 - 1e-9 && d < 0 && lpBound - d > threshold {
                fixColumn(column, at: 1)
                ones += 1
            }
        }
        return (zeros, ones)
    }

    /// Fixes column j at `value` (lower = upper).
    public func fixColumn(_ j: Int, at value: Double) {
        withProblem { glp_set_col_bnds($0, Int32(j + 1), GLP_FX, value, value) }
    }

    /// Branch and cut with presolve off (so columns keep their numbers in the callback); the LP
    /// relaxation must have been solved first (`solveLP`).
    public func branchAndCut(_ settings: BranchAndCutSettings, callback: @escaping (GLPKTree) -> Void) -> BranchAndCutOutcome {
        if isLost { return .failed(SPARSEMTL_GLPK_ABORTED) }
        return withProblem { problem in
            let box = CallbackBox(callback)
            var iocp = glp_iocp()
            glp_init_iocp(&iocp)
            iocp.msg_lev = GLP_MSG_OFF
            iocp.presolve = GLP_OFF
            iocp.mip_gap = settings.relativeGap
            if settings.bestBoundSearch { iocp.bt_tech = GLP_BT_BLB }
            iocp.br_tech = settings.branching.glpk
            iocp.pp_tech = settings.nodePreprocessing ? GLP_PP_ALL : GLP_PP_ROOT
            // Integral only within 1e-9 (GLPK's default is 1e-5): with small α the cut coefficients are
            // large, and at a point with z_jk ≈ 1e-7 the cut of its rounded support may not be violated
            // by enough to be added, so GLPK took it as an incumbent with η below F (a weak end bound).
            iocp.tol_int = 1e-9
            iocp.tol_obj = Self.pruningTolerance
            if let t = settings.timeLimitSeconds { iocp.tm_lim = Int32(min(max(t * 1000, 1), Double(Int32.max))) }
            iocp.cb_func = branchAndCutTrampoline
            iocp.cb_info = Unmanaged.passUnretained(box).toOpaque()
            let rc = withExtendedLifetime(box) { sparsemtl_guarded_intopt(problem, &iocp) }
            if rc == SPARSEMTL_GLPK_ABORTED { return .failed(rc) }
            switch rc {
            case 0: return glp_mip_status(problem) == GLP_NOFEAS ? .infeasible : .exhausted
            case GLP_EMIPGAP: return .gapReached
            case GLP_ETMLIM: return .timeLimit
            case GLP_ESTOP: return .stopped
            default: return .failed(rc)
            }
        }
    }
}
