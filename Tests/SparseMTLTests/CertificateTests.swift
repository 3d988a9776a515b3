import Foundation
import Testing
@testable import SparseMTL
import SparseMTLFuzz

/// Certificates: `verify` passes those the exact solver writes, and fails tampered ones.
@Suite struct CertificateTests {
    /// A small problem written to files, solved exactly, with its certificate.
    static func certified(_ penalty: Penalty, tasks: Int, chain: Bool, folder: TemporaryFolder,
                          settings exact: ExactSettings = ExactSettings(), taskBounds: Bool = false) throws -> String {
        var settings = SyntheticSettings()
        settings.tasks = tasks; settings.features = 6; settings.samplesPerTask = 12; settings.sparsity = 2
        settings.seed = UInt64(tasks * 10 + (chain ? 1 : 0))
        folder.write("d.csv", SyntheticInstance(settings).csv)
        var request = ProblemRequest(dataPath: folder.path("d.csv"))
        request.sparsity = penalty.sparsity; request.ridge = penalty.ridge; request.bbar = penalty.bbar
        request.zbar = penalty.zbar; request.bigM = penalty.bigM
        if chain {
            folder.write("g.csv", "task_a,task_b,weight\n" + (1..<tasks).map { "t\($0),t\($0 + 1),\(0.5 * Double($0))" }.joined(separator: "\n") + "\n")
            request.taskGraphPath = folder.path("g.csv")
        }
        let definition = try request.loadDefinition()
        let instance = try definition.instance()
        let outcome = try ExactSolver(settings: exact).solve(instance)
        #expect(outcome.result.status == .optimal)
        if taskBounds {
            #expect(outcome.taskBounds.count >= tasks, "the task decomposition did not run")
            let optimum = BruteForce.solve(instance).value
            #expect(abs(outcome.result.objective.objective - optimum) <= 1e-8 * max(1, optimum))
        }
        let path = folder.path("c.json")
        try Certificate.write(definition: definition, instance: instance, outcome: outcome, versions: [("test", "1")], to: path)
        return path
    }

    @Test(arguments: [
        (Penalty(sparsity: 2, ridge: 0.5), 1, false),
        (Penalty(sparsity: 2, ridge: 0.2, zbar: 0.3), 3, false),
        (Penalty(sparsity: 2, ridge: 0.1, bbar: 0.5, zbar: 0.2), 3, true),
        (Penalty(sparsity: 2, ridge: 0.05, bbar: 0.2, bigM: 0.8), 2, false),
        (Penalty(sparsity: 2, ridge: 0, zbar: 0.1, bigM: 1), 2, true),
    ] as [(Penalty, Int, Bool)])
    func writtenCertificatesVerify(penalty: Penalty, tasks: Int, chain: Bool) throws {
        let folder = TemporaryFolder()
        let path = try Self.certified(penalty, tasks: tasks, chain: chain, folder: folder)
        // By enumeration of every support (the default at this size), and by GLPK re-solving the
        // certificate's own master: the solve's bound must be provable from its rows alone.
        for limit in [Verifier.enumerationLimit, 0] {
            let report = try Verifier.verify(path, enumerationLimit: limit)
            #expect(report.passed, "\(penalty), limit \(limit): \(report.checks.filter { !$0.passed }.map { "\($0.name): \($0.detail)" })")
        }
        #expect(FileManager.default.fileExists(atPath: folder.path("c.master.mps")))
    }

