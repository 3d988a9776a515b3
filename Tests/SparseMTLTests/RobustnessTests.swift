import Foundation
import Testing
@testable import SparseMTL
import SparseMTLFuzz

/// The certificate core's promise, checked against independent oracles: a seeded batch of tiny
/// problems over every penalty mix, defect and data scale against brute force (`FuzzCheck`), the
/// slack `verify` allows, portable certificates, and units that do not change the answer.
@Suite struct RobustnessTests {
    /// A batch of the fuzz run (`make test` runs 300 cases of the release build, `make bench-fuzz`
    /// 10⁴): no bound above the brute-force
    /// optimum, no wrong "optimal", no bare error, every certificate verified, every tampered one failed.
    @Test func fuzzBatchAgainstBruteForce() throws {
        let folder = TemporaryFolder()
        var report = FuzzReport()
        var check = FuzzCheck()
        check.solveSeconds = 60
        for index in 0..<Self.fuzzCases {
            report.add(check.run(FuzzCase(index: index, seed: 20261130), in: folder.url))
        }
        let outcomes = report.outcomes
        #expect(outcomes.filter(\.invalidBound).isEmpty, "\(report.lines.joined(separator: "\n"))")
        #expect(outcomes.filter(\.wrongOptimum).isEmpty, "\(report.lines.joined(separator: "\n"))")
        #expect(outcomes.allSatisfy { $0.status != .error && $0.thrown == nil }, "\(report.lines.joined(separator: "\n"))")
        #expect(outcomes.allSatisfy { $0.verifyPassed }, "\(report.lines.joined(separator: "\n"))")
        #expect(outcomes.allSatisfy { $0.tamperMissed.isEmpty }, "\(report.lines.joined(separator: "\n"))")
        #expect(outcomes.reduce(0) { $0 + $1.tampered } >= 3 * Self.fuzzCases)
    }

    /// Cases in this batch (the debug build takes about 2 s a case).
    static let fuzzCases = 30

    /// A near-perfect fit whose F(0) dwarfs its optimum (the shape of the `verify-passes-false-claim`
    /// reproduction): UB and LB both raised to 1 000 × the true UB must FAIL; a LB raised by half the
    /// documented slack passes, one raised past the brute-force optimum by twice the slack fails.
    @Test func slackIsRelativeToTheBoundsNotToTheDataScale() throws {
        let folder = TemporaryFolder()
        var random = SeededRandom(seed: 5)
        var csv = "task,y,x1,x2,x3\n"
        for _ in 0..<20 {
            let x = (0..<3).map { _ in random.normal() }
            csv += "t0,\(1000 * x[0] + 1e-3 * random.normal()),\(x[0]),\(x[1]),\(x[2])\n"
        }
        folder.write("d.csv", csv)
        var request = ProblemRequest(dataPath: folder.path("d.csv"))
        request.sparsity = 1
        request.ridge = 1e-12
        let definition = try request.loadDefinition()
        let instance = try definition.instance()
        var settings = ExactSettings()
        settings.relativeGap = 1e-8
        let outcome = try ExactSolver(settings: settings).solve(instance)
        let path = folder.path("c.json")
        try Certificate.write(definition: definition, instance: instance, outcome: outcome, versions: [], to: path)
        #expect(try Verifier.verify(path).passed)
        let optimum = BruteForce.solve(instance).value
        #expect(instance.nullObjective > 1e8 * optimum, "the case must have F(0) ≫ optimum")
        let original = try JSONValue.read(path)
        func edited(_ pairs: [(String, Double)]) throws -> Verifier.Report {
            var json = original
            for (key, value) in pairs { json = FuzzCheck.replacing(json, [key], .number(value)) }
            folder.write("t.json", json.text)
            return try Verifier.verify(folder.path("t.json"))
        }
        let ub = outcome.result.objective.objective, lb = try #require(outcome.result.lowerBound)
        #expect(try !edited([("upper_bound", 1000 * ub), ("lower_bound", 1000 * ub)]).passed)
        let slack = Verifier.slack(lb, ub, scale: instance.nullObjective)
        #expect(slack < 1e-3 * optimum, "the slack \(slack) must be small beside the optimum \(optimum)")
        #expect(try edited([("lower_bound", lb + 0.5 * slack)]).passed)
        #expect(try !edited([("lower_bound", optimum + 2 * slack + 1e-9 * optimum)]).passed)
    }

    /// A certificate moved with its data to another folder verifies there (the data path is relative);
    /// `--data` reads a copy elsewhere; a file with other contents is refused by its checksum.
    @Test func certificatesArePortable() throws {
        let folder = TemporaryFolder()
        let path = try CertificateTests.certified(Penalty(sparsity: 2, ridge: 0.2, zbar: 0.3), tasks: 2, chain: false, folder: folder)
        let json = try JSONValue.read(path)
        #expect(json["problem"]?["data"] == .string("d.csv"))
        let other = TemporaryFolder()
        for name in ["c.json", "d.csv"] {
            try FileManager.default.copyItem(atPath: folder.path(name), toPath: other.path(name))
        }
        try FileManager.default.removeItem(atPath: folder.path("d.csv"))
        #expect(try Verifier.verify(other.path("c.json")).passed)
        #expect(try Verifier.verify(path, dataPath: other.path("d.csv")).passed)
        var changed = try String(contentsOfFile: other.path("d.csv"), encoding: .utf8)
        changed = changed.replacingOccurrences(of: "\n", with: "\n\n")  // same numbers, other bytes
        other.write("e.csv", changed)
        #expect(throws: InputError.self) { try Verifier.verify(path, dataPath: other.path("e.csv")) }
    }

    /// The same problem in other units: y × 2⁻²⁰ and X × 2¹⁰ give the same supports, F scaled
    /// by 2⁻⁴⁰ (with α, δ, M mapped exactly), and both certify.
    @Test func unitsDoNotChangeTheAnswer() throws {
        var settings = SyntheticSettings()
        settings.tasks = 2; settings.features = 8; settings.samplesPerTask = 15; settings.sparsity = 2; settings.seed = 3
        let dataset = SyntheticInstance(settings).dataset
        var scaledData = dataset
        for k in 0..<dataset.taskCount {
            Vector.scale(0x1p-20, &scaledData.responses[k])
            Vector.scale(0x1p10, &scaledData.designs[k].storage)
        }
        let penalty = Penalty(sparsity: 2, ridge: 0.05, zbar: 0.1, bigM: 4)
        let mapped = Penalty(sparsity: 2, ridge: 0.05 * 0x1p20, zbar: 0.1 * 0x1p-40, bigM: 4 * 0x1p-30)
        let a = try ExactSolver().solve(Instance(name: "a", dataset: dataset, penalty: penalty, penaltySource: "test")).result
        let b = try ExactSolver().solve(Instance(name: "b", dataset: scaledData, penalty: mapped, penaltySource: "test")).result
        #expect(a.status == .optimal && b.status == .optimal, "\(a.status), \(b.status)")
        #expect(a.support == b.support)
        #expect(abs(a.objective.objective * 0x1p-40 - b.objective.objective) <= 1e-9 * b.objective.objective)
    }
}
