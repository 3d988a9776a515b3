import Foundation
import SparseMTL

/// The totals of a fuzz run, as `sparsemtl-fuzz` prints them: cases, invalid bounds, wrong optima,
/// hangs, bare errors, statuses by kind, `verify`'s PASS rate on true certificates, tampered
/// certificates caught, the slowest solve and verify, and the cases that failed.
public struct FuzzReport {
    public private(set) var outcomes: [FuzzCheck.Outcome] = []

    public init() {}

    public mutating func add(_ outcome: FuzzCheck.Outcome) { outcomes.append(outcome) }

    public var failures: [FuzzCheck.Outcome] { outcomes.filter(\.failed) }

    /// The report's lines.
    public var lines: [String] {
        let n = outcomes.count
        func count(_ test: (FuzzCheck.Outcome) -> Bool) -> Int { outcomes.filter(test).count }
        var statuses: [String: Int] = [:]
        for o in outcomes { statuses[o.status.rawValue, default: 0] += 1 }
        let tampered = outcomes.reduce(0) { $0 + $1.tampered }
        let missed = outcomes.reduce(0) { $0 + $1.tamperMissed.count }
        var missedKinds: [String: Int] = [:]
        for o in outcomes { for m in o.tamperMissed { missedKinds[m, default: 0] += 1 } }
        let slowSolve = outcomes.max { $0.solveSeconds < $1.solveSeconds }
        let slowVerify = outcomes.max { $0.verifySeconds < $1.verifySeconds }
        var out = [
            "cases: \(n)",
            "invalid lower bounds (LB above the brute-force optimum): \(count(\.invalidBound))",
            "tree bounds above the optimum (before enumeration replaced them; not reported): \(count(\.treeBoundAbove))",
            "wrong optima (status optimal, UB above the optimum by more than the gap): \(count(\.wrongOptimum))",
            "hangs (past the time limit + \(FuzzCheck().hangMargin) s): \(count(\.hang))",
            "bare errors (status error): \(count { $0.status == .error }), exceptions: \(count { $0.thrown != nil })",
            "statuses: " + statuses.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "),
            String(format: "verify PASS on the solver's certificates: %d of %d (%.1f %%)", count(\.verifyPassed), n,
                   n == 0 ? 0 : 100 * Double(count(\.verifyPassed)) / Double(n)),
            "tampered certificates caught: \(tampered - missed) of \(tampered)"
                + (missedKinds.isEmpty ? "" : " (missed: " + missedKinds.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")"),
        ]
        if let s = slowSolve { out.append(String(format: "slowest solve: %.2f s, %@", s.solveSeconds, s.fuzzCase.description)) }
        if let v = slowVerify { out.append(String(format: "slowest verify: %.2f s, %@", v.verifySeconds, v.fuzzCase.description)) }
        for f in outcomes.filter(\.treeBoundAbove).prefix(20) {
            out.append(String(format: "tree bound above the optimum: %@: tree %.12g, optimum %.12g (%.2g relative)", f.fuzzCase.description,
                              f.treeBound ?? .nan, f.optimum, ((f.treeBound ?? .nan) - f.optimum) / max(abs(f.optimum), 1e-300)))
        }
        for f in failures.prefix(20) {
            var why: [String] = []
            if f.invalidBound { why.append(String(format: "LB %.12g > optimum %.12g", f.lowerBound ?? .nan, f.optimum)) }
            if f.wrongOptimum { why.append(String(format: "optimal with UB %.12g > optimum %.12g", f.upperBound, f.optimum)) }
            if f.hang { why.append(String(format: "hang (solve %.1f s, verify %.1f s)", f.solveSeconds, f.verifySeconds)) }
            if f.status == .error { why.append("error: \(f.message ?? "no message")") }
            if let t = f.thrown { why.append("threw: \(t)") }
            if !f.verifyPassed && f.thrown == nil { why.append("verify FAIL: " + f.verifyFailures.joined(separator: "; ")) }
            if !f.tamperMissed.isEmpty { why.append("tampering passed: " + f.tamperMissed.joined(separator: ", ")) }
            out.append("FAILED \(f.fuzzCase): " + why.joined(separator: " | "))
        }
        return out
    }
}