    /// The enumeration's cover (`SupportEnumeration.Cover`), against brute force: from a pool of
    /// one support's tight cuts, the bound is the optimum, and the master over the pool and the
    /// cover's cuts reaches it on its own: min over every Z of the largest row at Z (and 0), plus
    /// δ·Zbar, computed here over every Z, is at least the bound. Every penalty mix; the pool alone
    /// falls short (so the cover has work to do).
    @Test(arguments: [
        (Penalty(sparsity: 2, ridge: 0.3), 1),
        (Penalty(sparsity: 2, ridge: 0.1, zbar: 0.3), 3),
        (Penalty(sparsity: 2, ridge: 0, zbar: 0.2, bigM: 1), 2),
        (Penalty(sparsity: 2, ridge: 0.1, bbar: 0.4), 2),
        (Penalty(sparsity: 1, ridge: 0.05, bbar: 0.3, zbar: 0.2), 3),
    ] as [(Penalty, Int)])
    func enumerationCoverLetsTheMasterReachItsBound(penalty: Penalty, tasks: Int) throws {
        var settings = SyntheticSettings()
        settings.tasks = tasks; settings.features = 5; settings.samplesPerTask = 10; settings.sparsity = 2
        settings.seed = UInt64(40 + tasks)
        let instance = try Instance(name: "cover", dataset: SyntheticInstance(settings).dataset, penalty: penalty, penaltySource: "test")
        let optimum = BruteForce.solve(instance).value
        let kCount = instance.taskCount, p = instance.featureCount
        let builder = CutBuilder(instance), inner = InnerProblem(instance, gramColumnsPerTask: p)
        let start = [[Int]](repeating: [0], count: kCount)
        let b = inner.coefficients(start, inner.fit(start).betas)
        let pool = penalty.bbar > 0 ? [builder.cut(builder.dualPoint(at: b, tasks: Array(0..<kCount)))]
            : (0..<kCount).map { builder.cut(builder.dualPoint(at: b, tasks: [$0])) }
        func masterMinimum(_ cuts: [Cut]) -> Double {
            let all = BruteForce.subsets(of: p, atMost: penalty.sparsity)
            var choice = [Int](repeating: 0, count: kCount), least = Double.infinity
            repeat {
                let supports = choice.map { all[$0] }
                let z = Support(supports).binary(featureCount: p)
                var etas = [Double](repeating: 0, count: penalty.bbar > 0 ? 1 : kCount)
                for cut in cuts { etas[cut.task ?? 0] = max(etas[cut.task ?? 0], cut.value(at: z)) }
                least = min(least, etas.reduce(0, +) + penalty.zbar * BruteForce.zbar(instance, supports))
            } while BruteForce.advance(&choice, base: all.count)
            return least
        }
        let found = try #require(SupportEnumeration.lowerBound(instance, cuts: pool, cover: SupportEnumeration.Cover(zbarWeight: penalty.zbar)))
        let coverCuts: [Cut] = try #require(found.coverCuts, "no cover")
        let bound = found.value
        let tolerance = 1e-9 * Swift.max(1, Swift.abs(optimum))
        let poolAlone = masterMinimum(pool), reached = masterMinimum(pool + coverCuts)
        #expect(Swift.abs(bound - optimum) <= tolerance, "bound \(bound), optimum \(optimum)")
        #expect(poolAlone < bound - 1e-3 * Swift.abs(bound), "the pool alone already reaches the bound")
        #expect(reached >= bound - tolerance, "master over \(coverCuts.count) cover cuts: \(reached) < bound \(bound)")
    }

