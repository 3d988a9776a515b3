import Foundation
import _CGLPK
import CGLPKGuard

/// A mixed-integer linear program held by GLPK: min or max cᵀx subject to row bounds on A·x,
/// column bounds and integrality. Owns its `glp_prob`, which GLPK requires to be created, solved and
/// deleted on one thread: the class checks this. Indices are 0-based here (GLPK's are 1-based).
/// Arguments are checked in Swift before any GLPK call, since GLPK aborts the process on errors.
public final class GLPKProblem {
    /// Kind of a column.
    public enum Kind: Sendable {
        /// Real-valued.
        case continuous
        /// Integer-valued.
        case integer
        /// 0 or 1.
        case binary
    }

    /// How a MIP solve ended.
    public enum Outcome: Equatable, Sendable {
        /// Proven optimal (within GLPK's tolerances).
        case optimal
        /// Stopped with a feasible point but no proof (time limit).
        case feasible
        /// No integer-feasible point exists.
        case infeasible
        /// GLPK stopped without a point; the code is GLPK's return code or status.
        case failed(Int32)
    }

    private let problem: OpaquePointer
    private let owner = Thread.current
    /// GLPK's environment generation when the problem was made (`isLost`).
    private let generation = sparsemtl_glpk_environment_generation()

    /// Whether GLPK freed this problem with its environment after an internal error in a solve
    /// (`CGLPKGuard`): it must not be used or deleted any more.
    public var isLost: Bool { sparsemtl_glpk_environment_generation() != generation }

    /// An empty minimisation problem. GLPK's terminal output is silenced for this thread.
    public init(name: String = "sparsemtl") {
        glp_term_out(GLP_OFF)
        problem = glp_create_prob()
        glp_set_prob_name(problem, name)
        glp_set_obj_dir(problem, GLP_MIN)
    }

    /// A minimisation problem read from an MPS file (free or fixed format).
    /// - Throws: `InputError` naming the file when GLPK cannot read it.
    public static func readMPS(_ path: String, free: Bool = true) throws -> GLPKProblem {
        let read = GLPKProblem()
        guard glp_read_mps(read.problem, free ? GLP_MPS_FILE : GLP_MPS_DECK, nil, path) == 0 else {
            throw InputError(file: path, "GLPK cannot read this \(free ? "free" : "fixed") MPS file")
        }
        glp_set_obj_dir(read.problem, GLP_MIN)
        return read
    }

    deinit {
        precondition(Thread.current == owner, "a GLPK problem must be deleted on the thread that created it")
        if !isLost { glp_delete_prob(problem) }
    }

    /// GLPK's version string, e.g. "5.0".
    public static var version: String { String(cString: glp_version()) }

    /// Number of columns (variables).
    public var columnCount: Int { Int(glp_get_num_cols(problem)) }
    /// Number of rows (constraints).
    public var rowCount: Int { Int(glp_get_num_rows(problem)) }

    /// Adds a column lower ≤ x ≤ upper (nil = unbounded) with objective coefficient `cost`; returns its index.
    @discardableResult
    public func addColumn(name: String, kind: Kind = .continuous, lower: Double? = 0, upper: Double? = nil,
                          cost: Double = 0) -> Int {
        checkThread()
        let j = glp_add_cols(problem, 1)
        glp_set_col_name(problem, j, name)
        switch kind {
        case .continuous: glp_set_col_kind(problem, j, GLP_CV); setBounds(column: j, lower, upper)
        case .integer: glp_set_col_kind(problem, j, GLP_IV); setBounds(column: j, lower, upper)
        case .binary: glp_set_col_kind(problem, j, GLP_BV)
        }
        glp_set_obj_coef(problem, j, cost)
        return Int(j) - 1
    }

