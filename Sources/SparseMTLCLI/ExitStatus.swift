import Foundation
import SparseMTL

/// The exit codes of `sparsemtl`, in one place (documented in README.md, "Exit codes").
enum ExitStatus: Int32 {
    /// The command did what was asked (exact: gap reached; heuristic: local optimum).
    case success = 0
    /// A solver failed, or `verify` found the certificate wrong.
    case failure = 1
    /// A time, iteration or numerical limit stopped the solver; the best result so far was written.
    case limitReached = 3
    /// Ctrl-C stopped the solver; the best result so far was written.
    case interrupted = 130
    /// SIGTERM (a scheduler, `timeout`, a container stop) stopped the solver, as Ctrl-C does.
    case terminated = 143
    /// The command line is malformed (unknown flag, missing argument): swift-argument-parser's code.
    case usage = 64
    /// An input file or value is wrong (bad cell, shape, penalty, graph): the message names file, line, column.
    case invalidInput = 65
    /// A named input file does not exist or cannot be read.
    case missingInput = 66
    /// An internal error: a bug; please report it with the command line.
    case internalError = 70
    /// An output file cannot be written (missing folder, permissions).
    case cannotWrite = 73

    /// The exit status for a solver's status.
    init(_ status: SolveStatus) {
        switch status {
        case .optimal, .gapLimit, .localOptimum, .converged: self = .success
        case .timeLimit, .iterationLimit, .numericalLimit: self = .limitReached
        case .interrupted: self = Interrupt.signal?.number == SIGTERM ? .terminated : .interrupted
        case .infeasible, .error: self = .failure
        }
    }

    /// The exit status for an input problem.
    init(_ error: InputError) {
        switch error.kind {
        case .invalid: self = .invalidInput
        case .unreadable: self = .missingInput
        case .unwritable: self = .cannotWrite
        case .usage: self = .usage
        }
    }
}

/// Messages for people go to standard error; results (JSON, tables asked for) to standard output.
enum Terminal {
    /// Writes one line to standard error.
    static func note(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