    /// The re-solves of `verify` against two oracles. The master's (cut rows added lazily where
    /// violated) agrees with the master that has every cut as a row, which GLPK solves directly:
    /// explored to the end it ends at that optimum, it reaches a target just below it and not one
    /// just above (so reduced-cost fixing against the target cut off nothing below the target). A
    /// task master's re-solve may add its own dual-point cuts, so it lies between that optimum and
    /// the task's true optimum min g_k(z) + cᵀz by enumeration of supports, and never reaches a
    /// target above the latter. On every kind of master (one task, Zbar edges, one η with λ > 0,
    /// big-M, a chain graph) and on the single-task masters of task bounds. A re-solve that lost rows
    /// would end below the optimum; one that cut off too much would reach a target above it.
    @Test func lazyResolvesAgreeWithTheOracles() throws {
        let folder = TemporaryFolder()
        var decomposition = ExactSettings()
        decomposition.rootRounds = 1
        decomposition.taskDecompositionGap = 0
        let cases: [(Penalty, Int, Bool, ExactSettings)] = [
            (Penalty(sparsity: 2, ridge: 0.5), 1, false, ExactSettings()),
            (Penalty(sparsity: 2, ridge: 0.1, bbar: 0.5, zbar: 0.2), 3, true, ExactSettings()),
            (Penalty(sparsity: 2, ridge: 0, zbar: 0.1, bigM: 1), 2, true, ExactSettings()),
            (Penalty(sparsity: 2, ridge: 0.05, zbar: 0.4), 3, false, decomposition),
        ]
        var taskMasters = 0
        for (penalty, tasks, chain, settings) in cases {
            let path = try Self.certified(penalty, tasks: tasks, chain: chain, folder: folder, settings: settings)
            let reader = try CertificateReader(path)
            // The masters are in the certificate's units (`ProblemScaling`): the oracles on `model`.
            let model = reader.model
            let subsets = BruteForce.subsets(of: model.featureCount, atMost: penalty.sparsity)
            // Each proof changes its problem (rows added, columns fixed): a fresh master for each.
            // The third entry: the most the re-solve may reach (nil: the full master's optimum).
            var masters: [(String, (Bool) throws -> CertificateReader.ProofMaster, Double?)] = [("master", { try reader.master(lazyCuts: $0) }, nil)]
            for (i, bound) in reader.taskBounds.enumerated() {
                let optimum = subsets.map { support in
                    BruteForce.fitValue(model, supports: [support], tasks: [bound.task]) + support.reduce(0) { $0 + bound.costs[$1] }
                }.min()!
                masters.append(("task master \(i)", { try reader.taskMaster(bound, lazyCuts: $0) }, optimum))
            }
            taskMasters += reader.taskBounds.count
            for (name, make, trueOptimum) in masters {
                let what = "\(penalty), \(name)"
                let full = try make(false), lazy = try make(true)
                #expect(full.cuts.rows.isEmpty && !lazy.cuts.rows.isEmpty, "\(what)")
                #expect(lazy.master.problem.rowCount + lazy.cuts.rows.count == full.master.problem.rowCount, "\(what)")
                #expect(full.master.problem.solveMIP() == .optimal, "\(what)")
                let optimum = full.master.problem.mipObjective, ceiling = trueOptimum ?? optimum
                let tolerance = 1e-6 * max(1, abs(ceiling))
                let proof = lazy.proveLowerBound(.infinity, timeLimitSeconds: 60)
                guard case .notReached(let value?) = proof else { Issue.record("\(what): \(proof)"); continue }
                #expect(value >= optimum - tolerance && value <= ceiling + tolerance, "\(what): re-solved \(value), full master \(optimum), at most \(ceiling)")
                let below = try make(true).proveLowerBound(optimum - 10 * tolerance, timeLimitSeconds: 60)
                let above = try make(true).proveLowerBound(ceiling + 10 * tolerance, timeLimitSeconds: 60)
                if case .reached = below {} else { Issue.record("\(what): \(optimum - 10 * tolerance) not reached: \(below)") }
                if case .notReached = above {} else { Issue.record("\(what): \(ceiling + 10 * tolerance), above the optimum, reached: \(above)") }
            }
        }
        #expect(taskMasters >= 3, "the task decomposition did not run")
    }

    /// `verify --time-limit` bounds the whole verification: with no time, the re-solves are not
    /// attempted and the certificate that passes without a limit fails, on exactly those checks.
    @Test func timeLimitCoversTheWholeVerification() throws {
        let folder = TemporaryFolder()
        let path = try Self.certified(Penalty(sparsity: 2, ridge: 0.2, zbar: 0.3), tasks: 3, chain: false, folder: folder)
        #expect(try Verifier.verify(path).passed)
        let report = try Verifier.verify(path, timeLimitSeconds: 1e-9)
        let failed = report.checks.filter { !$0.passed }
        #expect(!report.passed && !failed.isEmpty)
        #expect(failed.allSatisfy { $0.detail.contains("time limit ran out") }, "\(failed.map(\.detail))")
    }

