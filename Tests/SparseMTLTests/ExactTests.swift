import Foundation
import Testing
@testable import SparseMTL
import SparseMTLFuzz

/// The exact solver against brute-force enumeration: optimal status, the optimum to 1e-8 relative,
/// and a lower bound that never exceeds the optimum. Every penalty mix, K = 1…3, boxes, α = 0 with
/// a box, and a weighted chain graph (the tiny cases of the heuristic's test).
@Suite struct ExactTests {
    static let cases = Array(0..<48)

    @Test(arguments: cases)
    func certifiesTheBruteForceOptimum(_ index: Int) throws {
        let c = try HeuristicTests.tinyCase(index)
        var instance = c.instance
        if instance.penalty.ridge == 0 && instance.penalty.bigM == nil { instance.penalty.bigM = 5 }  // α = 0 needs a box
        var settings = ExactSettings()
        settings.relativeGap = 1e-8
        let outcome = try ExactSolver(settings: settings).solve(instance)
        let best = BruteForce.solve(instance)
        let result = outcome.result
        #expect(result.status == .optimal, "\(c): status \(result.status), UB \(result.objective.objective), LB \(result.lowerBound as Any), gap \(result.gap as Any)")
        #expect(abs(result.objective.objective - best.value) <= 1e-8 * max(1, abs(best.value)),
                "\(c): exact \(result.objective.objective) \(result.support.indices), optimum \(best.value) \(best.supports)")
        let lb = try #require(result.lowerBound)
        #expect(lb <= best.value + 1e-12 * max(1, abs(best.value)), "\(c): lower bound \(lb) above the optimum \(best.value)")
        #expect(result.objective.feasible)
    }

    /// Reduced-cost fixing fires on the tiny cases (so the brute-force test above covers it) and on
    /// a mid-size instance, where it gives the optimum of a run without it.
    @Test func reducedCostFixingKeepsTheOptimum() throws {
        var fired = 0
        for index in Self.cases {
            var instance = try HeuristicTests.tinyCase(index).instance
            if instance.penalty.ridge == 0 && instance.penalty.bigM == nil { instance.penalty.bigM = 5 }
            let counters = try ExactSolver().solve(instance).result.counters
            if (counters.first { $0.0 == "fixed_by_reduced_cost" }?.1 ?? 0) > 0 { fired += 1 }
        }
        #expect(fired >= 10, "fixing fired on \(fired) of \(Self.cases.count) tiny cases")
        var settings = SyntheticSettings()
        settings.tasks = 3; settings.features = 40; settings.samplesPerTask = 40; settings.sparsity = 4; settings.seed = 12
        let instance = try Instance(name: "rc", dataset: SyntheticInstance(settings).dataset,
                                    penalty: Penalty(sparsity: 4, ridge: 1, zbar: 0.1), penaltySource: "test")
        var results: [SolveResult] = []
        for fixing in [true, false] {
            var exact = ExactSettings()
            exact.relativeGap = 1e-8
            exact.reducedCostFixing = fixing
            results.append(try ExactSolver(settings: exact).solve(instance).result)
        }
        let fixedCount = results[0].counters.first { $0.0 == "fixed_by_reduced_cost" }?.1 ?? 0
        #expect(fixedCount > 0 && results.allSatisfy { $0.status == .optimal },
                "\(results.map { "\($0.status.rawValue) gap \($0.gap as Any) \($0.message ?? "")" })")
        #expect(abs(results[0].objective.objective - results[1].objective.objective) <= 1e-8 * results[1].objective.objective)
        #expect(results[0].lowerBound! <= results[1].objective.objective && results[1].lowerBound! <= results[0].objective.objective)
    }

    @Test func refusesUnboundedCuts() throws {
        var instance = try HeuristicTests.tinyCase(1).instance
        instance.penalty = Penalty(sparsity: 1, ridge: 0)
        #expect(throws: InputError.self) { try ExactSolver().solve(instance) }
    }

    /// Both Zbar encodings give the same optimum on the default graph.
    @Test func zbarEncodingsAgree() throws {
        let instance = try HeuristicTests.tinyCase(2).instance  // Zbar + L2, K = 3
        #expect(instance.penalty.zbar > 0 && instance.taskCount == 3)
        var values: [Double] = []
        for encoding in ZbarEncoding.allCases {
            var settings = ExactSettings()
            settings.relativeGap = 1e-8
            settings.zbarEncoding = encoding
            values.append(try ExactSolver(settings: settings).solve(instance).result.objective.objective)
        }
        #expect(abs(values[0] - values[1]) <= 1e-9 * max(1, values[0]))
    }
}
