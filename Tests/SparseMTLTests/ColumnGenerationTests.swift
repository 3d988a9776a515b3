import Foundation
import Testing
@testable import SparseMTL
import SparseMTLFuzz

/// The task decomposition's column-generation prices: the heuristic with linear costs (its pricing),
/// the restricted master's duals, and the exact solver with these prices, each against enumeration.
@Suite struct ColumnGenerationTests {
    /// Tiny cases without Bbar (λ = 0, where the decomposition applies).
    static let separable = (0..<48).filter { (try? HeuristicTests.tinyCase($0).instance.penalty.bbar == 0) ?? false }

    /// Costs in [−scale, scale] for every feature and task.
    static func costs(_ instance: Instance, seed: UInt64, scale: Double) -> Matrix {
        var random = SeededRandom(seed: seed)
        var c = Matrix(rows: instance.featureCount, columns: instance.taskCount)
        for i in c.storage.indices { c.storage[i] = random.uniform(-scale, scale) }
        return c
    }

    /// min g_k(S) + Σ_{j ∈ S} c_j for a single task, by enumeration, with g from `BruteForce`.
    static func priced(_ single: Instance, _ support: [Int], _ c: [Double]) -> Double {
        support.reduce(BruteForce.fitValue(single, supports: [support], tasks: [0])) { $0 + c[$1] }
    }

    /// On single tasks with random linear costs, the heuristic returns F alone as its objective, a
    /// support no add, drop or swap improves (checked by enumerating them), never better than the
    /// enumerated optimum, and the optimum in most cases.
    @Test func heuristicWithLinearCostsIsLocallyOptimal() throws {
        var settings = HeuristicSettings()
        settings.exactCandidates = Int.max
        var optimal = 0, total = 0
        for index in Self.separable {
            let instance = try HeuristicTests.tinyCase(index).instance
            for k in 0..<instance.taskCount {
                let single = instance.task(k)
                let scale = 0.2 * BruteForce.fitValue(single, supports: [[]], tasks: [0])
                let c = Self.costs(single, seed: UInt64(100 * index + k), scale: scale)
                let result = HeuristicSolver(settings: settings).solve(single, start: nil, linearCosts: c)
                let support = result.support.indices[0]
                let value = Self.priced(single, support, c.column(0))
                #expect(close(result.objective.objective, BruteForce.fitValue(single, supports: [support], tasks: [0]), relative: 1e-8))
                let p = single.featureCount, s = single.penalty.sparsity
                var neighbours: [[Int]] = support.map { j in support.filter { $0 != j } }
                for j in 0..<p where !support.contains(j) {
                    if support.count < s { neighbours.append((support + [j]).sorted()) }
                    for out in support { neighbours.append((support.filter { $0 != out } + [j]).sorted()) }
                }
                for other in neighbours {
                    let v = Self.priced(single, other, c.column(0))
                    #expect(value <= v + 1e-9 * max(1, abs(v)), "case \(index) task \(k): \(support) at \(value), \(other) at \(v)")
                }
                let best = BruteForce.subsets(of: p, atMost: s).map { Self.priced(single, $0, c.column(0)) }.min()!
                #expect(value >= best - 1e-9 * max(1, abs(best)))
                if value <= best + 1e-9 * max(1, abs(best)) { optimal += 1 }
                total += 1
            }
        }
        #expect(total >= 30 && Double(optimal) >= 0.8 * Double(total), "optimal in \(optimal) of \(total)")
    }

    /// The restricted master's value equals Σ_k min over its columns of g_k(S) + c_kᵀ1_S at the
    /// costs it returns (LP duality, with g and the sums recomputed here), and the costs are dual
    /// feasible for the Zbar part: δ·Σ_e w_e[P_k ≠ P_l] ≥ Σ_{k ∈ P} c_jk for every feature j and
    /// every set of tasks P. A sign error in reading the duals breaks either.
    @Test func restrictedMasterDualsPriceItsColumns() throws {
        var checked = 0
        for index in Self.separable {
            let instance = try HeuristicTests.tinyCase(index).instance
            guard instance.taskCount >= 2, instance.penalty.zbar > 0 else { continue }
            let inner = InnerProblem(instance, gramColumnsPerTask: instance.featureCount)
            let generation = ColumnGeneration(instance, inner: inner, heuristic: HeuristicSettings(),
                                              center: Matrix(rows: instance.featureCount, columns: instance.taskCount), dualWeight: 1)
            for (k, support) in HeuristicSolver().solve(instance).support.indices.enumerated() { generation.add(support, task: k) }
            let (value, c) = try #require(generation.run(seconds: nil, log: SolverLog(nil)))
            var sum = 0.0
            for k in 0..<instance.taskCount {
                let single = instance.task(k)
                sum += generation.columns[k].map { Self.priced(single, $0.support, c.column(k)) }.min()!
            }
            #expect(abs(sum - value) <= 1e-7 * max(1, abs(value)), "case \(index): master \(value), columns priced \(sum)")
            let kCount = instance.taskCount
            for j in 0..<instance.featureCount {
                for mask in 1..<(1 << kCount) {
                    let inSet = (0..<kCount).map { mask & (1 << $0) != 0 }
                    let cut = instance.graph.edges.reduce(0.0) { $0 + (inSet[$1.k] != inSet[$1.l] ? $1.weight : 0) }
                    let price = (0..<kCount).filter { inSet[$0] }.reduce(0.0) { $0 + c[j, $1] }
                    #expect(instance.penalty.zbar * cut >= price - 1e-9, "case \(index), feature \(j), tasks \(mask)")
                }
            }
            checked += 1
        }
        #expect(checked >= 5, "only \(checked) cases with Zbar and K ≥ 2")
    }

    /// The exact solver with either price source returns the enumerated optimum with status optimal
    /// and a lower bound no higher, and the decomposition (column generation) did run on some cases.
    @Test(arguments: TaskPrices.allCases)
    func exactSolverCertifiesWithEitherPrices(_ prices: TaskPrices) throws {
        var decomposed = 0
        for index in Self.separable {
            var instance = try HeuristicTests.tinyCase(index).instance
            guard instance.taskCount >= 2 else { continue }
            if instance.penalty.ridge == 0 && instance.penalty.bigM == nil { instance.penalty.bigM = 5 }
            var settings = ExactSettings()
            settings.relativeGap = 1e-8
            settings.prices = prices
            settings.taskDecompositionGap = 0  // decompose whenever the root leaves a gap
            var rounds = 0
            let result = try ExactSolver(settings: settings, log: { if $0.hasPrefix("task decomposition round") { rounds += 1 } })
                .solve(instance).result
            let best = BruteForce.solve(instance)
            #expect(result.status == .optimal, "case \(index): \(result.status)")
            #expect(abs(result.objective.objective - best.value) <= 1e-8 * max(1, abs(best.value)), "case \(index)")
            let lb = try #require(result.lowerBound)
            #expect(lb <= best.value + 1e-12 * max(1, abs(best.value)), "case \(index): bound \(lb) above \(best.value)")
            if rounds > 0 { decomposed += 1 }
        }
        #expect(decomposed >= 3, "the task decomposition ran on \(decomposed) cases")
    }
}