    /// A tree-only exact solve (no enumeration) of one synthetic task with n = p = 12, s = 3, certified
    /// optimal, and its certificate at `folder`/c.json, read back.
    static func treeOnlySingleTask(seed: UInt64, ridge: Double, bigM: Double?, folder: TemporaryFolder) throws
        -> (path: String, json: JSONValue, instance: Instance, outcome: ExactSolver.Outcome) {
        var data = SyntheticSettings()
        data.tasks = 1; data.features = 12; data.samplesPerTask = 12; data.sparsity = 3; data.seed = seed
        folder.write("d.csv", SyntheticInstance(data).csv)
        var request = ProblemRequest(dataPath: folder.path("d.csv"))
        request.sparsity = 3; request.ridge = ridge; request.bigM = bigM
        let definition = try request.loadDefinition()
        let instance = try definition.instance()
        var settings = ExactSettings()
        settings.enumerationLimit = 0
        let outcome = try ExactSolver(settings: settings).solve(instance)
        #expect(outcome.result.status == .optimal)
        let path = folder.path("c.json")
        try Certificate.write(definition: definition, instance: instance, outcome: outcome, versions: [("test", "1")], to: path)
        return (path, try JSONValue.read(path), instance, outcome)
    }

    /// `verify` passes the certificate at `path` by both routes (enumeration and GLPK re-solves), with
    /// a passing check whose name starts with `check`.
    static func expectVerifiesByBothRoutes(_ path: String, check: String) throws {
        for limit in [Verifier.enumerationLimit, 0] {
            let report = try Verifier.verify(path, enumerationLimit: limit)
            #expect(report.passed, "\(report.checks.filter { !$0.passed }.map { "\($0.name): \($0.detail)" })")
            #expect(report.checks.contains { $0.passed && $0.name.hasPrefix(check) })
        }
    }

    /// `verify` fails `json` with the value at `at` transformed, on a check whose name starts with `check`.
    static func expectTamperingFails(_ json: JSONValue, at: [Any], folder: TemporaryFolder, check: String,
                                     _ transform: (JSONValue) -> JSONValue) throws {
        folder.write("t.json", replacing(json, at, with: transform).text)
        let report = try Verifier.verify(folder.path("t.json"))
        #expect(!report.passed)
        #expect(report.checks.contains { !$0.passed && $0.name.hasPrefix(check) }, "\(report.checks.filter { !$0.passed }.map(\.name))")
    }

    /// Replaces the value at a path of keys and array indices.
    static func replacing(_ value: JSONValue, _ path: [Any], with transform: (JSONValue) -> JSONValue) -> JSONValue {
        guard let head = path.first else { return transform(value) }
        let rest = Array(path.dropFirst())
        switch (value, head) {
        case (.object(let pairs), let key as String):
            return .object(pairs.map { $0.0 == key ? ($0.0, replacing($0.1, rest, with: transform)) : $0 })
        case (.array(let items), let index as Int):
            var copy = items
            copy[index] = replacing(items[index], rest, with: transform)
            return .array(copy)
        default:
            return value
        }
    }

