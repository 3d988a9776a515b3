import Foundation
import ArgumentParser
import SparseMTL

/// Options shared by `path` and `cv`: the grid and the output.
struct SelectionOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: "Largest s (path: s = 1…max, default the problem's s; cv: s = 0…min(max, p, rows − 1), default \(AutomaticGrid.defaultSparsityCap)).")
    var maxSparsity: Int?

    @Option(help: "Comma-separated α values, or 'auto' (0 and a₀·{1e-3, 1e-2, 1e-1}; see `cv --help`). Default: path the problem's α, cv auto.")
    var ridgeGrid: String?

    @Option(help: "Comma-separated δ values, or 'auto'. Default: path the problem's δ, cv auto.")
    var zbarGrid: String?

    @Option(help: "Comma-separated λ values, or 'auto'. Default: path the problem's λ, cv auto.")
    var bbarGrid: String?

    @Option(help: "Write the JSON here (written whole, or not at all); default: standard output.")
    var output: String?

    @Flag(help: "No table or progress on the terminal.")
    var quiet = false

    @Option(parsing: .unconditional, help: "Stop after this many seconds; what was finished is written (exit 3).")
    var timeLimit: Double?

    func validate() throws {
        if let t = timeLimit, !(t > 0) { throw ValidationError("--time-limit must be positive") }
        if let s = maxSparsity, s < 1 { throw ValidationError("--max-sparsity must be at least 1") }
    }

    /// The deadline of --time-limit, from now.
    var deadline: Date? { timeLimit.map { Date().addingTimeInterval($0) } }

    /// Why a run that stopped early stopped: "time_limit" past the deadline, else "interrupted".
    static func stoppedStatus(deadline: Date?) -> String {
        status(deadline: deadline) == "time_limit" ? "time_limit" : "interrupted"
    }

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

    /// The grid for `instance`. A penalty without a grid flag takes, for `path`, the problem's own
    /// value and s = 1…max; for `cv` (`automatic`), the rule of `AutomaticGrid`, s from 0.
    /// s never passes p, past which every fit would be a copy of s = p.
    func grid(for instance: Instance, automatic: AutomaticGrid?) throws -> PenaltyGrid {
        let penalty = instance.penalty
        // The data's scales are read only when some grid is automatic.
        let asksAuto = [ridgeGrid, zbarGrid, bbarGrid].contains { $0?.trimmingCharacters(in: .whitespaces) == "auto" }
        let auto = automatic ?? (asksAuto ? AutomaticGrid(instance) : nil)
        let sparsities: [Int]
        if let automatic {
            sparsities = automatic.sparsities(cap: maxSparsity ?? AutomaticGrid.defaultSparsityCap)
        } else {
            sparsities = Array(1...max(1, min(maxSparsity ?? penalty.sparsity, instance.featureCount)))
        }
        func values(_ text: String?, flag: String, own: Double, pick: (AutomaticGrid) -> [Double]) throws -> [Double] {
            guard let text else { return automatic.map(pick) ?? [own] }
            return text.trimmingCharacters(in: .whitespaces) == "auto" ? pick(auto!) : try Self.numbers(text, flag: flag)
        }
        return try PenaltyGrid(sparsities: sparsities,
                               ridges: try values(ridgeGrid, flag: "--ridge-grid", own: penalty.ridge, pick: \.ridges),
                               zbars: try values(zbarGrid, flag: "--zbar-grid", own: penalty.zbar, pick: \.zbars),
                               bbars: try values(bbarGrid, flag: "--bbar-grid", own: penalty.bbar, pick: \.bbars))
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

extension PenaltyGrid {
    /// The grid as JSON (the values actually used).
    var json: JSONValue {
        .object([("sparsity", .array(sparsities.map { .int($0) })), ("ridge", .array(ridges.map { .number($0) })),
                 ("zbar", .array(zbars.map { .number($0) })), ("bbar", .array(bbars.map { .number($0) }))])
    }
}

extension PathPoint {
    /// A path point as JSON (coefficients in original units).
    func json(_ instance: Instance) -> JSONValue {
        let b = instance.preprocessing.toOriginalUnits(result.coefficients)
        return .object([
            ("sparsity", .int(penalty.sparsity)), ("ridge", .number(penalty.ridge)), ("zbar", .number(penalty.zbar)), ("bbar", .number(penalty.bbar)),
            ("status", .string(result.status.rawValue)), ("objective", .number(result.objective.objective)),
            ("loss", .number(result.objective.loss)), ("seconds", .number(result.seconds)),
            ("support", .array(result.support.indices.map { .array($0.map { .int($0) }) })),
            ("coefficients", .rows(b)),
            ("intercepts", .array(instance.preprocessing.intercepts(originalCoefficients: b).map { .number($0) })),
        ])
    }
}
