import ArgumentParser
import Foundation
import SparseMTL

/// `sparsemtl cv`: choose s (and δ, λ from grids) by k-fold cross-validation inside every task.
struct CrossValidate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cv",
        abstract: "Choose s (and δ, λ from grids) by k-fold cross-validation inside every task, then refit on all data.",
        discussion: """
        Each task's rows are shuffled with --seed and dealt into --folds folds. For each fold the path \
        is fitted on the other folds; the criterion is the mean over folds of the mean over tasks of \
        the validation MSE. JSON: the table (mean, standard error and per-fold errors per grid point), \
        the chosen penalty, and the chosen model refitted on all the data (a solve result).
        """
    )

    @OptionGroup var problem: ProblemOptions
    @OptionGroup var selection: SelectionOptions

    @Option(parsing: .unconditional, help: "Number of folds (≥ 2).") var folds = 5
    @Option(parsing: .unconditional, help: "Seed of the fold assignment.") var seed: UInt64 = 1

    func run() throws {
        let definition = try problem.problemDefinition()
        let instance = try problem.instance(of: definition)
        let grid = try selection.grid(for: instance)
        Interrupt.install()
        var cv = CrossValidation(folds: folds, seed: seed)
        cv.deadline = selection.deadline
        if !selection.quiet { Terminal.note("\(folds)-fold cross-validation over \(grid.penalties(base: definition.penalty).count) penalties") }
        let scores = try cv.run(definition, grid: grid) { fold, count in
            if !selection.quiet { Terminal.note("fold \(fold)/\(count) done") }
        }
        let finished = scores.first?.foldErrors.count ?? 0
        let table: JSONValue = .array(scores.map { score in
            .object([("sparsity", .int(score.penalty.sparsity)), ("zbar", .number(score.penalty.zbar)),
                     ("bbar", .number(score.penalty.bbar)), ("mean_error", .number(score.meanError)),
                     ("standard_error", .number(score.standardError)),
                     ("fold_errors", .array(score.foldErrors.map { .number($0) }))])
        })
        guard finished == folds else {
            // Stopped: the folds finished so far are written, without a choice or a refit.
            let status = SelectionOptions.status(deadline: cv.deadline)
            if !selection.quiet { Terminal.note("stopped (\(status)) after \(finished) of \(folds) folds; the finished folds are written") }
            try selection.emit(.object([("folds", .int(folds)), ("folds_finished", .int(finished)), ("status", .string(status)),
                                        ("seed", .int(Int(truncatingIfNeeded: seed))), ("table", finished > 0 ? table : .array([]))]))
            try SelectionOptions.exitIfStopped(status == "complete" ? "interrupted" : status)
            return
        }
        guard let chosen = CrossValidation.best(scores) else {
            throw InputError(file: "command line", "cross-validation scored no penalty")
        }
        // Refit on all data along the chosen δ, λ up to the chosen s.
        let penalty = scores[chosen].penalty
        let refitGrid = try PenaltyGrid(maxSparsity: penalty.sparsity, zbars: [penalty.zbar], bbars: [penalty.bbar])
        var chosenInstance = instance
        chosenInstance.penalty = penalty
        let refit = SolutionPath(deadline: cv.deadline)
        guard let model = refit.run(instance, grid: refitGrid).last, !refit.stopped else {
            let status = SelectionOptions.status(deadline: cv.deadline)
            Terminal.note("sparsemtl: stopped (\(status)) during the final refit; the cross-validation table is written")
            try selection.emit(.object([("folds", .int(folds)), ("folds_finished", .int(finished)), ("status", .string(status)),
                                        ("seed", .int(Int(truncatingIfNeeded: seed))), ("table", table)]))
            try SelectionOptions.exitIfStopped(status)
            return
        }
        if !selection.quiet {
            Terminal.note("     s          δ          λ     mean MSE   std. error")
            for (i, score) in scores.enumerated() {
                Terminal.note(String(format: "%6d %10.4g %10.4g %12.6g %12.4g%@", score.penalty.sparsity, score.penalty.zbar,
                                     score.penalty.bbar, score.meanError, score.standardError, i == chosen ? "  ← chosen" : ""))
            }
            ResultSummary(instance: chosenInstance, result: model.result).lines.forEach(Terminal.note)
        }
        try selection.emit(.object([
            ("folds", .int(folds)), ("folds_finished", .int(finished)), ("status", .string("complete")), ("seed", .int(Int(truncatingIfNeeded: seed))),
            ("criterion", .string("mean over folds of the mean over tasks of the validation MSE")),
            ("table", table),
            ("chosen", .object([("sparsity", .int(penalty.sparsity)), ("zbar", .number(penalty.zbar)), ("bbar", .number(penalty.bbar))])),
            ("model", model.result.json(chosenInstance)),
        ]))
    }
}
