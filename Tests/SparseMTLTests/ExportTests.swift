import Foundation
import Testing
@testable import SparseMTL
import SparseMTLFuzz

/// MPS export. The MIQP model is checked against the objective F computed from residuals
/// (`Objective.evaluate`) at random feasible points and at the brute-force optimum; that other
/// solvers read the files the way we mean them is checked by SCIP in Tests/python/check_interop.py.
@Suite struct ExportTests {
    static func forms(_ penalty: Penalty) -> [MIQPFormulation.Form] {
        (penalty.ridge > 0 ? [.perspective] : []) + (penalty.bigM != nil ? [.bigm] : [])
    }

    /// Random B on random supports of at most s features per task (inside the box when there is one).
    static func randomPoint(_ instance: Instance, _ random: inout SeededRandom) -> (Matrix, Support) {
        let p = instance.featureCount, s = instance.penalty.sparsity
        var b = Matrix(rows: p, columns: instance.taskCount)
        var lists: [[Int]] = []
        for k in 0..<instance.taskCount {
            let size = Int(random.next() % UInt64(s + 1))
            let chosen = Array(Set((0..<size).map { _ in Int(random.next() % UInt64(p)) })).sorted()
            for j in chosen { b[j, k] = (instance.penalty.bigM ?? 2) * random.uniform(-1, 1) }
            lists.append(chosen)
        }
        return (b, Support(lists))
    }

    @Test(arguments: 0..<16)
    func modelObjectiveIsFAtFeasiblePoints(_ index: Int) throws {
        let instance = try HeuristicTests.tinyCase(index).instance
        var random = SeededRandom(seed: UInt64(77 + index))
        for form in Self.forms(instance.penalty) {
            for loss in [MIQPFormulation.LossForm.gram, .residual] {
                let formulation = try MIQPFormulation(instance, form: form, loss: loss)
                for _ in 0..<5 {
                    let (b, support) = Self.randomPoint(instance, &random)
                    let x = formulation.point(instance, coefficients: b, support: support)
                    let f = Objective.evaluate(instance, coefficients: b, support: support).objective
                    let model = formulation.model.objective(at: x)
                    #expect(close(model, f, relative: 1e-10), "case \(index) \(form)/\(loss): model \(model), F \(f)")
                    #expect(formulation.model.violation(at: x) <= 1e-9, "case \(index) \(form)/\(loss): infeasible")
                }
            }
        }
    }

    @Test(arguments: 0..<16)
    func bruteForceOptimumIsAFeasiblePointWithValueF(_ index: Int) throws {
        let instance = try HeuristicTests.tinyCase(index).instance
        let optimum = BruteForce.solve(instance)
        let inner = InnerProblem(instance, gramColumnsPerTask: instance.featureCount)
        let b = inner.coefficients(optimum.supports, inner.fit(optimum.supports).betas)
        for form in Self.forms(instance.penalty) {
            let formulation = try MIQPFormulation(instance, form: form)
            let x = formulation.point(instance, coefficients: b, support: Support(optimum.supports))
            #expect(close(formulation.model.objective(at: x), optimum.value, relative: 1e-8), "case \(index) \(form)")
            #expect(formulation.model.violation(at: x) <= 1e-9, "case \(index) \(form)")
        }
    }

    @Test func perspectiveCarriesTheImpliedBound() throws {
        let instance = try HeuristicTests.tinyCase(0).instance
        #expect(instance.penalty.bigM == nil && instance.penalty.ridge > 0)
        let model = try MIQPFormulation(instance, form: .perspective).model
        let fAtZero = zip(instance.responses, instance.designs).reduce(0.0) { sum, task in
            sum + task.0.reduce(0) { $0 + $1 * $1 } / Double(task.1.rows)
        }
        let row = try #require(model.rows.first { $0.name == "bigm_up_0_0" })
        #expect(close(-row.linear[1].coefficient, (fAtZero / instance.penalty.ridge).squareRoot(), relative: 1e-8))
    }

    @Test func formsRefuseWhatTheyCannotExpress() throws {
        let instance = try HeuristicTests.tinyCase(1).instance  // α = 0, no box
        #expect(instance.penalty.ridge == 0 && instance.penalty.bigM == nil)
        #expect(throws: InputError.self) { try MIQPFormulation(instance, form: .perspective) }
        #expect(throws: InputError.self) { try MIQPFormulation(instance, form: .bigm) }
    }