    /// Adds a continuous column lower ≤ x ≤ upper with objective coefficient `cost` and the entries
    /// coefficients[i] in rows[i] of existing rows; returns its index.
    @discardableResult
    public func addColumn(name: String, lower: Double? = 0, upper: Double? = nil, cost: Double, rows: [Int], coefficients: [Double]) -> Int {
        precondition(rows.count == coefficients.count, "addColumn: one coefficient per row")
        precondition(rows.allSatisfy { (0..<rowCount).contains($0) }, "addColumn: row index out of range")
        let j = addColumn(name: name, lower: lower, upper: upper, cost: cost)
        var index: [Int32] = [0] + rows.map { Int32($0 + 1) }
        var value: [Double] = [0] + coefficients
        glp_set_mat_col(problem, Int32(j + 1), Int32(rows.count), &index, &value)
        return j
    }

    /// Adds a row lower ≤ Σ coefficients[i]·x[columns[i]] ≤ upper (nil = unbounded); returns its index.
    @discardableResult
    public func addRow(name: String, columns: [Int], coefficients: [Double], lower: Double? = nil, upper: Double? = nil) -> Int {
        checkThread()
        precondition(columns.count == coefficients.count, "addRow: one coefficient per column")
        precondition(Set(columns).count == columns.count, "addRow: a column appears twice")
        precondition(columns.allSatisfy { (0..<columnCount).contains($0) }, "addRow: column index out of range")
        precondition(coefficients.allSatisfy(\.isFinite), "addRow: non-finite coefficient")
        let i = glp_add_rows(problem, 1)
        glp_set_row_name(problem, i, name)
        let (type, lb, ub) = GLPKProblem.boundType(lower, upper)
        glp_set_row_bnds(problem, i, type, lb, ub)
        var index: [Int32] = [0] + columns.map { Int32($0 + 1) }
        var value: [Double] = [0] + coefficients
        glp_set_mat_row(problem, i, Int32(columns.count), &index, &value)
        return Int(i) - 1
    }

    /// Sets the objective sense (GLPK minimises by default).
    public func setMaximize(_ maximize: Bool) { checkThread(); glp_set_obj_dir(problem, maximize ? GLP_MAX : GLP_MIN) }

    /// Solves the LP relaxation (primal simplex), then branch and bound with presolve off.
    /// - Parameter timeLimitSeconds: GLPK's `tm_lim` for branch and bound, if any.
    public func solveMIP(timeLimitSeconds: Double? = nil) -> Outcome {
        checkThread()
        var smcp = glp_smcp()
        glp_init_smcp(&smcp)
        smcp.msg_lev = GLP_MSG_OFF
        let lp = sparsemtl_guarded_simplex(problem, &smcp)
        guard lp == 0 else { return .failed(lp) }
        switch glp_get_status(problem) {
        case GLP_OPT: break
        case GLP_NOFEAS: return .infeasible
        case let status: return .failed(status)
        }
        var iocp = glp_iocp()
        glp_init_iocp(&iocp)
        iocp.msg_lev = GLP_MSG_OFF
        iocp.presolve = GLP_OFF
        if let t = timeLimitSeconds { iocp.tm_lim = Int32(min(max(t * 1000, 1), Double(Int32.max))) }
        let rc = sparsemtl_guarded_intopt(problem, &iocp)
        if rc == SPARSEMTL_GLPK_ABORTED { return .failed(rc) }
        switch (rc, glp_mip_status(problem)) {
        case (0, GLP_OPT): return .optimal
        case (_, GLP_FEAS): return .feasible
        case (_, GLP_NOFEAS): return .infeasible
        case let (rc, status): return .failed(rc != 0 ? rc : status)
        }
    }

    /// The MIP objective value of the last `solveMIP`.
    public var mipObjective: Double { checkThread(); return glp_mip_obj_val(problem) }

    /// The MIP value of column j after `solveMIP`.
    public func mipValue(_ j: Int) -> Double { checkThread(); return glp_mip_col_val(problem, Int32(j + 1)) }

    /// Writes the problem in free MPS (which does not record the objective sense: a reader
    /// assumes minimisation) or fixed MPS (names limited to 8 characters).
    /// - Throws: `InputError` naming the path when GLPK cannot write it.
    public func writeMPS(to path: String, free: Bool = true) throws {
        checkThread()
        // Written beside the target and renamed, so a failed write leaves no partial file.
        try FileIO.writeThroughTemporary(to: path) { temporary in
            glp_write_mps(problem, free ? GLP_MPS_FILE : GLP_MPS_DECK, nil, temporary) == 0
        }
    }

