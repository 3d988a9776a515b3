import Foundation
import SparseMTL
import SparseMTLFuzz

/// `sparsemtl-fuzz [--cases N] [--seed S] [--first I] [--verbose] [--dump DIR]`: the certificate
/// core's robustness check (`FuzzCase`, `FuzzCheck`). `--dump` writes each failed or uncertified case's data and the
/// `sparsemtl solve` command that reproduces it under DIR/case-I/. Prints the totals of `FuzzReport` and every failed case; exit 0 when
/// no case failed, 1 otherwise, 64 for a malformed command line.
var cases = 200, seed: UInt64 = 1, first = 0, verbose = false, dump: String? = nil
var arguments = CommandLine.arguments.dropFirst()
while let flag = arguments.popFirst() {
    func value() -> String? { arguments.popFirst() }
    switch flag {
    case "--cases": cases = value().flatMap { Int($0) } ?? -1
    case "--seed": seed = value().flatMap { UInt64($0) } ?? 0
    case "--first": first = value().flatMap { Int($0) } ?? -1
    case "--verbose": verbose = true
    case "--dump": dump = value()
    default:
        FileHandle.standardError.write(Data("usage: sparsemtl-fuzz [--cases N] [--seed S] [--first I] [--verbose] [--dump DIR]\n".utf8))
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
var report = FuzzReport()
let started = Date()
BLASLibrary.withThreads(1) {
    for index in first..<(first + cases) where !Interrupt.isRequested {
        let fuzzCase = FuzzCase(index: index, seed: seed)
        // The case's files are written before it runs (a crash leaves them), and kept when it failed
        // or did not certify.
        let dir = dump.map { "\($0)/case-\(index)" }
        if let dir {
            try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try? FileIO.writeAtomically(fuzzCase.csv, to: dir + "/data.csv")
            if let graph = fuzzCase.graphCSV { try? FileIO.writeAtomically(graph, to: dir + "/graph.csv") }
            try? FileIO.writeAtomically(fuzzCase.commandLine + "\n", to: dir + "/command.txt")
        }
        let outcome = FuzzCheck().run(fuzzCase, in: folder)
        report.add(outcome)
        if let dir, !(outcome.failed || outcome.status != .optimal || outcome.treeBoundAbove) {
            try? FileManager.default.removeItem(atPath: dir)
        }
        if verbose || outcome.failed {
            print(String(format: "%@ %@: %@, solve %.3f s, verify %.3f s", outcome.failed ? "FAIL" : "ok  ", outcome.fuzzCase.description,
                         outcome.status.rawValue, outcome.solveSeconds, outcome.verifySeconds))
        }
        if (index - first + 1) % 500 == 0 {
            FileHandle.standardError.write(Data(String(format: "%d cases, %.0f s\n", index - first + 1, Date().timeIntervalSince(started)).utf8))
        }
    }
}
try? FileManager.default.removeItem(at: folder)
print(String(format: "seed %llu, cases %d…%d, %.1f s", seed, first, first + report.outcomes.count - 1, Date().timeIntervalSince(started)))
report.lines.forEach { print($0) }
print("\(report.outcomes.count - report.failures.count) passed, \(report.failures.count) failed")
exit(report.failures.isEmpty ? 0 : 1)
