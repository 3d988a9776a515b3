import Foundation
import SparseMTL
import SparseMTLFuzz

/// `sparsemtl-fuzz [--cases N] [--seed S] [--first I] [--verbose] [--dump DIR] [--tree-only] [--scales]`: the
/// certificate core's robustness check (`FuzzCase`, `FuzzCheck`). `--dump` writes each failed or uncertified case's data and the
/// `sparsemtl solve` command that reproduces it under DIR/case-I/. `--tree-only` turns the enumeration of supports off in
/// the solve and in `verify` (every bound from GLPK, as on problems too large to enumerate). `--scales` is the
/// scale-invariance batch: each case at y and X × 1 first, and those certified there again at every other scale
/// (`scaleBatch`). Prints the totals of `FuzzReport` and every failed case; exit 0 when no case failed, 1 otherwise, 64
/// for a malformed command line.
let usage = "usage: sparsemtl-fuzz [--cases N] [--seed S] [--first I] [--verbose] [--dump DIR] [--tree-only] [--scales]\n"
var cases = 200, seed: UInt64 = 1, first = 0, verbose = false, dump: String? = nil, treeOnly = false, scales = false
var arguments = CommandLine.arguments.dropFirst()
while let flag = arguments.popFirst() {
    func value() -> String? { arguments.popFirst() }
    switch flag {
    case "--cases": cases = value().flatMap { Int($0) } ?? -1
    case "--seed": seed = value().flatMap { UInt64($0) } ?? 0
    case "--first": first = value().flatMap { Int($0) } ?? -1
    case "--verbose": verbose = true
    case "--dump": dump = value()
    case "--tree-only": treeOnly = true
    case "--scales": scales = true
    default:
        FileHandle.standardError.write(Data(usage.utf8))
        exit(64)
    }
}
guard cases >= 0, first >= 0 else {
    FileHandle.standardError.write(Data("sparsemtl-fuzz: --cases and --first take non-negative integers\n".utf8))
    exit(64)
}
Interrupt.install()
let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sparsemtl-fuzz-\(getpid())")
try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: folder) }
var check = FuzzCheck()
check.treeOnly = treeOnly

/// Runs one case; with `--dump`, its files are written under DIR/`name` before it runs (a crash
/// leaves them) and kept when it failed or did not certify.
@MainActor func runCase(_ fuzzCase: FuzzCase, name: String) -> FuzzCheck.Outcome {
    let dir = dump.map { "\($0)/\(name)" }
    if let dir {
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try? FileIO.writeAtomically(fuzzCase.csv, to: dir + "/data.csv")
        if let graph = fuzzCase.graphCSV { try? FileIO.writeAtomically(graph, to: dir + "/graph.csv") }
        try? FileIO.writeAtomically(fuzzCase.commandLine + (treeOnly ? " # solved and verified without enumeration" : "") + "\n",
                                    to: dir + "/command.txt")
    }
    let outcome = check.run(fuzzCase, in: folder)
    if let dir, !(outcome.failed || outcome.status != .optimal || outcome.treeBoundAbove) {
        try? FileManager.default.removeItem(atPath: dir)
    }
    return outcome
}

/// The scale-invariance batch: each case at scale 1 (y and X as drawn, × 1); those that certify
/// there are solved again with y × 10⁻⁶, 10⁻³, 10³, 10⁶ and X × 10⁻⁶, 10⁶, and every outcome is
/// checked as in the main run. Prints, per scale, how many certified and what the others ended as.
@MainActor func scaleBatch() -> FuzzReport {
    let factors: [(name: String, y: Double, x: Double)] = [("y × 1e-6", 1e-6, 1), ("y × 1e-3", 1e-3, 1), ("y × 1e3", 1e3, 1),
                                                             ("y × 1e6", 1e6, 1), ("X × 1e-6", 1, 1e-6), ("X × 1e6", 1, 1e6)]
    var report = FuzzReport()
    var certified = 0
    var rows: [String: [String: Int]] = [:]
    BLASLibrary.withThreads(1) {
        for index in first..<(first + cases) where !Interrupt.isRequested {
            let base = runCase(FuzzCase(index: index, seed: seed, scales: (1, 1)), name: "case-\(index)")
            report.add(base)
            guard base.status == .optimal else { continue }
            certified += 1
            for factor in factors where !Interrupt.isRequested {
                let outcome = runCase(FuzzCase(index: index, seed: seed, scales: (factor.y, factor.x)),
                                      name: "case-\(index)-" + factor.name.replacingOccurrences(of: " × ", with: ""))
                report.add(outcome)
                rows[factor.name, default: [:]][outcome.status.rawValue, default: 0] += 1
                if verbose || outcome.failed || outcome.status != .optimal {
                    print(String(format: "%@ %@: %@", outcome.failed ? "FAIL" : "ok  ", outcome.fuzzCase.description, outcome.status.rawValue))
                }
            }
        }
    }
    print("scale batch: \(certified) of \(cases) cases certified at scale 1; the same cases at other scales:")
    for factor in factors {
        let counts = rows[factor.name, default: [:]]
        print("  \(factor.name): certified \(counts["optimal", default: 0]) of \(certified)"
              + counts.filter { $0.key != "optimal" }.sorted { $0.key < $1.key }.map { ", \($0.key) \($0.value)" }.joined())
    }
    return report
}

var report = FuzzReport()
let started = Date()
if scales { report = scaleBatch() } else { BLASLibrary.withThreads(1) {
    for index in first..<(first + cases) where !Interrupt.isRequested {
        let outcome = runCase(FuzzCase(index: index, seed: seed), name: "case-\(index)")
        report.add(outcome)
        if verbose || outcome.failed {
            print(String(format: "%@ %@: %@, solve %.3f s, verify %.3f s", outcome.failed ? "FAIL" : "ok  ", outcome.fuzzCase.description,
                         outcome.status.rawValue, outcome.solveSeconds, outcome.verifySeconds))
        }
        if (index - first + 1) % 500 == 0 {
            FileHandle.standardError.write(Data(String(format: "%d cases, %.0f s\n", index - first + 1, Date().timeIntervalSince(started)).utf8))
        }
    }
} }
try? FileManager.default.removeItem(at: folder)
print(String(format: "seed %llu, cases %d…%d, %d solves, %.1f s", seed, first, first + cases - 1, report.outcomes.count, Date().timeIntervalSince(started)))
report.lines.forEach { print($0) }
print("\(report.outcomes.count - report.failures.count) passed, \(report.failures.count) failed")
exit(report.failures.isEmpty ? 0 : 1)