    private func setBounds(column j: Int32, _ lower: Double?, _ upper: Double?) {
        let (type, lb, ub) = GLPKProblem.boundType(lower, upper)
        glp_set_col_bnds(problem, j, type, lb, ub)
    }

    private static func boundType(_ lower: Double?, _ upper: Double?) -> (Int32, Double, Double) {
        switch (lower, upper) {
        case (nil, nil): return (GLP_FR, 0, 0)
        case let (l?, nil): return (GLP_LO, l, 0)
        case let (nil, u?): return (GLP_UP, 0, u)
        case let (l?, u?):
            precondition(l <= u, "GLPK bounds: lower \(l) above upper \(u)")
            return (l == u ? GLP_FX : GLP_DB, l, u)
        }
    }

    /// Runs `body` with the raw problem on the owning thread (for the GLPK files of this folder).
    func withProblem<T>(_ body: (OpaquePointer) -> T) -> T {
        checkThread()
        precondition(!isLost, "a GLPK problem was used after GLPK freed it (an internal error in an earlier solve)")
        return body(problem)
    }

    /// Removes rows (0-based indices).
    public func deleteRows(_ rows: [Int]) {
        guard !rows.isEmpty else { return }
        withProblem { problem in
            var index: [Int32] = [0] + rows.map { Int32($0 + 1) }
            glp_del_rows(problem, Int32(rows.count), &index)
        }
    }

    /// The activity (row value) of row i after an LP solve.
    public func rowActivity(_ i: Int) -> Double { withProblem { glp_get_row_prim($0, Int32(i + 1)) } }

    /// The lower bound of row i.
    public func rowLowerBound(_ i: Int) -> Double { withProblem { glp_get_row_lb($0, Int32(i + 1)) } }

    /// The first row (0-based) that the point x (one value per column) violates by more than
    /// `tolerance` relative to max(1, |bound|), with its activity and bounds; nil when x satisfies
    /// every row.
    public func firstViolatedRow(at x: [Double], tolerance: Double) -> (row: Int, activity: Double, lower: Double, upper: Double)? {
        withProblem { problem in
            let columns = Int(glp_get_num_cols(problem))
            precondition(x.count == columns, "firstViolatedRow: one value per column")
            var index = [Int32](repeating: 0, count: columns + 1)
            var value = [Double](repeating: 0, count: columns + 1)
            for i in stride(from: 1, through: Int(glp_get_num_rows(problem)), by: 1) {
                let count = Int(glp_get_mat_row(problem, Int32(i), &index, &value))
                var activity = 0.0
                for t in 1..<(count + 1) { activity += value[t] * x[Int(index[t]) - 1] }
                let type = glp_get_row_type(problem, Int32(i))
                let lower = type == GLP_LO || type == GLP_DB || type == GLP_FX ? glp_get_row_lb(problem, Int32(i)) : -Double.infinity
                let upper = type == GLP_UP || type == GLP_DB || type == GLP_FX ? glp_get_row_ub(problem, Int32(i)) : Double.infinity
                if activity < lower - tolerance * max(1, abs(lower)) || activity > upper + tolerance * max(1, abs(upper)) {
                    return (i - 1, activity, lower, upper)
                }
            }
            return nil
        }
    }

    /// Whether column j is a 0–1 column.
    public func isBinary(_ j: Int) -> Bool { withProblem { glp_get_col_kind($0, Int32(j + 1)) == GLP_BV } }

    /// Sets the objective coefficient of column j.
    public func setCost(_ j: Int, _ cost: Double) { withProblem { glp_set_obj_coef($0, Int32(j + 1), cost) } }

    private func checkThread() {
        precondition(Thread.current == owner, "a GLPK problem must be used on the thread that created it")
        precondition(!isLost, "a GLPK problem was used after GLPK freed it (an internal error in an earlier solve)")
    }
}
