import ArgumentParser
import Foundation
import SparseMTL

/// `sparsemtl compare`: heuristic, exact and GenGL on one problem, in one table.
struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare the heuristic, the exact solver (time-limited) and a GenGL path on one problem.",
        discussion: """
        The GenGL row is read off a warm-started γ path: the point with the smallest γ whose supports \
        have at most s features per task (entries with |w_jk|·sd(x_jk) > --support-threshold × sd(y_k)), refitted on \
        that support with the problem's own penalty, so its F is comparable. Columns: seconds, F, the \
        gap to the exact solver's certified lower bound, support sizes, and, when the instance has a \
        truth file or --test data is given, support F1 and the test mean squared error (the mean over \
        tasks). --plot draws the true and recovered coefficient matrices as heat maps.
        """
    )

    @OptionGroup var problem: ProblemOptions
    @OptionGroup(title: "GenGL penalty") var gengl: GenGLOptions

    @Option(parsing: .unconditional, help: "Time limit of the exact solver in seconds.")
    var timeLimit: Double = 60

    @Option(parsing: .unconditional, help: "Points on the GenGL γ path (geometric, from γ_start down to γ_start/1000).")
    var pathPoints = 20

    @Option(help: "Test data (long CSV, the same tasks and features) for the test error.")
    var test: String?

    @Option(help: "Write the comparison JSON here.")
    var output: String?

    @Option(help: "Draw the true and recovered coefficient matrices as heat maps into this SVG file.")
    var plot: String?

    func validate() throws {
        if !(timeLimit > 0) { throw ValidationError("--time-limit must be positive") }
        if pathPoints < 2 { throw ValidationError("--path-points must be at least 2") }
    }

    /// One method's row.
    struct Row {
        var method: String
        var result: SolveResult
        var seconds: Double
    }

    func run() throws {
        if try gengl.penalty(gamma: 1).isTensor {
            throw ValidationError("compare reads supports over the data's features; the tensor form (tensor-* presets, TASKS:F1xF2 operators) is fitted by relax")
        }
        let definition = try problem.problemDefinition()
        let instance = try problem.instance(of: definition)
        let truth = try instance.truthPath.map {
            try CoefficientFile.read($0, taskLabels: instance.taskLabels, featureCount: instance.featureCount).coefficients
        }
        let testData = try test.map { try TestData(path: $0, instance: instance, reader: definition.reader) }
        Interrupt.install()
        Terminal.note(InstanceSummary(instance).headline)

        let heuristic = HeuristicSolver().solve(instance)
        Terminal.note(String(format: "heuristic: F = %.8g in %.2f s", heuristic.objective.objective, heuristic.seconds))
        var settings = ExactSettings()
        settings.timeLimitSeconds = timeLimit
        let exact = try ExactSolver(settings: settings, log: nil).solve(instance).result
        Terminal.note(String(format: "exact: %@, F = %.8g, LB = %.8g in %.2f s", exact.status.rawValue, exact.objective.objective,
                             exact.lowerBound ?? .nan, exact.seconds))
        var rows = [Row(method: "heuristic", result: heuristic, seconds: heuristic.seconds),
                    Row(method: "exact", result: exact, seconds: exact.seconds)]
        // After Ctrl-C (or SIGTERM) the methods finished so far are reported and written, exit 130 (143).
        var convex: GenGLPath.Outcome? = nil
        if !Interrupt.isRequested {
            var path = GenGLPath(penalty: try gengl.penalty(gamma: 1), solver: gengl.solver(defaultTolerance: 1e-6))
            path.points = pathPoints
            path.supportThreshold = gengl.supportThreshold
            let run = try path.run(instance)
            let chosen = run.points[run.selected]
            Terminal.note(String(format: "gengl: %d path points in %.2f s; selected γ = %.4g%@", run.points.count, run.seconds, chosen.gamma,
                                 run.truncated ? " (no point had ≤ s per task: the one with the fewest entries beyond s, cut to its s largest per task)" : ""))
            rows.append(Row(method: "gengl-\(gengl.preset?.rawValue ?? (gengl.operators == nil ? "group-lasso" : "operators"))",
                            result: run.refit, seconds: run.seconds))
            convex = run
        }
        let lowerBound = exact.lowerBound
        let truthSupport = truth.map { Support(of: $0) }
        let widths = [24, 9, 14, 10, 8, 7, 11]
        func line(_ cells: [String]) -> String { TextTable.row(cells, widths: widths) }
        var table = line(["method", "seconds", "F", "gap to LB", "support", "F1", "test MSE"])
        var json: [JSONValue] = []
        for row in rows {
            let f = row.result.objective.objective
            let gap = lowerBound.map { (f - $0) / max(abs(f), 1e-10) }
            let sizes = row.result.support.indices.map(\.count)
            let f1 = truthSupport.map { SupportRecovery(row.result.support, truth: $0).f1 }
            let original = instance.preprocessing.toOriginalUnits(row.result.coefficients)
            let mse = testData.map { $0.meanSquaredError(coefficients: original, intercepts: instance.preprocessing.intercepts(originalCoefficients: original)) }
            let sizeText = "\(sizes.min() ?? 0)–\(sizes.max() ?? 0)"
            table += line([row.method, String(format: "%.2f", row.seconds), String(format: "%.8g", f),
                           gap.map { String(format: "%.3f%%", 100 * $0) } ?? "–", sizeText,
                           f1.map { String(format: "%.3f", $0) } ?? "–", mse.map { String(format: "%.5g", $0) } ?? "–"])
            json.append(.object([("method", .string(row.method)), ("status", .string(row.result.status.rawValue)),
                                 ("seconds", .number(row.seconds)), ("objective", .number(f)), ("gap_to_lower_bound", .number(gap)),
                                 ("support_sizes", .array(sizes.map { .int($0) })), ("support_f1", .number(f1)), ("test_mse", .number(mse)),
                                 ("support", .array(row.result.support.indices.map { .array($0.map { .int($0) }) })),
                                 ("coefficients", JSONValue.rows(original))]))
        }
        print(table, terminator: "")
        if let lowerBound { print(String(format: "certified lower bound %.8g (exact solver: %@)", lowerBound, exact.status.rawValue)) }
        let document: JSONValue = .object([
            ("instance", .string(instance.name)), ("lower_bound", .number(lowerBound)), ("methods", .array(json)),
            ("gengl_path", .array((convex?.points ?? []).map { point in
                .object([("gamma", .number(point.gamma)), ("objective", .number(point.result.objective)),
                         ("iterations", .int(point.result.iterations)), ("support_sizes", .array(point.support.indices.map { .int($0.count) }))])
            })),
            ("gengl_selected_gamma", .number(convex.map { $0.points[$0.selected].gamma })), ("gengl_truncated", convex.map { .bool($0.truncated) } ?? .null),
            ("status", .string(Interrupt.isRequested ? "interrupted" : "complete")),
        ])
        if let output { try FileIO.writeAtomically(document.text, to: output) }
        if let plot {
            var panels: [(String, Matrix)] = []
            if let truth { panels.append(("truth", truth)) }
            panels += rows.map { ($0.method, instance.preprocessing.toOriginalUnits($0.result.coefficients)) }
            if let convex {
                let chosen = convex.points[convex.selected]
                panels.append(("\(rows[2].method), γ = \(String(format: "%.3g", chosen.gamma)) (before refit)",
                               instance.preprocessing.toOriginalUnits(chosen.result.coefficients)))
            }
            let scale = panels.map { $0.1.storage.reduce(0) { max($0, abs($1)) } }.max() ?? 1
            var figure = SVGFigure(title: "Coefficients of \(instance.name): features (rows) × tasks (columns)", panels: panels.map {
                .heatmap(title: $0.0, matrix: $0.1, rowLabels: instance.featureNames, columnLabels: instance.taskLabels, scale: scale)
            })
            figure.panelWidth = 16 * Double(instance.taskCount) + 60
            figure.panelHeight = 420
            try FileIO.writeAtomically(figure.svg, to: plot)
            Terminal.note("wrote \(plot)")
        }
        if Interrupt.isRequested { throw ExitCode(Interrupt.signal?.exitCode ?? ExitStatus.interrupted.rawValue) }
    }
}

