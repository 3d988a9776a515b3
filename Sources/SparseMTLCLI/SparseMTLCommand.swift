import ArgumentParser
import Foundation
import SparseMTL

/// `sparsemtl`: sparse multi-task regression as a mixed-integer problem.
@main
struct SparseMTLCommand: ParsableCommand {
    static let version = SparseMTLVersion.string

    static let configuration = CommandConfiguration(
        commandName: "sparsemtl",
        abstract: "Sparse multi-task regression: at most s features per task, supports and coefficients made alike across tasks.",
        version: version,
        subcommands: [Solve.self, Verify.self, Export.self, Relax.self, Compare.self, Graph.self, Diffuse.self, Path.self, CrossValidate.self, Grid.self, Merge.self, Predict.self, Evaluate.self, Describe.self, Generate.self, Info.self]
    )

    /// Runs the command; bad input ends with one line `sparsemtl: error: file:line:column: message`
    /// and the exit code of `ExitStatus`, never a trace.
    static func main() {
        do {
            FileIO.protectInputs()
            var command = try parseAsRoot()
            try command.run()
        } catch let error as InputError {
            Terminal.note("sparsemtl: error: \(error)")
            Self.exit(withError: ExitCode(ExitStatus(error).rawValue))
        } catch {
            Self.exit(withError: error)
        }
    }
}
