import Foundation

/// Rechecks a certificate from the data alone, trusting nothing the solver computed:
/// 1. the upper bound: F recomputed from the incumbent's coefficients and support (and feasibility);
/// 2. every cut: re-derived from its dual point (any dual point gives a valid bound, DESIGN.md
///    section 2) and compared with the stored constant and coefficients; shifted cuts only where the
///    stated shift keeps G_k − d_k·I positive semidefinite (`PerspectiveShift.isValid`), and
///    restricted cuts only where G_FF − d_F·I is;
/// 3. every task bound (task decomposition): the single-task master with that task's re-derived
///    cuts and the bound's costs, solved from scratch by GLPK, must reach it. Where the cuts have
///    nothing to add at a node, the re-solve derives cuts of its own from dual points (Frank–Wolfe
///    on the node's relaxation, as the solve does): any dual point gives a valid cut (DESIGN.md
///    section 2), so what it reaches bounds the task's problem min g_k(z) + cᵀz, which is what the
///    task bound's row needs. Without them the certificate's cuts, made at the solve's nodes, are
///    weak at the re-solve's own nodes: on ladder-K5-p250-n100 (α = 1) one task bound proved in
///    339 nodes and 2 s by the solve was not reached in 10 min;
/// 4. the lower bound: the master rebuilt with every re-derived cut and task bound, solved from
///    scratch by GLPK until its bound reaches the certificate's LB (`proveLowerBound`), and the
///    incumbent with η_k = g_k(incumbent) must satisfy every row, so LB ≤ master optimum ≤ UB.
/// Where a problem is small (`SupportEnumeration.work` ≤ `enumerationLimit`), 3 and 4 enumerate
/// every support instead of re-solving with GLPK: exact (weak duality at each Z, with the
/// certificate's rows), with no LP tolerance to stall on or to pass a bound the master cannot prove.
/// Every comparison allows `slack`, relative to the numbers compared, never to the data's scale alone.
/// The re-solves of 3 and 4 add the certificate's cut rows lazily, where a node's LP point violates
/// them (`LazyRows`): every LP is then a relaxation of the master with all of them, so the bound it
/// reaches holds for that master too. With all rows in every LP, the first task bound of that
/// certificate was not reached in 10 min either.
public enum Verifier {
    /// One check and its outcome.
    public struct Check: Sendable {
        public var name: String
        public var passed: Bool
        public var detail: String
    }

    /// All checks; the certificate passes when every one does.
    public struct Report: Sendable {
        public var checks: [Check]
        /// The certificate states no lower bound (the solve stopped before it had one): only the
        /// upper bound and the cuts were checked.
        public var upperBoundOnly: Bool
        public var passed: Bool { !checks.isEmpty && checks.allSatisfy(\.passed) }
    }

    /// How far a stated bound may sit on the wrong side of what `verify` recomputes and still PASS,
    /// for floating-point rounding in F, the cuts and the LP: for the bounds a and b compared
    /// (UB and F(incumbent); LB and UB), with F₀ = F(B = 0) = Σ_k ‖ỹ_k‖²/n_k,
    ///
    ///     τ = 10⁻⁹·max(|a|, |b|) + 10⁻¹²·√(F₀·max(|a|, |b|)) + 10⁻¹⁵·F₀.
    ///
    /// The middle term is the size of the cross terms u_kᵀỹ_k of a cut (u = 2r/n) and of rᵀXβ in
    /// F; the last is rounding at the data's own scale. It is never relative to F₀ alone: a claim
    /// 1 345 times the true UB passed when the slack was 10⁻⁹·F₀ (F₀ = 1.5·10⁶, UB = 10⁻⁶).
    public static func slack(_ a: Double, _ b: Double, scale: Double) -> Double {
        let m = max(abs(a), abs(b))
        return 1e-9 * m + 1e-12 * (scale * m).squareRoot() + 1e-15 * scale
    }

    /// Problems whose `SupportEnumeration.work` is at most this are checked by enumeration of every
    /// support (exact, and fast at this size: about a second), larger ones by GLPK re-solves.
    public static let enumerationLimit = 2e5