/// Held-out data matched to an instance's tasks and features by name, read like the training data
/// (the same columns, shared design or long form, CSV or .npz).
struct TestData {
    let dataset: Dataset
    /// For every task of the test data, its index among the instance's tasks.
    let taskIndex: [Int]

    init(path: String, instance: Instance, reader: LongCSVReader) throws {
        dataset = try Dataset.read(path, reader: reader)
        guard dataset.featureNames == instance.featureNames else {
            throw InputError(file: path, line: 1, "the test data's features differ from the training data's (names and order must match)")
        }
        taskIndex = try dataset.taskLabels.map { label in
            guard let k = instance.taskLabels.firstIndex(of: label) else {
                throw InputError(file: path, "task \"\(label)\" is not in the training data")
            }
            return k
        }
    }

    /// The mean over the test tasks of (1/n_k)‖y_k − b0_k − X_k β_k‖² (original units).
    func meanSquaredError(coefficients b: Matrix, intercepts: [Double]) -> Double {
        var aligned = Matrix(rows: b.rows, columns: taskIndex.count)
        for (t, k) in taskIndex.enumerated() { aligned.setColumn(t, b.column(k)) }
        let errors = dataset.meanSquaredErrors(coefficients: aligned, intercepts: taskIndex.map { intercepts[$0] })
        return errors.reduce(0, +) / Double(max(errors.count, 1))
    }
}
