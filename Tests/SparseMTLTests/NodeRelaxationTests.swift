import Foundation
import Testing
@testable import SparseMTL
import SparseMTLFuzz

/// Frank–Wolfe on a node's perspective relaxation (NodeRelaxation): the bound it reports and the cut
/// of its dual point never exceed g_k + cᵀz at any binary point of the node (computed independently
/// by BruteForce.fitValue), and where the relaxation's optimum is known in closed form (the
/// cardinality does not bind, so z = 1 on the free features) it reaches it.
@Suite struct NodeRelaxationTests {
    static let penalties: [Penalty] = [
        Penalty(sparsity: 2, ridge: 0.3),
        Penalty(sparsity: 2, ridge: 0.05, zbar: 0.5),
        Penalty(sparsity: 3, ridge: 0.1, zbar: 0.2, bigM: 0.6),
        Penalty(sparsity: 2, ridge: 0, bigM: 0.5),
    ]

    @Test(arguments: penalties.indices)
    func boundAndCutStayBelowEveryBinaryPointOfTheNode(_ index: Int) throws {
        let instance = try CutTests.instance(Self.penalties[index], seed: UInt64(2 * index))
        let p = instance.featureCount, s = instance.penalty.sparsity
        let builder = CutBuilder(instance)
        var random = SeededRandom(seed: UInt64(31 + index))
        for trial in 0..<6 {
            let k = trial % instance.taskCount
            // Node bounds: some z fixed at 0, at most s − 1 fixed at 1, the rest free.
            var lower = [Double](repeating: 0, count: p), upper = [Double](repeating: 1, count: p)
            for j in 0..<p {
                let draw = random.uniform()
                if draw < 0.2 { upper[j] = 0 } else if draw < 0.35 && lower.reduce(0, +) < Double(s - 1) { lower[j] = 1 }
            }
            var others = Matrix(rows: p, columns: instance.taskCount)
            for i in others.storage.indices { others.storage[i] = random.uniform() }
            let start = (0..<p).map { j in lower[j] + (upper[j] - lower[j]) * random.uniform() * Double(s) / Double(p) }
            let relaxation = NodeRelaxation(instance, iterations: 30)
            let cost = relaxation.zbarCost(task: k, z: others)
            let found = relaxation.dualPoint(task: k, start: start, lower: lower, upper: upper, cost: cost)
            let cut = builder.cut(found.dual)
            #expect(cut.task == k)
            var best = Double.infinity
            for subset in BruteForce.subsets(of: p, atMost: s) {
                let chosen = Set(subset)
                guard (0..<p).allSatisfy({ lower[$0] == 0 || chosen.contains($0) }), subset.allSatisfy({ upper[$0] > 0 }) else { continue }
                var supports = [[Int]](repeating: [], count: instance.taskCount)
                supports[k] = subset
                let g = BruteForce.fitValue(instance, supports: [subset], tasks: [k])
                let linear = subset.reduce(0.0) { $0 + cost[$1] }
                best = min(best, g + linear)
                let h = cut.value(at: Support(supports).binary(featureCount: p))
                #expect(h <= g + 1e-9 * max(1, abs(g)), "cut above g: h = \(h), g = \(g), \(instance.penalty)")
            }
            #expect(found.bound <= best + 1e-9 * max(1, abs(best)), "D = \(found.bound) above the node's optimum \(best), \(instance.penalty)")
            // More iterations never report a weaker bound than the start point's dual alone.
            let startOnly = NodeRelaxation(instance, iterations: 0).dualPoint(task: k, start: start, lower: lower, upper: upper, cost: cost)
            #expect(found.bound >= startOnly.bound - 1e-12 * max(1, abs(startOnly.bound)))
        }
    }

    @Test func reachesTheClosedFormWhenTheCardinalityDoesNotBind() throws {
        let instance = try CutTests.instance(Penalty(sparsity: 5, ridge: 0.3), seed: 1)
        let p = instance.featureCount
        for fixedAtZero in [[], [2], [0, 4]] {
            var upper = [Double](repeating: 1, count: p)
            for j in fixedAtZero { upper[j] = 0 }
            let free = (0..<p).filter { upper[$0] > 0 }
            let start = upper.map { 0.3 * $0 }
            let found = NodeRelaxation(instance, iterations: 50)
                .dualPoint(task: 1, start: start, lower: [Double](repeating: 0, count: p), upper: upper, cost: [Double](repeating: 0, count: p))
            // z = 1 on the free features: the relaxation is the ridge fit on them.
            let ridge = BruteForce.fitValue(instance, supports: [free], tasks: [1])
            #expect(abs(found.bound - ridge) <= 1e-8 * max(1, ridge), "D = \(found.bound), ridge on \(free) = \(ridge)")
        }
    }
}
