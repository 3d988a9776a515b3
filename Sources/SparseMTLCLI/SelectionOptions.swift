import Foundation
import ArgumentParser
import SparseMTL

/// Options shared by `path` and `cv`: the grid and the output.
struct SelectionOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Largest s on the path (default: the problem's s); the path runs s = 1…max.")
    var maxSparsity: Int?

    @Option(help: "Comma-separated δ values (default: the problem's δ).")
    var zbarGrid: String?

    @Option(help: "Comma-separated λ values (default: the problem's λ).")
    var bbarGrid: String?

    @Option(help: "Write the JSON here (written whole, or not at all); default: standard output.")
    var output: String?

    @Flag(help: "No table or progress on the terminal.")
    var quiet = false

    @Option(parsing: .unconditional, help: "Stop after this many seconds; what was finished is written (exit 3).")
    var timeLimit: Double?

    func validate() throws {
        if let t = timeLimit, !(t > 0) { throw ValidationError("--time-limit must be positive") }
    }

    /// The deadline of --time-limit, from now.
    var deadline: Date? { timeLimit.map { Date().addingTimeInterval($0) } }

    /// How a grid run ended: "complete", "time_limit", or "interrupted".
    static func status(deadline: Date?) -> String {
        if Interrupt.isRequested { return "interrupted" }
        return deadline.map { Date() >= $0 } == true ? "time_limit" : "complete"
    }

    /// Throws the exit code of an unfinished run (3 time limit, 130 Ctrl-C, 143 SIGTERM) after its output was written.
    static func exitIfStopped(_ status: String) throws {
        switch status {
        case "interrupted": throw ExitCode(Interrupt.signal?.exitCode ?? ExitStatus.interrupted.rawValue)
        case "time_limit": throw ExitCode(ExitStatus.limitReached.rawValue)
        default: return
        }
    }

    /// The grid for `instance`'s penalty (the problem's own values fill what is not given); s stops
    /// at p, past which every fit would be a copy of s = p.
    func grid(for instance: Instance) throws -> PenaltyGrid {
        let penalty = instance.penalty
        return try PenaltyGrid(maxSparsity: min(maxSparsity ?? penalty.sparsity, instance.featureCount),
                        zbars: try zbarGrid.map { try Self.numbers($0, flag: "--zbar-grid") } ?? [penalty.zbar],
                        bbars: try bbarGrid.map { try Self.numbers($0, flag: "--bbar-grid") } ?? [penalty.bbar])
    }

    static func numbers(_ text: String, flag: String) throws -> [Double] {
        try text.split(separator: ",", omittingEmptySubsequences: false).map { item in
            guard let value = Double(item.trimmingCharacters(in: .whitespaces)) else {
                throw InputError(file: "command line", "\(flag): '\(item)' is not a number")
            }
            return value
        }
    }

    /// Writes the JSON to --output or standard output.
    func emit(_ json: JSONValue) throws {
        if let output { try FileIO.writeAtomically(json.text, to: output) } else { print(json.text, terminator: "") }
    }
}

extension PathPoint {
    /// A path point as JSON (coefficients in original units).
    func json(_ instance: Instance) -> JSONValue {
        let b = instance.preprocessing.toOriginalUnits(result.coefficients)
        return .object([
            ("sparsity", .int(penalty.sparsity)), ("zbar", .number(penalty.zbar)), ("bbar", .number(penalty.bbar)),
            ("status", .string(result.status.rawValue)), ("objective", .number(result.objective.objective)),
            ("loss", .number(result.objective.loss)), ("seconds", .number(result.seconds)),
            ("support", .array(result.support.indices.map { .array($0.map { .int($0) }) })),
            ("coefficients", .rows(b)),
            ("intercepts", .array(instance.preprocessing.intercepts(originalCoefficients: b).map { .number($0) })),
        ])
    }
}