    /// Verifies the certificate at `path`.
    /// - Parameter dataPath: the data file to use instead of the one the certificate names (a moved
    ///   copy); its SHA-256 must match the certificate's.
    /// - Parameter timeLimitSeconds: the time for the whole verification (nil: none), shared by the
    ///   masters in turn: each gets what is left, and one that does not reach its bound in time fails.
    /// - Parameter enumerationLimit: problems with at most this `SupportEnumeration.work` are checked
    ///   by enumeration (0: always by GLPK re-solves).
    /// - Throws: `InputError` when the certificate or its data cannot be read or is malformed.
    public static func verify(_ path: String, dataPath: String? = nil, timeLimitSeconds: Double? = nil,
                              enumerationLimit: Double = Verifier.enumerationLimit) throws -> Report {
        let clock = Date()
        func left() -> Double? { timeLimitSeconds.map { max($0 - Date().timeIntervalSince(clock), 0.001) } }
        func outOfTime() -> String? {
            if Interrupt.isRequested { return "not re-solved: interrupted" }
            if let limit = timeLimitSeconds, Date().timeIntervalSince(clock) >= limit {
                return "not re-solved: the time limit ran out before"
            }
            return nil
        }
        let certificate = try CertificateReader(path, dataPath: dataPath)
        let instance = certificate.instance
        let ub = certificate.upperBound
        var checks: [Check] = []

        // 1. Upper bound.
        let value = Objective.evaluate(instance, originalCoefficients: certificate.coefficients, support: certificate.support)
        checks.append(Check(name: "incumbent is feasible", passed: value.feasible, detail: value.violations.first ?? "s, support and box respected"))
        let ubSlack = slack(value.objective, ub, scale: instance.nullObjective)
        checks.append(Check(name: "upper bound = F(incumbent)", passed: abs(value.objective - ub) <= ubSlack,
                            detail: String(format: "recomputed %.12g, certificate %.12g (allowed difference %.3g)", value.objective, ub, ubSlack)))

        // 2. Cuts.
        let mismatches = certificate.mismatchedCuts
        checks.append(Check(name: "every cut re-derives from its dual point", passed: mismatches.isEmpty,
                            detail: mismatches.isEmpty ? "\(certificate.cuts.count) cuts"
                                : "differ: " + mismatches.prefix(5).map { "cut \($0)" }.joined(separator: ", ")))
        if let shifts = certificate.model.perspectiveShifts {
            let invalid = certificate.invalidShifts
            checks.append(Check(name: "perspective shifts keep G_k − d_k·I positive semidefinite", passed: invalid.isEmpty,
                                detail: invalid.isEmpty ? "\(shifts.filter { $0 > 0 }.count) of \(shifts.count) tasks shifted"
                                    : "not for task " + invalid.map { certificate.model.taskLabels[$0] }.joined(separator: ", ")))
        }
        if let box = certificate.model.impliedBox {
            // F(incumbent) in the master's units: every B at least as good lies in the box.
            let u = value.objective / certificate.scaling.value(1)
            let valid = ImpliedBox.isValid(box, instance: certificate.model, incumbentValue: u)
            checks.append(Check(name: "implied box holds every B with F(B) ≤ F(incumbent)", passed: valid,
                                detail: String(format: "α·M̂² = %.12g, F(incumbent) = %.12g in the master's units",
                                               certificate.model.penalty.ridge * box * box, u)))
        }
        let restricted = certificate.cuts.filter { $0.dual.restriction != nil }.count
        if restricted > 0 {
            let invalid = certificate.invalidRestrictions
            checks.append(Check(name: "restricted shifts keep G_FF − d_F·I positive semidefinite", passed: invalid.isEmpty,
                                detail: invalid.isEmpty ? "\(restricted) restricted cuts"
                                    : "not for " + invalid.prefix(5).map { "cut \($0)" }.joined(separator: ", ")))
        }
        guard let lb = certificate.lowerBound else {
            return Report(checks: checks, upperBoundOnly: true)
        }
        // The master, the cuts and the task bounds are in the certificate's units (`ProblemScaling`).
        let model = certificate.model, units = certificate.scaling.value(1)
        let lbSlack = slack(lb / units, ub / units, scale: certificate.scale)

        // 3. Task bounds: each task's master with its re-derived cuts reaches the stated bound (by
        //    enumeration of the task's supports where they are few).
        for (index, bound) in certificate.taskBounds.enumerated() {
            let name = "task bound \(index) (task \(model.taskLabels[bound.task])) ≤ the task's optimum"
            if let reason = outOfTime() { checks.append(Check(name: name, passed: false, detail: reason)); continue }
            let started = Date()
            let single = model.task(bound.task)
            let taskSlack = slack(bound.bound, bound.bound, scale: certificate.scale)
            if SupportEnumeration.work(single) <= enumerationLimit {
                let costs = Matrix(rows: model.featureCount, columns: 1, columnMajor: bound.costs)
                guard let found = SupportEnumeration.lowerBound(single, linearCosts: costs, cuts: certificate.taskCuts(bound.task),
                                                                stop: { outOfTime() != nil }) else {
                    checks.append(Check(name: name, passed: false, detail: outOfTime() ?? "stopped"))
                    continue
                }
                checks.append(enumerated(name, found.value, stated: bound.bound, slack: taskSlack, seconds: Date().timeIntervalSince(started)))
            } else {
                let proof = try prove(bound.bound - taskSlack, left: left) { try certificate.taskMaster(bound, lazyCuts: $0) }
                checks.append(Self.check(name, proof, stated: bound.bound, seconds: Date().timeIntervalSince(started), reason: outOfTime()))
            }
        }

        // 4. Lower bound: by enumeration of every Z where there are few, else the master with every
        //    re-derived cut and task bound, solved from scratch until its bound reaches LB; the
        //    incumbent must satisfy every row (so the master's optimum ≤ UB).
        let started = Date()
        let master = try certificate.master(lazyCuts: true)
        if SupportEnumeration.work(model) <= enumerationLimit {
            if let found = SupportEnumeration.lowerBound(model, cuts: certificate.cuts, taskBounds: certificate.taskBounds,
                                                         stop: { outOfTime() != nil }) {
                checks.append(enumerated("lower bound ≤ optimum", found.value * units, stated: lb, slack: lbSlack * units,
                                         seconds: Date().timeIntervalSince(started)))
            } else {
                checks.append(Check(name: "lower bound ≤ optimum", passed: false, detail: outOfTime() ?? "stopped"))
            }
        } else if let reason = outOfTime() {
            checks.append(Check(name: "lower bound ≤ master optimum", passed: false, detail: reason))
        } else {
            let proof = try prove(lb / units - lbSlack, left: left) { $0 ? master : try certificate.master(lazyCuts: false) }
            checks.append(Self.check("lower bound ≤ master optimum", proof, stated: lb / units, seconds: Date().timeIntervalSince(started),
                                     reason: outOfTime()))
        }
        // A GLPK internal error in the re-solve frees the master with GLPK's environment
        // (`GLPKProblem.isLost`): the incumbent is then checked against the rows of a fresh one.
        let rows = master.master.problem.isLost ? try certificate.master(lazyCuts: true) : master
        let incumbentRow = certificate.incumbentViolation(rows)
        checks.append(Check(name: "incumbent satisfies every master row", passed: incumbentRow == nil,
                            detail: incumbentRow ?? "so the master optimum ≤ F(incumbent) = UB"))
        checks.append(Check(name: "lower bound ≤ upper bound", passed: lb <= ub + lbSlack * units,
                            detail: String(format: "%.12g ≤ %.12g", lb, ub)))
        return Report(checks: checks, upperBoundOnly: false)
    }

