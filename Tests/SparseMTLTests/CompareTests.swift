import Foundation
import Testing
@testable import SparseMTL
import SparseMTLFuzz

/// `sparsemtl compare` end to end, and the pieces it is built from (support recovery, held-out
/// rows from the generator, the GenGL path's refit).
@Suite struct CompareTests {
    @Test func supportRecoveryCountsEntries() {
        let r = SupportRecovery(Support([[0, 1, 2], [4]]), truth: Support([[1, 2, 3], []]))
        #expect(r.truePositives == 2 && r.selected == 4 && r.relevant == 3)
        #expect(close(r.f1, 2 * 0.5 * (2.0 / 3) / (0.5 + 2.0 / 3), relative: 1e-15))
        #expect(SupportRecovery(Support([[]]), truth: Support([[1]])).f1 == 0)
    }

    @Test func testRowsLeaveTheTrainingDataAsItWas() {
        var settings = SyntheticSettings()
        settings.tasks = 3; settings.features = 12; settings.samplesPerTask = 20; settings.sparsity = 3; settings.seed = 8
        let plain = SyntheticInstance(settings)
        settings.testSamplesPerTask = 500
        let withTest = SyntheticInstance(settings)
        #expect(plain.csv == withTest.csv && plain.truth == withTest.truth)
        // The held-out rows follow the same truth: least squares on them recovers it (n = 500, SNR 5).
        let test = try! #require(withTest.testDataset)
        for k in 0..<3 {
            let rows = (0..<500).map { i in ((0..<12).map { test.designs[k][i, $0] }, test.responses[k][i]) }
            let beta = BruteForce.leastSquares(rows, free: Array(0..<12), fixed: [:])
            let error = zip(beta, withTest.truth.column(k)).map { abs($0 - $1) }.max() ?? 0
            #expect(error < 0.35, "task \(k): max |β̂ − β| = \(error)")
        }
    }

    /// The table's three methods on a small Zbar instance: every F is recomputed by `evaluate` from
    /// the written coefficients, the certified lower bound is below every method's F, and the GenGL
    /// support respects s.
    @Test func compareReportsThreeMethodsConsistently() throws {
        let f = TemporaryFolder()
        let generate = ["generate", "--pattern", "group-lasso", "--tasks", "3", "--features", "15", "--samples", "30",
                        "--true-sparsity", "3", "--seed", "5", "--name", "c", "--sparsity", "3", "--ridge", "1", "--zbar", "0.2",
                        "--test-samples", "50"]
        #expect(try CommandRunner.run(generate, in: f.url).status == 0)
        let run = try CommandRunner.run(["compare", "c.json", "--time-limit", "20", "--test", "c_test.csv",
                                         "--output", "cmp.json", "--plot", "cmp.svg"], in: f.url)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("heuristic") && run.stdout.contains("gengl-group-lasso"))
        let result = try JSONValue.read(f.path("cmp.json"))
        guard let lowerBound = result["lower_bound"]?.doubleValue, case .array(let methods)? = result["methods"] else {
            Issue.record("no lower bound or methods")
            return
        }
        #expect(methods.count == 3)
        for (index, method) in methods.enumerated() {
            guard let objective = method["objective"]?.doubleValue, case .array(let rows)? = method["coefficients"],
                  let mse = method["test_mse"]?.doubleValue, let f1 = method["support_f1"]?.doubleValue else {
                Issue.record("method \(index) lacks a field")
                continue
            }
            #expect(lowerBound <= objective + 1e-9 * abs(objective), "LB \(lowerBound) above F \(objective) of method \(index)")
            #expect(mse > 0 && (0...1).contains(f1))
            // Recompute F from the written coefficients.
            let csv = "t1,t2,t3\n" + rows.map { row -> String in
                guard case .array(let values) = row else { return "" }
                return values.map { $0.doubleValue.map { "\($0)" } ?? "nan" }.joined(separator: ",")
            }.joined(separator: "\n") + "\n"
            _ = f.write("b\(index).csv", csv)
            let evaluate = try CommandRunner.run(["evaluate", "c.json", "--coefficients", "b\(index).csv", "--json"], in: f.url)
            let value = try JSONDecoder().decode(JSONValue.self, from: Data(evaluate.stdout.utf8))
            if let recomputed = value["objective"]?.doubleValue {
                #expect(close(recomputed, objective, relative: 1e-9), "method \(index): \(recomputed) vs \(objective)")
            } else {
                Issue.record("evaluate failed: \(evaluate.stderr)")
            }
            if case .array(let sizes)? = method["support_sizes"] {
                #expect(sizes.allSatisfy { if case .int(let n) = $0 { return n <= 3 } else { return false } })
            }
        }
        let svg = try String(contentsOfFile: f.path("cmp.svg"), encoding: .utf8)
        #expect(svg.contains("truth") && svg.contains("before refit"))
    }
}
