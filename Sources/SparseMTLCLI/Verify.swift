import ArgumentParser
import Foundation
import SparseMTL

/// `sparsemtl verify`: recheck a certificate from the data.
struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Recheck a certificate: recompute the upper bound, re-derive every cut from its dual point, re-solve the master.",
        discussion: "Prints each check and PASS or FAIL; exit code 0 only when every check passes (1 otherwise)."
    )

    @Argument(help: "Certificate JSON written by `solve --method exact --certificate`.")
    var certificate: String

    @Option(parsing: .unconditional, help: "Time limit for the whole verification (seconds): the masters are re-solved in turn within it, and one that does not reach its bound in time fails.")
    var timeLimit: Double?

    func run() throws {
        // One BLAS thread, as in `solve --method exact`: re-deriving cuts is many small products.
        let report = try BLASLibrary.withThreads(1) { try Verifier.verify(certificate, timeLimitSeconds: timeLimit) }
        for check in report.checks {
            print("\(check.passed ? "ok  " : "FAIL") \(check.name): \(check.detail)")
        }
        print(report.passed ? "PASS" : "FAIL")
        if !report.passed { throw ExitCode(ExitStatus.failure.rawValue) }
    }
}