    /// `proveLowerBound` on the master with lazy cut rows; when that stops short of the target
    /// before the time is up (GLPK stalled or failed), the same master again with every cut as a
    /// row from the start, in the time left: a re-solve that stalls changes method instead of
    /// failing a true bound.
    static func prove(_ target: Double, left: () -> Double?,
                      master: (_ lazy: Bool) throws -> CertificateReader.ProofMaster) throws -> GLPKProblem.BoundProof {
        let first = try master(true).proveLowerBound(target, timeLimitSeconds: left())
        guard case .notReached(let reached) = first, !Interrupt.isRequested, left().map({ $0 > 0.01 }) ?? true else { return first }
        switch try master(false).proveLowerBound(target, timeLimitSeconds: left()) {
        case .notReached(let again): return .notReached([reached, again].compactMap { $0 }.max())
        case let other: return other
        }
    }

    /// The check of a bound against an enumerated minimum over every support.
    static func enumerated(_ name: String, _ minimum: Double, stated: Double, slack: Double, seconds: Double) -> Check {
        let passed = minimum >= stated - slack
        return Check(name: name, passed: passed,
                     detail: String(format: "every support enumerated: minimum %.12g %@ stated %.12g (%.2f s)",
                                    minimum, passed ? "≥" : "<", stated, seconds))
    }

    static func check(_ name: String, _ proof: GLPKProblem.BoundProof, stated: Double, seconds: Double, reason: String?) -> Check {
        switch proof {
        case .reached(let value):
            return Check(name: name, passed: true, detail: String(format: "re-solved bound %.12g ≥ stated %.12g (%.2f s)", value, stated, seconds))
        case .infeasible:
            return Check(name: name, passed: true, detail: "the master has no feasible point")
        case .notReached(let value):
            let why = reason.map { ": " + $0.replacingOccurrences(of: "not re-solved: ", with: "") } ?? ""
            return Check(name: name, passed: false,
                         detail: (value.map { String(format: "re-solved bound only %.12g < stated %.12g (%.2f s)", $0, stated, seconds) }
                                  ?? "the master's LP failed") + why)
        }
    }
}

