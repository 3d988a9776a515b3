import ArgumentParser
import Foundation
import SparseMTL

/// `sparsemtl predict`: predictions of a fitted model for new rows, and their test error.
struct Predict: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Predict new rows with a fitted model (and score them when their responses are known).",
        discussion: """
        The model is any fit's JSON result: solve, relax, cv (its refitted model) or one point of a \
        path (--point). A row x of task k is predicted as b0_k + xᵀβ_k with the model's intercepts \
        and coefficients (original units): nothing is re-estimated from the new rows. The data is \
        long CSV with the model's task column and feature columns in any order, or, without a task \
        column, a shared design (every row predicted for every task; responses, if given, in \
        columns named by the tasks, as --responses reads them). Responses are optional (needed for \
        --score). A task or column the model does not know, or a missing feature, is an error \
        naming file, line and column.

        Output: CSV `row,task,prediction` (row = the row's number among the data rows), to \
        --output (written whole) or standard output. --score prints the mean squared error per \
        task, pooled over rows, and the mean over tasks (the cv criterion).
        """
    )

    @Option(help: "The model: a JSON result of solve, relax, path or cv.")
    var model: String

    @Option(help: "The rows to predict: long CSV (task, features, optionally the response), or a shared design without a task column.")
    var data: String

    @Option(help: "Which point of a path result (0-based).")
    var point: Int?

    @Option(help: "Name of the task label column (default: the model's training data's).")
    var taskColumn: String?

    @Option(help: "Name of the response column (default: the model's training data's).")
    var responseColumn: String?

    @Option(help: ArgumentHelp("Columns of the data that are neither features nor responses (ids, dates).", valueName: "id,…"))
    var drop: String?

    @Option(help: "Write the predictions (CSV) here, whole or not at all; default: standard output (unless --score).")
    var output: String?

    @Flag(help: "Print the test MSE per task, pooled and averaged over tasks (needs the response column).")
    var score = false

    func run() throws {
        let fitted = try FittedModel.read(model, point: point)
        let rows = try PredictionData.read(data, model: fitted, taskColumn: taskColumn, responseColumn: responseColumn,
                                           dropped: try drop.map { try ProblemOptions.names($0, flag: "--drop") } ?? [])
        if score && rows.responses == nil {
            throw InputError(file: data, line: 1, "--score needs the response column '\(responseColumn ?? fitted.responseColumn)'")
        }
        let predictions = fitted.predict(rows)
        let table = rows.csv(predictions, model: fitted)
        if let output { try FileIO.writeAtomically(table, to: output) } else if !score { print(table, terminator: "") }
        guard score else { return }
        let result = PredictionScore(rows, predictions: predictions, taskCount: fitted.taskLabels.count)
        let widths = [max(15, fitted.taskLabels.map(\.count).max() ?? 0), 7, 12]
        var text = "model: \(model)\(point.map { " (point \($0))" } ?? "")\(fitted.summary.isEmpty ? "" : "; " + fitted.summary)\n"
        text += TextTable.row(["task", "rows", "test MSE"], widths: widths)
        for (label, entry) in zip(fitted.taskLabels, result.perTask) where entry.rows > 0 {
            text += TextTable.row([label, "\(entry.rows)", String(format: "%.6g", entry.mse!)], widths: widths)
        }
        text += TextTable.row(["pooled", "\(rows.rowCount)", String(format: "%.6g", result.pooled)], widths: widths)
        text += TextTable.row(["mean over tasks", "", String(format: "%.6g", result.meanOverTasks)], widths: widths)
        print(text, terminator: "")
    }
}
