import Foundation
import Testing
@testable import SparseMTL
import SparseMTLFuzz

/// The heuristic against brute-force enumeration on a seeded batch of tiny instances covering
/// every penalty mix, K = 1…3, big-M boxes, α = 0 and a non-complete task graph.
@Suite struct HeuristicTests {
    struct TinyCase: CustomStringConvertible {
        var index: Int
        var instance: Instance
        var description: String {
            let p = instance.penalty
            return "case \(index): K=\(instance.taskCount) p=\(instance.featureCount) n=\(instance.sampleCounts[0]) s=\(p.sparsity) "
                + "α=\(p.ridge) λ=\(p.bbar) δ=\(p.zbar) M=\(p.bigM.map { "\($0)" } ?? "-") graph=\(instance.graph.origin)"
        }
    }

    /// Mixes cycle through: L0L2; pure L0 (α = 0); Zbar+L2; Bbar; Zbar+Bbar; all with a box;
    /// Zbar with a box and α = 0; Zbar+Bbar on a weighted chain graph.
    static func tinyCase(_ index: Int) throws -> TinyCase {
        var random = SeededRandom(seed: UInt64(1000 + index))
        let mix = index % 8
        var settings = SyntheticSettings()
        settings.seed = UInt64(index + 1)
        settings.snr = [0.5, 2, 8][index % 3]
        settings.rho = [0, 0.5, 0.8][(index / 3) % 3]
        let coupled = [3, 4, 5, 7].contains(mix)
        let boxed = mix == 5 || mix == 6
        switch (coupled, boxed) {
        case (true, true): settings.tasks = 2; settings.features = 4
        case (true, false): settings.tasks = 1 + index % 3; settings.features = settings.tasks == 3 ? 5 : 6
        case (false, true): settings.tasks = 1 + index % 3; settings.features = 5
        case (false, false): settings.tasks = 1 + index % 3; settings.features = settings.tasks == 3 ? 6 : 8
        }
        if mix == 7 { settings.tasks = 3 }
        let s = 1 + Int(random.next() % 2) + (settings.tasks == 1 ? 1 : 0)
        settings.sparsity = min(s, settings.features)
        settings.samplesPerTask = 5 + Int(random.next() % 10)
        let data = SyntheticInstance(settings).dataset
        let alpha = mix == 1 || mix == 6 ? 0 : [0.01, 0.1, 1][index % 3]
        let lambda = coupled ? [0.05, 0.5, 2][(index / 2) % 3] : 0
        let delta = [2, 4, 5, 6, 7].contains(mix) ? [0.02, 0.2, 1][(index / 4) % 3] : 0
        let bigM = boxed ? 0.3 + random.uniform(0, 1) : nil
        var graph: TaskGraph? = nil
        if mix == 7 {
            graph = TaskGraph(taskCount: 3, edges: [.init(k: 0, l: 1, weight: 1.5), .init(k: 1, l: 2, weight: 0.25)], origin: "chain")
        }
        let penalty = Penalty(sparsity: settings.sparsity, ridge: alpha, bbar: lambda, zbar: delta, bigM: bigM)
        return TinyCase(index: index, instance: try Instance(name: "tiny\(index)", dataset: data, penalty: penalty,
                                                             graph: graph, penaltySource: "test"))
    }