    @Test func tamperedCertificatesFail() throws {
        let folder = TemporaryFolder()
        let path = try Self.certified(Penalty(sparsity: 2, ridge: 0.1, bbar: 0.5, zbar: 0.2), tasks: 3, chain: true, folder: folder)
        let original = try JSONValue.read(path)
        #expect(try Verifier.verify(path).passed)
        guard case .array(let support)? = original["incumbent"]?["support"], case .array(let first) = support[0],
              case .int(let j) = first[0] else { Issue.record("no support"); return }
        let bump: (JSONValue) -> JSONValue = { .number(($0.doubleValue ?? 0) + 0.01) }
        let tampered: [(String, JSONValue, String)] = [
            ("changed coefficient", Self.replacing(original, ["incumbent", "coefficients", j, 0], with: bump), "upper bound = F(incumbent)"),
            ("changed cut constant", Self.replacing(original, ["cuts", 0, "constant"], with: bump), "every cut re-derives"),
            ("changed cut coefficient", Self.replacing(original, ["cuts", 1, "coefficients", 0, 3], with: bump), "every cut re-derives"),
            ("changed dual point", Self.replacing(original, ["cuts", 0, "dual", "u", 0, 0], with: bump), "every cut re-derives"),
            ("raised lower bound", Self.replacing(original, ["lower_bound"], with: { .number(($0.doubleValue ?? 0) * 1.01) }),
             "lower bound ≤ optimum"),
        ]
        // Both ways of checking LB: enumeration of every support (the default at this size) and the
        // GLPK re-solve of the master (enumeration limit 0), whose check is "lower bound ≤ master optimum".
        for limit in [Verifier.enumerationLimit, 0] {
            for (what, json, failing) in tampered {
                folder.write("t.json", json.text)
                let report = try Verifier.verify(folder.path("t.json"), enumerationLimit: limit)
                let expected = limit == 0 ? failing.replacingOccurrences(of: "≤ optimum", with: "≤ master optimum") : failing
                #expect(!report.passed, "\(what) passed verification")
                #expect(report.checks.contains { !$0.passed && $0.name.hasPrefix(expected) },
                        "\(what): expected '\(expected)' to fail, got \(report.checks.filter { !$0.passed }.map(\.name))")
            }
        }
    }

    /// Shifted cuts in a certificate (12 rows per task, 6 features: λ_min(G_k) > 0): it states
    /// the shifts and anchors, verifies by both routes, and a shift raised above λ_min fails.
    @Test func perspectiveShiftsAreStatedCheckedAndTamperingFails() throws {
        let folder = TemporaryFolder()
        let path = try Self.certified(Penalty(sparsity: 2, ridge: 0.01, zbar: 0.2), tasks: 2, chain: false, folder: folder)
        let original = try JSONValue.read(path)
        guard case .array(let shifts)? = original["perspective_shifts"] else { Issue.record("no perspective_shifts"); return }
        #expect(shifts.contains { ($0.doubleValue ?? 0) > 0 })
        guard case .array(let cuts)? = original["cuts"] else { Issue.record("no cuts"); return }
        #expect(cuts.contains { ($0["dual"]?["anchor"] ?? .null) != .null }, "no anchored cut")
        for limit in [Verifier.enumerationLimit, 0] { #expect(try Verifier.verify(path, enumerationLimit: limit).passed) }
        let raised = Self.replacing(original, ["perspective_shifts"]) { value in
            guard case .array(let items) = value else { return value }
            return .array(items.map { .number(($0.doubleValue ?? 0) * 50 + 1) })
        }
        folder.write("t.json", raised.text)
        let report = try Verifier.verify(folder.path("t.json"))
        #expect(!report.passed)
        #expect(report.checks.contains { !$0.passed && $0.name.hasPrefix("perspective shifts") }, "\(report.checks.filter { !$0.passed }.map(\.name))")
    }

    /// A certificate whose master holds task-bound rows (a single root round leaves a gap, so the
    /// task decomposition runs): it verifies, and a raised task bound fails.
    @Test func taskBoundsVerifyAndTamperedOnesFail() throws {
        let folder = TemporaryFolder()
        var settings = ExactSettings()
        settings.rootRounds = 1
        settings.taskDecompositionGap = 0
        let path = try Self.certified(Penalty(sparsity: 2, ridge: 0.05, zbar: 0.4), tasks: 3, chain: false, folder: folder,
                                      settings: settings, taskBounds: true)
        let report = try Verifier.verify(path)
        #expect(report.passed, "\(report.checks.filter { !$0.passed }.map { "\($0.name): \($0.detail)" })")
        #expect(report.checks.filter { $0.name.hasPrefix("task bound") }.count >= 3)
        let original = try JSONValue.read(path)
        let raised = Self.replacing(original, ["task_bounds", 0, "bound"], with: { .number(($0.doubleValue ?? 0) * 1.01 + 0.01) })
        folder.write("t.json", raised.text)
        let tampered = try Verifier.verify(folder.path("t.json"))
        #expect(!tampered.passed)
        #expect(tampered.checks.contains { !$0.passed && $0.name.hasPrefix("task bound 0") })
    }
}

