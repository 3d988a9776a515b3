import Foundation
import Testing
@testable import SparseMTL
import SparseMTLFuzz

/// The cuts of DESIGN.md section 2 against g(Z) computed independently (BruteForce.fitValue):
/// tight at the inner optimum, and below g at every binary Z for arbitrary dual points.
@Suite struct CutTests {
    static let penalties: [Penalty] = [
        Penalty(sparsity: 2, ridge: 0.3),
        Penalty(sparsity: 2, ridge: 0.05, zbar: 0.5),
        Penalty(sparsity: 2, ridge: 0.2, bbar: 0.7),
        Penalty(sparsity: 2, ridge: 0.1, bbar: 0.4, bigM: 0.6),
        Penalty(sparsity: 2, ridge: 0, bigM: 0.5),
        Penalty(sparsity: 2, ridge: 0.02, bbar: 1.5, bigM: 0.3),
    ]

    static func instance(_ penalty: Penalty, seed: UInt64) throws -> Instance {
        var settings = SyntheticSettings()
        settings.tasks = 3; settings.features = 5; settings.samplesPerTask = 7; settings.sparsity = 2; settings.seed = seed
        let graph = TaskGraph(taskCount: 3, edges: [.init(k: 0, l: 1, weight: 1.2), .init(k: 1, l: 2, weight: 0.4)], origin: "chain")
        return try Instance(name: "cut", dataset: SyntheticInstance(settings).dataset, penalty: penalty,
                            graph: seed % 2 == 0 ? graph : nil, penaltySource: "test")
    }

    /// g of the cut's tasks at binary supports, independently.
    static func g(_ instance: Instance, _ supports: [[Int]], cut: Cut) -> Double {
        let tasks = cut.task.map { [$0] } ?? Array(0..<instance.taskCount)
        return BruteForce.fitValue(instance, supports: tasks.map { supports[$0] }, tasks: tasks)
    }

    static func binary(_ supports: [[Int]], p: Int) -> Matrix { Support(supports).binary(featureCount: p) }

