import ArgumentParser
import Foundation
import SparseMTL

/// `sparsemtl relax`: the GenGL convex relaxation by smoothing proximal gradient.
struct Relax: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fit the GenGL convex model Σ_k (1/n_k)‖y_k − X_k w_k‖² + Ω(W) to a certified duality gap, along a γ path, or choose γ by cross-validation.",
        discussion: """
        Ω is a sum of group norms ‖π_pᵀ W_l π_K‖ over h components W = Σ W_l weighted γ/φ^(l−1), with \
        operator sets per dimension C (whole), F (each index), F2 (pair differences). Presets: lasso, \
        group-lasso, metag, rmtfl, ssmtl-m; or --operators 'TASKS:FEATURES[@W],…;…' (e.g. 'C:F;F:C' is \
        rmtfl). Every fit stops when its duality gap (from a dual feasible point) is below --gap \
        (default 1e-6 relative); --algorithm picks the method. Coefficients are reported in original \
        units; the support is read with --support-threshold.

        Without --gamma: a warm-started path of --path-points values from γ_start down to γ_start/1000. \
        With --folds k: cross-validation over that γ grid (and over --phi-grid), on the folds of \
        `sparsemtl cv` with the same --folds, --repeats and --seed, scored as cv scores (the mean over \
        folds of the mean over held-out tasks of the validation MSE); --rule min or 1se (the largest γ \
        within one standard error of the minimum). The chosen point is refitted on all the data: the \
        JSON's "model", which `sparsemtl predict` reads.
        """
    )

    @OptionGroup var problem: ProblemOptions
    @OptionGroup(title: "GenGL penalty") var gengl: GenGLOptions

    @Option(parsing: .unconditional, help: ArgumentHelp("γ (≥ 0); a comma-separated list fits a warm-started path and reports each point. Without it: a warm-started path of --path-points values from γ_start = max_j ‖∇_j f(0)‖₂ (the scale of the gradient at W = 0, as compare's path uses) down to γ_start/1000."))
    var gamma: String?

    @Option(parsing: .unconditional, help: "Points of the automatic γ path (without --gamma; ≥ 2).")
    var pathPoints = 20

    @Option(help: "Write the result JSON here (written whole, or not at all).")
    var output: String?

    @Option(parsing: .unconditional, help: "Cross-validate γ (and --phi-grid) with this many folds (≥ 2) and refit the chosen point.")
    var folds: Int?

    @Option(parsing: .unconditional, help: "With --folds: independent random splits, averaged (≥ 1; repeat r uses seed + r).")
    var repeats = 1

    @Option(parsing: .unconditional, help: "With --folds: seed of the fold assignment.")
    var seed: UInt64 = 1

    @Option(help: "With --folds: selection rule, min or 1se.")
    var rule: String = SelectionRule.min.rawValue

    @Option(help: "With --folds: comma-separated φ values to cross-validate (default: --phi).")
    var phiGrid: String?

    @Option(parsing: .unconditional, help: "With --folds: threads for the folds (default: the machine's cores).")
    var threads = ProcessInfo.processInfo.activeProcessorCount

    @Option(parsing: .unconditional, help: "Seconds per fit (each γ of a path, each fold fit); a fit stopped by it has status time_limit and is written as it is.")
    var timeLimit: Double?

    func validate() throws {
        if let folds, folds < 2 { throw ValidationError("--folds must be at least 2") }
        if repeats < 1 { throw ValidationError("--repeats must be at least 1") }
        if threads < 1 { throw ValidationError("--threads must be at least 1") }
        if let timeLimit, !(timeLimit > 0 && timeLimit.isFinite) { throw ValidationError("--time-limit must be positive") }
        guard SelectionRule(rawValue: rule) != nil else { throw ValidationError("--rule must be min or 1se") }
        if folds == nil && (phiGrid != nil || repeats != 1) { throw ValidationError("--phi-grid and --repeats need --folds") }
    }

    func run() throws {
        // GenGL does not use s: with --data, no --sparsity is needed.
        var definition = try problem.problemDefinition(defaultSparsity: 1)
        var interactions: InteractionFeatures? = nil
        // The tensor form fits the data's interactions u ⊗ u, u = (1, x − m_k): the map is fitted once, on all rows.
        if try gengl.penalty(gamma: 1).isTensor {
            let map = InteractionFeatures(fitting: definition.dataset)
            definition.dataset = map.expand(definition.dataset)
            interactions = map
            Terminal.note("tensor form: \(map.baseNames.count) features give \(map.modeSize)² = \(map.modeSize * map.modeSize) interaction cells per task")
        }
        let instance = try problem.instance(of: definition)
        guard pathPoints >= 2 else { throw ValidationError("--path-points must be at least 2") }
        let phis = try phiGrid.map { try GenGLOptions.parseList($0, flag: "--phi-grid") } ?? [gengl.phi]
        guard phis.allSatisfy({ $0 > 0 && $0.isFinite }) else { throw ValidationError("--phi-grid values must be positive") }
        let gammas = try gamma.map { try GenGLOptions.parseList($0, flag: "--gamma") } ?? {
            // γ_max (the largest over the φ values) where the penalty's weights scale with γ (not
            // with a fixed --gamma2) and W = 0 can be optimal; else the gradient's scale.
            let largest = gengl.gamma2 == nil
                ? try phis.map { try GenGLPath.largestGamma(instance, unitPenalty: penalty(gamma: 1, phi: $0)) } : []
            let start = largest.contains(nil) || largest.isEmpty ? GenGLPath.startGamma(instance) : largest.map { $0! }.max()!
            guard start > 0 else { throw InputError(file: "relax", "the gradient at W = 0 vanishes (y is constant in every task): no γ path to fit; give --gamma") }
            return (0..<pathPoints).map { start * pow(1e-3, Double($0) / Double(pathPoints - 1)) }
        }()
        Interrupt.install()
        if let folds { return try crossValidate(definition, instance: instance, interactions: interactions, folds: folds, gammas: gammas.sorted(by: >), phis: phis) }
        var warm: [Matrix]? = nil
        var points: [JSONValue] = []
        var last: GenGLResult? = nil
        for g in gammas where !Interrupt.isRequested {
            let penalty = try gengl.penalty(gamma: g)
            let result = try solver().solve(instance, penalty: penalty, warmStart: warm)
            warm = result.components
            last = result
            Terminal.note(String(format: "γ = %-10.4g F = %.8g  (loss %.6g, Ω %.6g)  %d iterations, %.2f s, %@", g, result.objective,
                                 result.loss, result.penaltyValue, result.iterations, result.seconds, result.status.rawValue))
            points.append(gengl.json(result, penalty: penalty, instance: instance, interactions: interactions))
        }
        guard let last else { throw ExitCode(ExitStatus.interrupted.rawValue) }
        let document: JSONValue = gammas.count == 1 && gamma != nil ? points[0] : .object([("path", .array(points))])
        try emit(document)
        let exit = ExitStatus(points.count < gammas.count ? .interrupted : last.status)
        if exit != .success { throw ExitCode(exit.rawValue) }
    }

    /// --folds: cross-validates (γ, φ), refits the chosen point on all the data and writes both.
    func crossValidate(_ definition: ProblemDefinition, instance: Instance, interactions: InteractionFeatures?, folds: Int, gammas: [Double], phis: [Double]) throws {
        let options = self
        let penalty: @Sendable (Double, Double) throws -> GenGLPenalty = { try options.penalty(gamma: $0, phi: $1) }
        var cv = GenGLCrossValidation(folds: folds, seed: seed, solver: solver())
        cv.repeats = repeats
        cv.workers = threads
        let rule = SelectionRule(rawValue: self.rule)!
        Terminal.note("\(folds)-fold cross-validation\(repeats > 1 ? " × \(repeats) repeats" : "") of GenGL over \(gammas.count) γ × \(phis.count) φ")
        let progress = ProgressLine("relax cv")
        let outcome = try BLASLibrary.withThreads(1) {
            try cv.run(definition, gammas: gammas, phis: phis, penalty: penalty) { done, total in progress.update(done, of: total) }
        }
        progress.finish()
        let table = JSONValue.array(outcome.scores.map { score in
            .object([("gamma", .number(score.gamma)), ("phi", .number(score.phi)), ("mean_error", .number(score.meanError)),
                     ("standard_error", .number(score.standardError)), ("fold_errors", .array(score.foldErrors.map { .number($0) }))])
        })
        var report: [(String, JSONValue)] = [
            ("folds", .int(folds)), ("repeats", .int(repeats)), ("seed", .int(Int(truncatingIfNeeded: seed))),
            ("folds_finished", .int(outcome.finished.count)), ("fits_short_of_gap", .int(outcome.fitsShortOfGap)), ("rule", .string(rule.rawValue)),
            ("criterion", .string("mean over folds of the mean over held-out tasks of the validation MSE")), ("table", table)]
        guard outcome.complete, let chosen = GenGLCrossValidation.choose(outcome.scores, rule: rule),
              let minimum = GenGLCrossValidation.choose(outcome.scores, rule: .min) else {
            Terminal.note("stopped (interrupted) after \(outcome.finished.count) of \(outcome.assignment.units.count) folds; the finished folds are written")
            try emit(.object([("status", .string("interrupted"))] + report))
            throw ExitCode(Interrupt.signal?.exitCode ?? ExitStatus.interrupted.rawValue)
        }
        if outcome.fitsShortOfGap > 0 {
            Terminal.note("sparsemtl: warning: \(outcome.fitsShortOfGap) fold fits stopped short of the gap (iteration or numerical limit) and were scored as they are")
        }
        Terminal.note("         γ          φ     mean MSE   std. error")
        for (i, score) in outcome.scores.enumerated() {
            Terminal.note(String(format: "%10.4g %10.4g %12.6g %12.4g%@", score.gamma, score.phi, score.meanError, score.standardError,
                                 i == chosen ? "  ← chosen" : i == minimum ? "  ← minimum" : ""))
        }
        let best = outcome.scores[chosen]
        let model = try cv.refit(instance, gammas: gammas, chosen: best, penalty: penalty)
        func point(_ i: Int) -> JSONValue {
            .object([("index", .int(i)), ("gamma", .number(outcome.scores[i].gamma)), ("phi", .number(outcome.scores[i].phi)),
                     ("mean_error", .number(outcome.scores[i].meanError)), ("standard_error", .number(outcome.scores[i].standardError))])
        }
        report += [("chosen", point(chosen)), ("minimum", point(minimum)),
                   ("model", gengl.json(model, penalty: try penalty(best.gamma, best.phi), instance: instance, interactions: interactions))]
        Terminal.note(String(format: "chosen γ = %.4g, φ = %g; refitted on all the data: F = %.8g, %@", best.gamma, best.phi,
                             model.objective, model.status.rawValue))
        let status = model.status == .interrupted ? "interrupted" : "complete"
        try emit(.object([("status", .string(status))] + report))
        let exit = ExitStatus(model.status)
        if exit != .success { throw ExitCode(exit.rawValue) }
    }

    /// The solver of --gap, --max-iterations … and --time-limit.
    func solver() -> GenGLSolver {
        var solver = gengl.solver(defaultTolerance: GenGLSettings().tolerance)
        solver.settings.timeLimitSeconds = timeLimit
        return solver
    }

    /// The GenGL penalty at (γ, φ).
    func penalty(gamma: Double, phi: Double) throws -> GenGLPenalty {
        var options = gengl
        options.phi = phi
        return try options.penalty(gamma: gamma)
    }

    /// Writes the document to --output or standard output.
    func emit(_ document: JSONValue) throws {
        if let output { try FileIO.writeAtomically(document.text, to: output) } else { print(document.text, terminator: "") }
    }
}
