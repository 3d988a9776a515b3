import Foundation

/// Rechecks a certificate from the data alone, trusting nothing the solver computed:
/// 1. the upper bound: F recomputed from the incumbent's coefficients and support (and feasibility);
/// 2. every cut: re-derived from its dual point (any dual point gives a valid bound, DESIGN.md
///    section 2) and compared with the stored constant and coefficients;
/// 3. the lower bound: the master rebuilt with every re-derived cut and solved from scratch by GLPK;
///    the certificate's LB must not exceed that master optimum, which must not exceed UB.
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
        public var passed: Bool { !checks.isEmpty && checks.allSatisfy(\.passed) }
    }

    /// Verifies the certificate at `path`.
    /// - Throws: `InputError` when the certificate or its data cannot be read or is malformed.
    public static func verify(_ path: String, timeLimitSeconds: Double? = nil) throws -> Report {
        let certificate = try CertificateReader(path)
        let (ub, lb) = (certificate.upperBound, certificate.lowerBound)
        let tolerance = 1e-9 * max(abs(ub), certificate.scale, 1e-300)
        var checks: [Check] = []

        // 1. Upper bound.
        let value = Objective.evaluate(certificate.instance, originalCoefficients: certificate.coefficients, support: certificate.support)
        checks.append(Check(name: "incumbent is feasible", passed: value.feasible, detail: value.violations.first ?? "s, support and box respected"))
        checks.append(Check(name: "upper bound = F(incumbent)", passed: abs(value.objective - ub) <= tolerance,
                            detail: String(format: "recomputed %.12g, certificate %.12g", value.objective, ub)))

        // 2. Cuts.
        let mismatches = certificate.mismatchedCuts
        checks.append(Check(name: "every cut re-derives from its dual point", passed: mismatches.isEmpty,
                            detail: mismatches.isEmpty ? "\(certificate.cuts.count) cuts"
                                : "differ: " + mismatches.prefix(5).map { "cut \($0)" }.joined(separator: ", ")))

        // 3. Lower bound: the master with every re-derived cut, solved from scratch.
        let master = try certificate.master()
        let outcome = master.problem.solveMIP(timeLimitSeconds: timeLimitSeconds)
        if outcome == .optimal {
            let optimum = master.problem.mipObjective
            checks.append(Check(name: "lower bound ≤ master optimum", passed: lb <= optimum + tolerance,
                                detail: String(format: "master re-solved: %.12g, certificate LB %.12g", optimum, lb)))
            checks.append(Check(name: "master optimum ≤ upper bound", passed: optimum <= ub + tolerance,
                                detail: String(format: "%.12g ≤ %.12g", optimum, ub)))
        } else {
            checks.append(Check(name: "lower bound ≤ master optimum", passed: false, detail: "the master was not solved to optimality (\(outcome))"))
        }
        checks.append(Check(name: "lower bound ≤ upper bound", passed: lb <= ub, detail: String(format: "%.12g ≤ %.12g", lb, ub)))
        return Report(checks: checks)
    }
}
