import Foundation
import Testing
@testable import SparseMTL
import SparseMTLFuzz

/// Restricted shifted cuts (`DualPoint.Restriction`: a node's fixings z_j = 0 outside F, the
/// perspective shifted by d_F = 0.95·λ_min(G_FF)) against g computed by brute force
/// (`BruteForce.fitValue`), on tasks with fewer rows than features, where the task has no shift of
/// its own: valid at every binary Z (inside F and, lifted, outside), tight at a support's optimum,
/// the node bound never above the node's optimum, and a shift above λ_min(G_FF) breaks cuts and is
/// refused by the check `verify` runs.
@Suite struct RestrictedCutTests {
    /// K = 1, p = 8, n = 7 (so G has rank ≤ 6 once centred: λ_min(G) = 0, no task shift).
    static func instance(_ penalty: Penalty, seed: UInt64 = 31) throws -> Instance {
        var settings = SyntheticSettings()
        settings.tasks = 1; settings.features = 8; settings.samplesPerTask = 7; settings.sparsity = 2; settings.seed = seed
        return try Instance(name: "restricted", dataset: SyntheticInstance(settings).dataset, penalty: penalty, penaltySource: "test")
    }

    static let penalties = [Penalty(sparsity: 2, ridge: 0.01), Penalty(sparsity: 3, ridge: 0.001, bigM: 0.8),
                            Penalty(sparsity: 2, ridge: 0, bigM: 0.5)]
    /// Free sets of 3 and 4 features (below n − 1 = 6, so λ_min(G_FF) > 0 for generic data).
    static let freeSets = [[0, 2, 5], [1, 3, 4, 7], [0, 1, 6, 7]]

    @Test(arguments: penalties)
    func restrictedCutsAreValidEverywhereAndTightInside(penalty: Penalty) throws {
        let instance = try Self.instance(penalty)
        #expect(PerspectiveShift.compute(instance) == [0], "the task itself must have no shift here")
        let builder = CutBuilder(instance), problem = InnerProblem(instance, gramColumnsPerTask: 8)
        let all = BruteForce.subsets(of: 8, atMost: penalty.sparsity)
        var random = SeededRandom(seed: 6)
        for features in Self.freeSets {
            let d = PerspectiveShift.restricted(instance.designs[0], gram: nil, features: features)
            let gram = PerspectiveShift.gram(instance.designs[0].columns(features))
            #expect(d > 0 && abs(d - PerspectiveShift.share * SymmetricEigen.smallest(gram)) <= 1e-12 * d, "d_F = \(d)")
            let restriction = DualPoint.Restriction(features: features, shift: d)
            // Anchors: the optimum of supports inside F (the cut is then tight there), and random
            // vectors, nonzero outside F too (the builder must zero them there).
            var anchors: [(beta: [Double], support: [Int]?)] = []
            for support in all where !support.isEmpty && support.allSatisfy(features.contains) {
                let b = problem.coefficients([support], problem.fit([support]).betas)
                anchors.append((b.column(0), support))
            }
            for _ in 0..<4 { anchors.append((random.vector(8), nil)) }
            for (beta, support) in anchors {
                let cut = builder.cut(DualPoint(tasks: [0], u: [], bHat: nil, anchor: [beta], restriction: restriction))
                if let support {
                    let exact = CutTests.g(instance, [support], cut: cut), h = cut.value(at: CutTests.binary([support], p: 8))
                    #expect(abs(h - exact) <= 1e-9 * max(1, exact), "tight at \(support): h = \(h), g = \(exact)")
                }
                for s in all {
                    let h = cut.value(at: CutTests.binary([s], p: 8)), g = CutTests.g(instance, [s], cut: cut)
                    #expect(h <= g + 1e-9 * max(1, abs(g)), "h = \(h) > g = \(g) at \(s), F = \(features), \(penalty)")
                }
            }
        }
    }