    @Test(arguments: penalties.indices)
    func cutIsTightAtTheInnerOptimumAndValidElsewhere(_ index: Int) throws {
        let instance = try Self.instance(Self.penalties[index], seed: UInt64(index))
        let problem = InnerProblem(instance, gramColumnsPerTask: 10)
        let builder = CutBuilder(instance)
        let all = BruteForce.subsets(of: 5, atMost: 2)
        var random = SeededRandom(seed: 77)
        for _ in 0..<6 {
            let at = (0..<3).map { _ in all[Int(random.next() % UInt64(all.count))] }
            let fit = problem.fit(at)
            var b = Matrix(rows: 5, columns: 3)
            for k in 0..<3 { for (j, v) in zip(at[k], fit.betas[k]) { b[j, k] = v } }
            let groups: [[Int]] = instance.penalty.bbar > 0 ? [[0, 1, 2]] : [[0], [1], [2]]
            for tasks in groups {
                let cut = builder.cut(builder.dualPoint(at: b, tasks: tasks))
                let exact = Self.g(instance, at, cut: cut)
                #expect(abs(cut.value(at: Self.binary(at, p: 5)) - exact) <= 1e-9 * max(1, exact),
                        "tight: h = \(cut.value(at: Self.binary(at, p: 5))), g = \(exact), penalty \(instance.penalty)")
                for _ in 0..<8 {  // valid at other supports
                    let other = (0..<3).map { _ in all[Int(random.next() % UInt64(all.count))] }
                    let h = cut.value(at: Self.binary(other, p: 5)), gOther = Self.g(instance, other, cut: cut)
                    #expect(h <= gOther + 1e-9 * max(1, abs(gOther)), "valid: h = \(h) > g = \(gOther)")
                }
            }
        }
    }

    @Test(arguments: penalties.indices)
    func arbitraryAndFractionalDualPointsGiveValidCuts(_ index: Int) throws {
        let instance = try Self.instance(Self.penalties[index], seed: UInt64(10 + index))
        let builder = CutBuilder(instance)
        var random = SeededRandom(seed: UInt64(5 + index))
        var duals: [DualPoint] = []
        for _ in 0..<4 {  // random points
            let u = (0..<3).map { k in random.vector(instance.designs[k].rows).map { $0 * 0.5 } }
            duals.append(DualPoint(tasks: [0, 1, 2], u: u, bHat: instance.penalty.bbar > 0 ? random.matrix(5, 3) : nil))
        }
        for _ in 0..<4 {  // points from the perspective relaxation at fractional Z
            var z = Matrix(rows: 5, columns: 3)
            for i in z.storage.indices { z.storage[i] = random.uniform() < 0.3 ? 0 : random.uniform() }
            let b = PerspectiveRelaxation(instance).coefficients(at: z)
            duals.append(builder.dualPoint(at: b, tasks: [0, 1, 2]))
        }
        if instance.penalty.bbar == 0 { duals += duals.map { DualPoint(tasks: [1], u: [$0.u[1]], bHat: nil) } }
        let all = BruteForce.subsets(of: 5, atMost: 2)
        for dual in duals {
            let cut = builder.cut(dual)
            for _ in 0..<10 {
                let supports = (0..<3).map { _ in all[Int(random.next() % UInt64(all.count))] }
                let h = cut.value(at: Self.binary(supports, p: 5)), g = Self.g(instance, supports, cut: cut)
                #expect(h <= g + 1e-9 * max(1, abs(g)), "h = \(h) > g = \(g) for \(instance.penalty)")
            }
        }
    }

    /// The perspective point is the relaxation's minimiser: its cut is tight at a binary Z, where the
    /// relaxation is the inner problem (no box, α > 0).
    @Test func perspectivePointIsExactAtBinaryPoints() throws {
        for penalty in [Penalty(sparsity: 2, ridge: 0.3), Penalty(sparsity: 2, ridge: 0.2, bbar: 0.7)] {
            let instance = try Self.instance(penalty, seed: 3)
            let supports = [[0, 2], [1], [2, 4]]
            var relaxation = PerspectiveRelaxation(instance)
            relaxation.sweeps = 200
            let b = relaxation.coefficients(at: Self.binary(supports, p: 5))
            let cut = CutBuilder(instance).cut(CutBuilder(instance).dualPoint(at: b, tasks: [0, 1, 2]))
            let g = BruteForce.fitValue(instance, supports: supports, tasks: [0, 1, 2])
            #expect(abs(cut.value(at: Self.binary(supports, p: 5)) - g) <= 1e-8 * max(1, g), "\(penalty)")
        }
    }

    /// The perspective point solves its reweighted ridge, in both of its forms (|S| < n: the
    /// |S| × |S| system; |S| ≥ n: the n × n Woodbury form): the gradient
    /// (2/n)X_Sᵀ(X_Sβ − ỹ) + 2(α/z_j)β_j vanishes on the support.
    @Test(arguments: [7, 3])
    func perspectivePointIsStationary(_ samples: Int) throws {
        var settings = SyntheticSettings()
        settings.tasks = 2; settings.features = 5; settings.samplesPerTask = samples; settings.sparsity = 2; settings.seed = 9
        let instance = try Instance(name: "stationary", dataset: SyntheticInstance(settings).dataset,
                                    penalty: Penalty(sparsity: 2, ridge: 0.3), penaltySource: "test")
        var random = SeededRandom(seed: 4)
        var z = Matrix(rows: 5, columns: 2)
        for i in z.storage.indices { z.storage[i] = 0.05 + 0.95 * random.uniform() }
        let b = PerspectiveRelaxation(instance).coefficients(at: z)
        for k in 0..<2 {
            let x = instance.designs[k], n = Double(x.rows)
            let r = BLAS.residual(instance.responses[k], x, b.column(k))
            let xr = BLAS.multiply(x, r, .transpose)
            for j in 0..<5 {
                let gradient = -2 / n * xr[j] + 2 * 0.3 / z[j, k] * b[j, k]
                #expect(abs(gradient) <= 1e-9, "n = \(samples), task \(k), feature \(j): gradient \(gradient)")
            }
        }
    }

    /// The callback's pool scan (`ExactRun.mostViolated`) returns what sorting every violated pool
    /// cut by its violation and keeping the first ten gives, in the same order.
    @Test func poolScanKeepsTheMostViolatedCuts() throws {
        let instance = try Self.instance(Penalty(sparsity: 2, ridge: 0.3), seed: 3)
        let run = ExactRun(instance: instance, settings: ExactSettings(), master: try Master(instance, encoding: nil),
                           start: HeuristicSolver().solve(instance), clock: Date(), log: nil)
        let builder = CutBuilder(instance)
        var random = SeededRandom(seed: 21)
        for i in 0..<60 {
            let k = i % 3
            run.pool.append(builder.cut(DualPoint(tasks: [k], u: [random.vector(instance.designs[k].rows).map { $0 * 0.3 }], bHat: nil)))
        }
        for _ in 0..<20 {
            let z = Matrix(rows: 5, columns: 3, columnMajor: (0..<15).map { _ in random.uniform() })
            // η_k at the median of task k's cut values: about half the pool is violated, more than ten.
            let eta = (0..<3).map { k in
                let values = run.pool.filter { $0.task == k }.map { $0.value(at: z) }.sorted()
                return values[values.count / 2] + random.uniform(-0.01, 0.01)
            }
            let reference = run.pool.map { ($0, run.violation($0, z: z, eta: eta)) }.filter { $0.1 > 0 }
                .sorted { $0.1 > $1.1 }.prefix(10).map(\.0)
            #expect(reference.count == 10)
            #expect(run.mostViolated(at: z, eta: eta, tolerance: ExactSettings().cutTolerance, limit: 10) == Array(reference))
        }
    }
}