    @Test func matchesBruteForceOnAtLeast95PercentAndNeverBeatsIt() throws {
        var settings = HeuristicSettings()
        settings.exactCandidates = Int.max
        let solver = HeuristicSolver(settings: settings)
        var optimal = 0, total = 0
        var misses: [String] = []
        for index in 0..<120 {
            let c = try Self.tinyCase(index)
            let result = solver.solve(c.instance)
            let best = BruteForce.solve(c.instance)
            let value = result.objective.objective
            total += 1
            #expect(result.objective.feasible, "\(c): infeasible result \(result.objective.violations)")
            #expect(value >= best.value - 1e-9 * max(1, abs(best.value)),
                    "\(c): heuristic \(value) below the brute-force optimum \(best.value)")
            if abs(value - best.value) <= 1e-8 * max(1, abs(best.value)) {
                optimal += 1
            } else {
                misses.append("\(c): heuristic \(value) \(result.support.indices), optimum \(best.value) \(best.supports)")
            }
        }
        let rate = Double(optimal) / Double(total)
        #expect(rate >= 0.95, "optimal on \(optimal)/\(total); misses:\n\(misses.joined(separator: "\n"))")
        print("heuristic optimal on \(optimal)/\(total) tiny instances")
    }

    @Test func reportedObjectiveIsWhatEvaluateGivesForTheWrittenResult() throws {
        for index in [3, 10, 21, 46] {
            var c = try Self.tinyCase(index)
            // standardised, so the written coefficients are in other units than the model's
            let f = TemporaryFolder()
            let csv = SyntheticInstance({ var s = SyntheticSettings(); s.tasks = c.instance.taskCount; s.features = 6; s.seed = UInt64(index); return s }()).csv
            f.write("d.csv", csv)
            var request = ProblemRequest(dataPath: f.path("d.csv"))
            request.sparsity = 2; request.ridge = 0.2; request.bbar = c.instance.penalty.bbar; request.zbar = 0.3
            request.bigM = c.instance.penalty.bigM; request.standardize = true
            c.instance = try request.load()
            let result = HeuristicSolver().solve(c.instance)
            f.write("r.json", result.json(c.instance).text)
            let file = try CoefficientFile.read(f.path("r.json"), taskLabels: c.instance.taskLabels, featureCount: c.instance.featureCount)
            let again = Objective.evaluate(c.instance, originalCoefficients: file.coefficients, support: file.support)
            #expect(close(again.objective, result.objective.objective, relative: 1e-12), "\(c)")
            #expect(file.support == result.support)
        }
    }

    /// Degenerate shapes: s ≥ p, a single feature, constant (zero after centring) features,
    /// α = 0 with fewer rows than s, and a single task. Each must solve, stay feasible and match
    /// brute force.
    @Test(arguments: [
        ("s = p", 3, 3, 10, Penalty(sparsity: 3, ridge: 0.1, zbar: 0.2)),
        ("s > p", 2, 3, 10, Penalty(sparsity: 5, ridge: 0.1, bbar: 0.3)),
        ("p = 1", 1, 2, 6, Penalty(sparsity: 1, ridge: 0.5, zbar: 0.1)),
        ("α = 0, n < s", 5, 2, 3, Penalty(sparsity: 3, zbar: 0.1)),
        ("K = 1, α = 0, box", 4, 1, 8, Penalty(sparsity: 2, bigM: 0.2)),
    ] as [(String, Int, Int, Int, Penalty)])
    func degenerateShapesSolve(what: String, features: Int, tasks: Int, samples: Int, penalty: Penalty) throws {
        var settings = SyntheticSettings()
        settings.features = features; settings.tasks = tasks; settings.samplesPerTask = samples
        settings.sparsity = min(2, features); settings.seed = 3
        var data = SyntheticInstance(settings).dataset
        if features >= 3 { for i in 0..<samples { data.designs[0][i, 2] = 1.5 } }  // constant in task 0
        let instance = try Instance(name: what, dataset: data, penalty: penalty, penaltySource: "test")
        var heuristic = HeuristicSettings()
        heuristic.exactCandidates = Int.max
        let result = HeuristicSolver(settings: heuristic).solve(instance)
        #expect(result.objective.feasible, "\(what): \(result.objective.violations)")
        #expect(result.objective.objective.isFinite)
        let best = BruteForce.solve(instance)
        #expect(result.objective.objective >= best.value - 1e-9 * max(1, best.value), "\(what): below the optimum")
        #expect(result.objective.objective <= best.value + 1e-6 * max(1, best.value), "\(what): \(result.objective.objective) vs \(best.value)")
    }

    @Test func sameInputSameOutput() throws {
        let c = try Self.tinyCase(12)
        let a = HeuristicSolver().solve(c.instance), b = HeuristicSolver().solve(c.instance)
        #expect(a.coefficients == b.coefficients && a.support == b.support)
    }
}
