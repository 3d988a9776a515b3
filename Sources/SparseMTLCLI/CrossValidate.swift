import ArgumentParser
import Foundation
import SparseMTL

/// `sparsemtl cv`: choose s, α, δ and λ by k-fold cross-validation inside every task.
struct CrossValidate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cv",
        abstract: "Choose s, α, δ and λ by k-fold cross-validation inside every task, then refit on all data.",
        discussion: """
        Each task's rows are shuffled with --seed and dealt into --folds folds (a task with fewer \
        rows than folds is held out in as many folds as it has rows; a task of one row always \
        trains). For each fold the heuristic runs along the grid on the other folds; the criterion \
        is the mean over folds of the mean over the held-out tasks of the validation MSE, with the \
        training folds' intercepts.

        Grids not given are automatic, from the data's scales (on the model's scale: centred, and \
        standardised with --standardize): s = 0 (intercept only), 1, …, min(--max-sparsity, p, \
        n_max − 1) with n_max the largest task's training rows; α ∈ {0} ∪ a₀·{1e-3, 1e-2, 1e-1} with \
        a₀ the mean column variance; δ ∈ {0} ∪ δ₀·{0.1, 1} with δ₀ the largest loss drop of \
        any single feature over the mean weighted degree of the task graph; λ ∈ {0} ∪ \
        λ₀·{0.1, 1, 10} with λ₀ = a₀ over that degree (K = 1: δ = λ = 0). The grid used is \
        in the JSON.

        Rules: min (default: the smallest mean error) or 1se (the simplest point within one \
        standard error of the minimum; simpler = smaller s, then larger δ, then larger λ, then \
        larger α). On the 11 designs and data sets of Benchmarks/prediction.py, min's test MSE was \
        lower than 1se's on 9, equal on 1 and higher on 1: over four penalties, 1se finds a much \
        sparser point within one SE and gives up accuracy. \
        A choice on an edge of the grid is warned about. Folds run in parallel on --threads.

        JSON: the grid, the table (mean, standard error and per-fold errors per point), the chosen \
        penalty and the point of the min rule, small tasks, warnings, and the chosen model refitted \
        on all the data (a solve result). Ctrl-C or --time-limit writes the folds finished (exit 130 / 3).
        """
    )

    @OptionGroup var problem: ProblemOptions
    @OptionGroup var selection: SelectionOptions

    @Option(parsing: .unconditional, help: "Number of folds (≥ 2).") var folds = 5
    @Option(parsing: .unconditional, help: "Independent random splits, averaged (≥ 1; repeat r uses seed + r).") var repeats = 1
    @Option(parsing: .unconditional, help: "Seed of the fold assignment.") var seed: UInt64 = 1
    @Option(help: "Selection rule: min or 1se.") var rule: String = SelectionRule.min.rawValue
    @Option(parsing: .unconditional, help: "Threads for the folds (default: the machine's cores).")
    var threads = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Draw the cv curve (mean ± SE against s per penalty, chosen and minimum marked) as SVG here.")
    var plot: String?

    func validate() throws {
        guard SelectionRule(rawValue: rule) != nil else { throw ValidationError("--rule must be min or 1se") }
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1") }
    }

    @Option(parsing: .unconditional, help: ArgumentHelp("Compute only this work item (fold unit × λ slice) and write its scores; how `sparsemtl grid` splits a cross-validation (see `sparsemtl grid --help`)."))
    var workItem: Int?

    /// What a cross-validation works on: the problem, the folds and the grid, read from the command line.
    struct Setup {
        var instance: Instance
        var cv: CrossValidation
        /// The folds, the grid and the problem (`plan.definition`, `plan.grid`).
        var plan: CrossValidation.Plan
    }

    /// Reads the problem and builds the folds and the grid, as the options say.
    func setup() throws -> Setup {
        let definition = try problem.problemDefinition(defaultSparsity: 1)
        let instance = try problem.instance(of: definition)
        var cv = CrossValidation(folds: folds, seed: seed)
        cv.repeats = repeats
        cv.workers = threads
        let assignment = try cv.assignFolds(definition.dataset)
        let grid = try selection.grid(for: instance, automatic: AutomaticGrid(instance, trainingRows: assignment.smallestTrainingRows))
        cv.deadline = selection.deadline
        return Setup(instance: instance, cv: cv, plan: try cv.plan(definition, grid: grid))
    }

    func run() throws {
        Interrupt.install()
        let setup = try setup()
        if let workItem { return try runItem(workItem, setup) }
        let grid = setup.plan.grid
        let progress = selection.quiet ? nil : ProgressLine("cv")
        if !selection.quiet {
            Terminal.note("\(folds)-fold cross-validation\(repeats > 1 ? " × \(repeats) repeats" : "") over \(grid.count) penalties "
                          + "(s \(grid.sparsities.first!)…\(grid.sparsities.last!), \(grid.ridges.count) α × \(grid.zbars.count) δ × \(grid.bbars.count) λ) on \(min(threads, setup.plan.assignment.units.count)) threads")
        }
        // The fits' matrices are small and the folds run in parallel above BLAS: one BLAS thread.
        let outcome = try BLASLibrary.withThreads(1) {
            try setup.cv.run(setup.plan) { done, total in progress?.update(done, of: total) }
        }
        progress?.finish()
        try finish(outcome, setup)
    }

    /// One work item: its (repeat, fold, λ) and the criterion of each point of its slice (null when stopped).
    func runItem(_ w: Int, _ setup: Setup) throws {
        guard w >= 0 && w < setup.plan.itemCount else {
            throw ValidationError("--work-item must be in 0…\(setup.plan.itemCount - 1)")
        }
        let errors = try BLASLibrary.withThreads(1) { try setup.plan.score(item: w) }
        let (r, f, bbar) = setup.plan.item(w)
        let status = errors == nil ? SelectionOptions.stoppedStatus(deadline: setup.cv.deadline) : "complete"
        try selection.emit(.object([("status", .string(status)),
                                    ("work_item", .int(w)), ("items", .int(setup.plan.itemCount)),
                                    ("repeat", .int(r)), ("fold", .int(f)), ("bbar", .number(bbar)),
                                    ("errors", errors.map { .array($0.map { .number($0) }) } ?? .null)]))
        try SelectionOptions.exitIfStopped(status)
    }

    /// Chooses the penalty by the rule from `outcome`, refits it on all the data, and writes the
    /// result (what `cv` prints; `merge` calls it with the outcome of a grid's items).
    func finish(_ outcome: CrossValidation.Outcome, _ setup: Setup) throws {
        let (instance, grid, cv) = (setup.instance, setup.plan.grid, setup.cv)
        let selectionRule = SelectionRule(rawValue: rule)!
        let scores = outcome.scores
        var report: [(String, JSONValue)] = [
            ("folds", .int(folds)), ("repeats", .int(repeats)), ("seed", .int(Int(truncatingIfNeeded: seed))),
            ("folds_finished", .int(outcome.finished.count)), ("rule", .string(selectionRule.rawValue)),
            ("criterion", .string("mean over folds of the mean over held-out tasks of the validation MSE")),
            ("grid", grid.json), ("small_tasks", smallTasks(outcome.assignment, instance)),
        ]
        let table: JSONValue = .array(scores.map { score in
            .object([("sparsity", .int(score.penalty.sparsity)), ("ridge", .number(score.penalty.ridge)), ("zbar", .number(score.penalty.zbar)),
                     ("bbar", .number(score.penalty.bbar)), ("mean_error", .number(score.meanError)),
                     ("standard_error", .number(score.standardError)),
                     ("fold_errors", .array(score.foldErrors.map { .number($0) }))])
        })
        guard outcome.complete else {
            // Stopped: the folds finished so far are written, without a choice or a refit.
            let status = SelectionOptions.stoppedStatus(deadline: cv.deadline)
            if !selection.quiet { Terminal.note("stopped (\(status)) after \(outcome.finished.count) of \(outcome.assignment.units.count) folds; the finished folds are written") }
            try selection.emit(.object([("status", .string(status))] + report
                                       + [("table", outcome.finished.isEmpty ? .array([]) : table)]))
            try SelectionOptions.exitIfStopped(status)
            return
        }
        guard let chosen = selectionRule.choose(scores), let minimum = SelectionRule.min.choose(scores) else {
            throw InputError(file: "command line", "cross-validation scored no penalty")
        }
        let penalty = scores[chosen].penalty
        let warnings = grid.edges(of: penalty, featureCount: instance.featureCount)
        // Refit on all data along the chosen α, δ, λ up to the chosen s.
        let refitGrid = try PenaltyGrid(sparsities: Array(0...penalty.sparsity), ridges: [penalty.ridge], zbars: [penalty.zbar], bbars: [penalty.bbar])
        var chosenInstance = instance
        chosenInstance.penalty = penalty
        let refit = SolutionPath(deadline: cv.deadline)
        guard let model = BLASLibrary.withThreads(1, { refit.run(instance, grid: refitGrid) }).last, !refit.stopped else {
            let status = SelectionOptions.status(deadline: cv.deadline)
            Terminal.note("sparsemtl: stopped (\(status)) during the final refit; the cross-validation table is written")
            try selection.emit(.object([("status", .string(status))] + report + [("table", table)]))
            try SelectionOptions.exitIfStopped(status)
            return
        }
        if !selection.quiet {
            printTable(scores, chosen: chosen, minimum: minimum)
            warnings.forEach { Terminal.note("sparsemtl: warning: \($0)") }
            ResultSummary(instance: chosenInstance, result: model.result).lines.forEach(Terminal.note)
        }
        func point(_ i: Int) -> JSONValue {
            let p = scores[i].penalty
            return .object([("index", .int(i)), ("sparsity", .int(p.sparsity)), ("ridge", .number(p.ridge)), ("zbar", .number(p.zbar)),
                            ("bbar", .number(p.bbar)), ("mean_error", .number(scores[i].meanError)),
                            ("standard_error", .number(scores[i].standardError))])
        }
        if let plot {
            let figure = CrossValidationFigure.figure(scores, chosen: chosen, minimum: minimum, rule: selectionRule,
                                                      title: "\(folds)-fold cross-validation of \(instance.name)")
            try FileIO.writeAtomically(figure.svg, to: plot)
            if !selection.quiet { Terminal.note("wrote \(plot)") }
        }
        report.append(contentsOf: [("table", table), ("chosen", point(chosen)), ("minimum", point(minimum)),
                                   ("warnings", .array(warnings.map { .string($0) })), ("model", model.result.json(chosenInstance))])
        try selection.emit(.object([("status", .string("complete"))] + report))
    }

    /// Tasks with fewer rows than folds, and in how many folds each is held out.
    func smallTasks(_ assignment: FoldAssignment, _ instance: Instance) -> JSONValue {
        let validated = assignment.validatedFolds
        return .array(instance.taskLabels.indices.filter { validated[$0] < folds }.map { k in
            .object([("task", .string(instance.taskLabels[k])), ("rows", .int(instance.sampleCounts[k])),
                     ("validated_in_folds", .int(validated[k]))])
        })
    }

    /// The table on the terminal: every point when it is short, else the best 15 and the chosen.
    func printTable(_ scores: [CrossValidation.Score], chosen: Int, minimum: Int) {
        Terminal.note("     s          α          δ          λ     mean MSE   std. error")
        let ranked = scores.indices.sorted { scores[$0].meanError < scores[$1].meanError }
        let shown = scores.count <= 40 ? Array(scores.indices) : Array(Set(ranked.prefix(15) + [chosen])).sorted()
        if shown.count < scores.count { Terminal.note("(the 15 best of \(scores.count) points, and the chosen one; all are in the JSON)") }
        for i in shown {
            let s = scores[i]
            let mark = i == chosen ? "  ← chosen (\(rule))" : (i == minimum ? "  ← minimum" : "")
            Terminal.note(String(format: "%6d %10.4g %10.4g %10.4g %12.6g %12.4g%@", s.penalty.sparsity, s.penalty.ridge, s.penalty.zbar,
                                 s.penalty.bbar, s.meanError, s.standardError, mark))
        }
    }
}