/// Shifted cuts (`PerspectiveShift`, `DualPoint`) against g(Z) computed independently: tight at
/// the inner optimum, below g at every binary Z for any anchor, a relaxation at least as strong as
/// the plain one at fractional Z, and invalid (and refused) when the shift exceeds λ_min(G_k).
@Suite struct ShiftedCutTests {
    /// K = 3, p = 5, n = 30 rows per task: λ_min(G_k) > 0.
    static func instance(_ penalty: Penalty) throws -> Instance {
        var settings = SyntheticSettings()
        settings.tasks = 3; settings.features = 5; settings.samplesPerTask = 30; settings.sparsity = 2; settings.seed = 21
        var instance = try Instance(name: "shift", dataset: SyntheticInstance(settings).dataset, penalty: penalty, penaltySource: "test")
        instance.perspectiveShifts = PerspectiveShift.compute(instance)
        return instance
    }

    static let penalties = [Penalty(sparsity: 2, ridge: 0.01), Penalty(sparsity: 2, ridge: 0.001, zbar: 0.3, bigM: 0.8),
                            Penalty(sparsity: 2, ridge: 0, bigM: 0.5)]

    @Test(arguments: penalties)
    func shiftedCutsAreTightAndValid(penalty: Penalty) throws {
        let instance = try Self.instance(penalty)
        let shifts = try #require(instance.perspectiveShifts)
        #expect(shifts.allSatisfy { $0 > 0 }, "\(shifts)")
        for (k, d) in shifts.enumerated() {
            let smallest = SymmetricEigen.smallest(PerspectiveShift.gram(instance.designs[k]))
            #expect(abs(d - PerspectiveShift.share * smallest) <= 1e-12 * smallest)
        }
        let builder = CutBuilder(instance), problem = InnerProblem(instance, gramColumnsPerTask: 5)
        let all = BruteForce.subsets(of: 5, atMost: 2)
        var random = SeededRandom(seed: 4)
        var anchors: [Matrix] = []
        for _ in 0..<5 {
            let at = (0..<3).map { _ in all[Int(random.next() % UInt64(all.count))] }
            let b = problem.coefficients(at, problem.fit(at).betas)
            anchors.append(b)
            for k in 0..<3 {
                let cut = builder.cut(builder.dualPoint(at: b, tasks: [k]))
                #expect(cut.dual.anchor != nil)
                let exact = CutTests.g(instance, at, cut: cut), h = cut.value(at: CutTests.binary(at, p: 5))
                #expect(abs(h - exact) <= 1e-9 * max(1, exact), "tight: h = \(h), g = \(exact)")
            }
        }
        anchors.append(random.matrix(5, 3))  // any anchor
        var z = Matrix(rows: 5, columns: 3)
        for i in z.storage.indices { z.storage[i] = random.uniform() }
        anchors.append(PerspectiveRelaxation(instance).coefficients(at: z))
        for b in anchors {
            for k in 0..<3 {
                let cut = builder.cut(builder.dualPoint(at: b, tasks: [k]))
                for supports in all.map({ s in [s, s, s] }) {
                    let h = cut.value(at: CutTests.binary(supports, p: 5)), g = CutTests.g(instance, supports, cut: cut)
                    #expect(h <= g + 1e-9 * max(1, abs(g)), "h = \(h) > g = \(g) for \(penalty)")
                }
            }
        }
    }

