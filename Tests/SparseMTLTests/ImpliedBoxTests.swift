import Foundation
import Testing
@testable import SparseMTL
import SparseMTLFuzz

/// The implied box M̂ = √(U/α) of the dual bounds (`ImpliedBox`) against g computed by brute force
/// (`BruteForce.fitValue`, unboxed, over every joint support of K = 2 tasks): a cut built with M̂ may exceed g only at supports with g > U,
/// which no B better than an incumbent of value U uses; a box narrower than the coefficients of a
/// support with g ≤ U breaks that (so the check can fail); tree-only solves without a box reach the
/// enumerated optimum with M̂ set; and `verify` refuses a certificate whose M̂ is narrowed.
@Suite struct ImpliedBoxTests {
    static let penalties = [Penalty(sparsity: 2, ridge: 0.3), Penalty(sparsity: 2, ridge: 0.01, zbar: 0.5),
                            Penalty(sparsity: 2, ridge: 0.02, bbar: 0.7), Penalty(sparsity: 2, ridge: 0.05, bigM: 40)]

    /// K = 2 tasks, p = 5, n = 7.
    static func instance(_ penalty: Penalty, seed: UInt64) throws -> Instance {
        var settings = SyntheticSettings()
        settings.tasks = 2; settings.features = 5; settings.samplesPerTask = 7; settings.sparsity = 2; settings.seed = seed
        return try Instance(name: "implied", dataset: SyntheticInstance(settings).dataset, penalty: penalty, penaltySource: "test")
    }

    /// Every joint support (K = 2, p = 5, at most 2 features per task).
    static func supports() -> [[[Int]]] {
        let one = BruteForce.subsets(of: 5, atMost: 2)
        return one.flatMap { a in one.map { b in [a, b] } }
    }

    /// Violations of "h(Z) ≤ g(Z) wherever g(Z) ≤ U" by cuts built with `box`, over dual points at the
    /// fits of random supports and at random u.
    static func violations(_ instance: Instance, box: Double, u: Double, seed: UInt64) -> Int {
        var boxed = instance
        boxed.impliedBox = box
        let builder = CutBuilder(boxed), problem = InnerProblem(instance, gramColumnsPerTask: 5)
        let all = supports()
        var random = SeededRandom(seed: seed)
        let groups: [[Int]] = instance.penalty.bbar > 0 ? [[0, 1]] : [[0], [1]]
        var count = 0
        for round in 0..<8 {
            let at = all[Int(random.next() % UInt64(all.count))]
            let duals: [DualPoint]
            if round % 2 == 0 {
                let fit = problem.fit(at)
                var b = Matrix(rows: 5, columns: 2)
                for k in 0..<2 { for (j, v) in zip(at[k], fit.betas[k]) { b[j, k] = v } }
                duals = groups.map { builder.dualPoint(at: b, tasks: $0) }
            } else {
                let u = (0..<2).map { k in random.vector(instance.designs[k].rows) }
                duals = groups.map { DualPoint(tasks: $0, u: u, bHat: instance.penalty.bbar > 0 ? random.matrix(5, 2) : nil) }
            }
            for dual in duals {
                let cut = builder.cut(dual)
                for z in all {
                    let g = CutTests.g(instance, z, cut: cut)
                    if g <= u && cut.value(at: CutTests.binary(z, p: 5)) > g + 1e-9 * max(1, abs(g)) { count += 1 }
                }
            }
        }
        return count
    }

    @Test(arguments: penalties.indices)
    func cutsWithTheImpliedBoxHoldWhereverGIsBelowU(_ index: Int) throws {
        let instance = try Self.instance(Self.penalties[index], seed: UInt64(40 + index))
        let all = Self.supports()
        let values = all.map { BruteForce.fitValue(instance, supports: $0, tasks: [0, 1]) }.sorted()
        // U: the optimum of the fits (the tightest box any incumbent gives) and a median support.
        for u in [values[0], values[values.count / 2]] {
            let box = try #require(ImpliedBox.box(instance, incumbentValue: u))
            #expect(ImpliedBox.isValid(box, instance: instance, incumbentValue: u))
            #expect(!ImpliedBox.isValid(0.99 * box, instance: instance, incumbentValue: u))
            #expect(Self.violations(instance, box: box, u: u, seed: UInt64(index)) == 0, "U = \(u), M̂ = \(box)")
        }
    }

    /// The oracle sees a box too narrow: half the largest |β| of the fits with g ≤ U makes some cut
    /// exceed g at a support with g ≤ U.
    @Test func aNarrowerBoxBreaksCuts() throws {
        let instance = try Self.instance(Penalty(sparsity: 2, ridge: 0.01), seed: 3)
        let problem = InnerProblem(instance, gramColumnsPerTask: 5)
        let all = Self.supports()
        let values = all.map { BruteForce.fitValue(instance, supports: $0, tasks: [0, 1]) }
        let u = values.sorted()[values.count / 2]
        let largest = all.indices.filter { values[$0] <= u }.map { problem.fit(all[$0]).betas.flatMap { $0 }.map(abs).max() ?? 0 }.max() ?? 0
        #expect(Self.violations(instance, box: largest / 2, u: u, seed: 9) > 0, "no cut broke with M̂ = \(largest / 2)")
    }

    /// Tree-only exact solves without a box (ridge alone, with Zbar, with Bbar): M̂ is set and the certified
    /// optimum is the enumerated one.
    @Test func treeOnlySolvesWithoutABoxReachTheEnumeratedOptimum() throws {
        var settings = ExactSettings()
        settings.enumerationLimit = 0
        for (index, penalty) in Self.penalties.prefix(3).enumerated() {
            let instance = try Self.instance(penalty, seed: UInt64(60 + index))
            let outcome = try ExactSolver(settings: settings).solve(instance)
            let optimum = BruteForce.solve(instance).value
            #expect(outcome.impliedBox != nil)
            #expect(outcome.result.status == .optimal)
            #expect(abs(outcome.result.objective.objective - optimum) <= 1e-8 * max(1, optimum), "\(penalty)")
            #expect((outcome.result.lowerBound ?? .infinity) <= optimum + 1e-9 * max(1, optimum))
        }
    }

    /// A certificate of a solve without a box states M̂, verifies by both routes, and fails the
    /// implied-box check once M̂ is narrowed.
    @Test func aNarrowedImpliedBoxFailsVerify() throws {
        let folder = TemporaryFolder()
        let solved = try CertificateTests.treeOnlySingleTask(seed: 4, ridge: 0.01, bigM: nil, folder: folder)
        try #require(solved.json["implied_box"]?.doubleValue != nil)
        try CertificateTests.expectVerifiesByBothRoutes(solved.path, check: "implied box")
        try CertificateTests.expectTamperingFails(solved.json, at: ["implied_box"], folder: folder, check: "implied box") {
            .number(0.9 * ($0.doubleValue ?? 0))
        }
    }
}
