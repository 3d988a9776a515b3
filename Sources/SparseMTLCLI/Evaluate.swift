import ArgumentParser
import Foundation
import SparseMTL

/// `sparsemtl evaluate`: the objective F of given coefficients, and its parts.
struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compute the objective F and its parts (loss, ridge, bbar, zbar) for given coefficients.",
        discussion: """
        The coefficient file is CSV (a header of task labels in the data's order, then p rows) or a \
        solve result JSON (its `coefficients`, and its `support` when present). Coefficients are in \
        original units; F is computed on per-task centred (and, with --standardize, scaled) data,         so the intercepts printed are those of F on this data, re-estimated from it. To score new         rows with a model's own intercepts use `sparsemtl predict --model M --data NEW --score`.
        """
    )

    @OptionGroup var problem: ProblemOptions

    @Option(help: "Coefficients: CSV (header of task labels, p rows) or a solve result JSON.")
    var coefficients: String

    @Flag(help: "Print JSON (objective, loss, ridge, bbar, zbar, feasible, …) instead of a table.")
    var json = false

    func run() throws {
        let instance = try problem.load()
        let file = try CoefficientFile.read(coefficients, taskLabels: instance.taskLabels, featureCount: instance.featureCount)
        let value = Objective.evaluate(instance, originalCoefficients: file.coefficients, support: file.support)
        let support = file.support ?? Support(of: file.coefficients)
        let intercepts = instance.preprocessing.intercepts(originalCoefficients: file.coefficients)
        if json {
            let document: JSONValue = .object([
                ("objective", .number(value.objective)), ("loss", .number(value.loss)), ("ridge", .number(value.ridge)),
                ("bbar", .number(value.bbar)), ("zbar", .number(value.zbar)), ("feasible", .bool(value.feasible)),
                ("violations", .array(value.violations.map { .string($0) })),
                ("tasks", .array(instance.taskLabels.map { .string($0) })),
                ("support", .array(support.indices.map { .array($0.map { .int($0) }) })),
                ("intercepts", .array(intercepts.map { .number($0) })),
            ])
            print(document.text, terminator: "")
            return
        }
        print(InstanceSummary(instance).headline)
        let rows: [(String, Double)] = [("objective F", value.objective), ("  loss", value.loss), ("  ridge", value.ridge),
                                        ("  bbar", value.bbar), ("  zbar", value.zbar)]
        for (name, number) in rows { print(name.padding(toLength: 14, withPad: " ", startingAt: 0) + String(format: "%.10g", number)) }
        print("feasible      " + (value.feasible ? "yes" : "no"))
        for v in value.violations.prefix(10) { print("  - " + v) }
        if value.violations.count > 10 { print("  … and \(value.violations.count - 10) more") }
        print("support sizes " + zip(instance.taskLabels, support.indices).map { "\($0): \($1.count)" }.joined(separator: ", "))
        print("intercepts    (F's, from this data) " + zip(instance.taskLabels, intercepts).map { "\($0): " + String(format: "%.6g", $1) }.joined(separator: ", "))
    }
}
