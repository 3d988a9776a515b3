import ArgumentParser
import Foundation
import SparseMTL

/// `sparsemtl verify`: recheck a certificate from the data.
struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Recheck a certificate: recompute the upper bound, re-derive every cut from its dual point, re-prove the lower bound.",
        discussion: """
        Prints each check and PASS or FAIL. A certificate whose solve stopped before it had a lower bound \
        verifies as "PASS (upper bound only)". Small problems are rechecked by enumerating every support; \
        larger ones by re-solving the master with GLPK. A stated bound passes when it is at most \
        10⁻⁹·max(|a|, |b|) + 10⁻¹²·√(F₀·max(|a|, |b|)) + 10⁻¹⁵·F₀ on the wrong side of what is recomputed \
        (F₀ = F at B = 0). Exit codes: 0 PASS, 1 FAIL, 65/66 unreadable or malformed input, \
        130 interrupted (Ctrl-C), 143 terminated (SIGTERM).
        """
    )

    @Argument(help: "Certificate JSON written by `solve --method exact --certificate`.")
    var certificate: String

    @Option(help: "Read this data file instead of the one the certificate names (a moved copy; its SHA-256 must match).")
    var data: String?

    @Option(parsing: .unconditional, help: "Time limit for the whole verification (seconds): the masters are re-solved in turn within it, and one that does not reach its bound in time fails.")
    var timeLimit: Double?

    @Option(parsing: .unconditional, help: "Recheck problems with at most this many support fits by enumerating every support (default 200000); larger ones, and all with 0, by GLPK re-solving the certificate's own master.")
    var enumerationLimit: Double = Verifier.enumerationLimit

    func validate() throws {
        if let t = timeLimit, !(t > 0) { throw ValidationError("--time-limit must be positive") }
        if !(enumerationLimit >= 0) { throw ValidationError("--enumeration-limit must be ≥ 0") }
    }

    func run() throws {
        Interrupt.install()
        // One BLAS thread, as in `solve --method exact`: re-deriving cuts is many small products.
        let report = try BLASLibrary.withThreads(1) { try Verifier.verify(certificate, dataPath: data, timeLimitSeconds: timeLimit, enumerationLimit: enumerationLimit) }
        for check in report.checks {
            print("\(check.passed ? "ok  " : "FAIL") \(check.name): \(check.detail)")
        }
        if let signal = Interrupt.signal {
            print("FAIL (stopped by \(signal.name) before every check was done)")
            throw ExitCode(signal.exitCode)
        }
        print(report.passed ? (report.upperBoundOnly ? "PASS (upper bound only: the certificate states no lower bound)" : "PASS") : "FAIL")
        if !report.passed { throw ExitCode(ExitStatus.failure.rawValue) }
    }
}