    /// At fractional Z the shifted relaxation's own cut lies above the plain relaxation's (no box:
    /// (α + d)β²/z − dβ² ≥ αβ²/z for z ≤ 1, and each cut is tight at its relaxation's optimum).
    @Test func shiftedRelaxationIsStronger() throws {
        let shifted = try Self.instance(Penalty(sparsity: 2, ridge: 0.01))
        var plain = shifted
        plain.perspectiveShifts = nil
        var random = SeededRandom(seed: 8)
        var gains = 0
        for _ in 0..<10 {
            var z = Matrix(rows: 5, columns: 3)
            for i in z.storage.indices { z.storage[i] = 0.05 + 0.9 * random.uniform() }
            for k in 0..<3 {
                func value(_ instance: Instance) -> Double {
                    let builder = CutBuilder(instance)
                    return builder.cut(builder.dualPoint(at: PerspectiveRelaxation(instance).coefficients(at: z), tasks: [k])).value(at: z)
                }
                let a = value(shifted), b = value(plain)
                #expect(a >= b - 1e-9 * max(1, abs(b)), "shifted \(a) < plain \(b)")
                if a > b + 1e-6 * max(1, abs(b)) { gains += 1 }
            }
        }
        #expect(gains >= 20, "the shift raised the relaxation at \(gains) of 30 points")
    }

    /// A shift above λ_min(G_k) breaks the cut (it exceeds g at some Z: the oracle sees it) and
    /// `PerspectiveShift.isValid` refuses it.
    @Test func tooLargeAShiftIsInvalidAndRefused() throws {
        var instance = try Self.instance(Penalty(sparsity: 2, ridge: 0.01))
        let gram = PerspectiveShift.gram(instance.designs[0])
        let smallest = SymmetricEigen.smallest(gram)
        #expect(PerspectiveShift.isValid(0.95 * smallest, gram: gram))
        #expect(!PerspectiveShift.isValid(3 * smallest, gram: gram))
        instance.perspectiveShifts = [3 * smallest * 20, 0, 0]
        let builder = CutBuilder(instance)
        let all = BruteForce.subsets(of: 5, atMost: 2)
        var random = SeededRandom(seed: 2)
        var broken = false
        for _ in 0..<20 where !broken {
            let cut = builder.cut(builder.dualPoint(at: random.matrix(5, 3), tasks: [0]))
            for s in all where cut.value(at: CutTests.binary([s, [], []], p: 5)) > CutTests.g(instance, [s, [], []], cut: cut) + 1e-9 {
                broken = true
            }
        }
        #expect(broken, "no cut exceeded g with the shift at 60 × λ_min")
    }
}