    @Test func mpsTextFollowsTheQuadraticConventions() {
        var model = QuadraticModel(name: "m")
        let x = model.addColumn("x", lower: -.infinity)
        let z = model.addColumn("z", upper: 1, integer: true)
        let t = model.addColumn("t", cost: 0.5)
        model.objectiveConstant = 3
        model.addObjectiveTerm(x, x, 1.5)
        model.addObjectiveTerm(z, x, -0.25)
        model.addRow("c", .lessOrEqual, 0, linear: [], quadratic: [.init(i: x, j: x, coefficient: 1), .init(i: z, j: t, coefficient: -1)])
        let text = MPSWriter.text(model)
        // QUADOBJ holds ½xᵀQx over the upper triangle: Q_xx = 3 for 1.5x², Q_xz = −0.25 for −0.25xz.
        #expect(text.contains("QUADOBJ\n    x x 3.0\n    x z -0.25\n"), "\(text)")
        // QCMATRIX holds xᵀQx with the full symmetric Q: −zt is −0.5 twice.
        #expect(text.contains("QCMATRIX c\n    x x 1.0\n    z t -0.5\n    t z -0.5\n"), "\(text)")
        #expect(text.contains("RHS obj -3.0") && text.contains(" FR BND x") && text.contains(" BV BND z"))
        #expect(text.contains("'MARKER' 'INTORG'\n    z obj 0\n") && text.contains("'MARKER' 'INTEND'\n    t obj 0.5\n"))
    }

    @Test func exportCommandWritesMPSAndMappingOrFailsCleanly() throws {
        let f = CommandLineTests().folder()
        var outcome = try CommandRunner.run(["export", "i.json", "--output", "p.mps"], in: f.url)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let mapping = try String(contentsOfFile: f.path("p.map.csv"), encoding: .utf8)
        #expect(mapping.hasPrefix("column,kind,task_index,task,feature_index,feature,sample,scale\nb_0_0,coefficient,0,a,0,x1,,1.0\n"))
        #expect(try String(contentsOfFile: f.path("p.mps"), encoding: .utf8).contains("QCMATRIX persp_2_1"))

        outcome = try CommandRunner.run(["export", "i.json", "--form", "bigm", "--output", "q.mps"], in: f.url)
        #expect(outcome.status == 65 && outcome.stderr.contains("--big-m"), "\(outcome.stderr)")
        outcome = try CommandRunner.run(["export", "--problem", "master", "--output", "q.mps"], in: f.url)
        #expect(outcome.status == 64, "\(outcome.stderr)")
        outcome = try CommandRunner.run(["export", "i.json", "--output", "missing/q.mps"], in: f.url)
        #expect(outcome.status == 73, "\(outcome.stderr)")
        #expect(!FileManager.default.fileExists(atPath: f.path("q.mps")) && !FileManager.default.fileExists(atPath: f.path("q.map.csv")))
        // The mapping cannot be written (a folder has its name): the MPS file goes with it.
        try FileManager.default.createDirectory(atPath: f.path("r.map.csv"), withIntermediateDirectories: true)
        outcome = try CommandRunner.run(["export", "i.json", "--output", "r.mps"], in: f.url)
        #expect(outcome.status == 73 && outcome.stderr.contains("r.map.csv"), "\(outcome.stderr)")
        #expect(!FileManager.default.fileExists(atPath: f.path("r.mps")))
    }

    @Test func masterExportReproducesTheVerifiedMaster() throws {
        let folder = TemporaryFolder()
        let path = try CertificateTests.certified(Penalty(sparsity: 2, ridge: 0.2, zbar: 0.3), tasks: 2, chain: false, folder: folder)
        let reader = try CertificateReader(path)
        for free in [true, false] {
            let mps = folder.path(free ? "m.mps" : "m-fixed.mps")
            try reader.writeMaster(to: mps, free: free)
            let problem = try GLPKProblem.readMPS(mps, free: free)
            #expect(problem.solveMIP() == .optimal)
            let value = problem.mipObjective
            // The master is in the certificate's units: its values are F / t².
            let units = reader.scaling.value(1)
            let lb = try #require(reader.lowerBound) / units, ub = reader.upperBound / units
            #expect(lb <= value + 1e-9 * abs(value) && value <= ub + 1e-9 * abs(value), "LB \(lb) ≤ \(value) ≤ UB \(ub)")
        }
    }
}