    /// The node's bound from `NodeRelaxation` (restricted shift on) never exceeds the node's optimum
    /// min { g(S) : S ⊆ F, |S| ≤ s, S ⊇ the features fixed to 1 } found by enumeration, and the
    /// restricted shift raises it above the unshifted node bound at most nodes.
    @Test func nodeBoundsStayBelowTheNodeOptimumAndRise() throws {
        var raised = 0, nodes = 0
        for penalty in Self.penalties {
            let instance = try Self.instance(penalty)
            let all = BruteForce.subsets(of: 8, atMost: penalty.sparsity)
            var shifted = NodeRelaxation(instance, iterations: 200)
            var plain = shifted
            plain.restrictedShifts = false
            shifted.restrictedShifts = true
            let cost = [Double](repeating: 0, count: 8)
            for features in Self.freeSets {
                for one in [nil, features[1]] {
                    var lower = [Double](repeating: 0, count: 8), upper = lower
                    for j in features { upper[j] = 1 }
                    if let one { lower[one] = 1 }
                    let start = upper.map { $0 * 0.5 }
                    let optimum = all.filter { s in s.allSatisfy(features.contains) && (one.map(s.contains) ?? true) }
                        .map { BruteForce.fitValue(instance, supports: [$0], tasks: [0]) }.min()!
                    let withShift = shifted.dualPoint(task: 0, start: start, lower: lower, upper: upper, cost: cost)
                    let without = plain.dualPoint(task: 0, start: start, lower: lower, upper: upper, cost: cost)
                    #expect(withShift.dual.restriction != nil)
                    #expect(withShift.bound <= optimum + 1e-9 * max(1, optimum), "node bound \(withShift.bound) > optimum \(optimum)")
                    // The cut written for the certificate gives the same bound at the node's vertices.
                    let cut = CutBuilder(instance).cut(withShift.dual)
                    for s in all where s.allSatisfy(features.contains) && (one.map(s.contains) ?? true) {
                        #expect(cut.value(at: CutTests.binary([s], p: 8)) >= withShift.bound - 1e-9 * max(1, abs(withShift.bound)))
                    }
                    nodes += 1
                    if withShift.bound > without.bound + 1e-6 * max(1, abs(without.bound)) { raised += 1 }
                }
            }
        }
        #expect(raised >= nodes * 2 / 3, "the restricted shift raised \(raised) of \(nodes) node bounds")
    }

    /// d_F well above λ_min(G_FF) breaks a cut (the oracle sees h > g at a support inside F), and
    /// `PerspectiveShift.isValid(_:design:features:)`, the check `verify` runs, refuses it.
    @Test func tooLargeARestrictedShiftIsInvalidAndRefused() throws {
        let instance = try Self.instance(Penalty(sparsity: 2, ridge: 0.01))
        let features = Self.freeSets[1]
        let smallest = SymmetricEigen.smallest(PerspectiveShift.gram(instance.designs[0].columns(features)))
        #expect(PerspectiveShift.isValid(0.95 * smallest, design: instance.designs[0], features: features))
        #expect(!PerspectiveShift.isValid(3 * smallest, design: instance.designs[0], features: features))
        let builder = CutBuilder(instance)
        let inside = BruteForce.subsets(of: 8, atMost: 2).filter { $0.allSatisfy(features.contains) }
        var random = SeededRandom(seed: 3)
        var broken = false
        for _ in 0..<20 where !broken {
            var beta = [Double](repeating: 0, count: 8)
            for j in features { beta[j] = random.normal() }
            let cut = builder.cut(DualPoint(tasks: [0], u: [], bHat: nil, anchor: [beta],
                                            restriction: DualPoint.Restriction(features: features, shift: 60 * smallest)))
            for s in inside where cut.value(at: CutTests.binary([s], p: 8)) > CutTests.g(instance, [s], cut: cut) + 1e-9 { broken = true }
        }
        #expect(broken, "no cut exceeded g with d_F at 60 × λ_min(G_FF)")
    }

    /// A tree-only solve of a task with as many rows as features (n = p = 12: no task shift, nodes
    /// with two or more zero fixings get restricted cuts): its certificate states them, verifies by
    /// both routes, and a restricted shift raised above λ_min(G_FF) fails the check for it.
    @Test func restrictedCutsInACertificateVerifyAndTamperingFails() throws {
        let folder = TemporaryFolder()
        let solved = try CertificateTests.treeOnlySingleTask(seed: 1, ridge: 0.001, bigM: 10, folder: folder)
        let optimum = BruteForce.solve(solved.instance).value
        #expect(abs(solved.outcome.result.objective.objective - optimum) <= 1e-8 * max(1, optimum))
        guard case .array(let cuts)? = solved.json["cuts"] else { Issue.record("no cuts"); return }
        let restricted = cuts.indices.filter { (cuts[$0]["dual"]?["restriction"] ?? .null) != .null }
        try #require(!restricted.isEmpty, "no restricted cut in \(cuts.count)")
        try CertificateTests.expectVerifiesByBothRoutes(solved.path, check: "restricted shifts")
        try CertificateTests.expectTamperingFails(solved.json, at: ["cuts", restricted[0], "dual", "restriction", "shift"],
                                                  folder: folder, check: "restricted shifts") {
            .number(($0.doubleValue ?? 0) * 50 + 1)
        }
    }
}
