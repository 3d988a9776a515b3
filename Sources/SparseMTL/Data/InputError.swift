/// Bad input: names the file and, where there is one, the line and column, so that the
/// message alone tells the user what to fix. Printed as `file:line:column: message`.
public struct InputError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The file the problem is in (as the user named it), or a flag such as `--sparsity`.
    public var file: String
    /// 1-based line, if the problem is at a line.
    public var line: Int?
    /// 1-based column (field) number, if the problem is at a field.
    public var column: Int?
    /// What is wrong, in one sentence without a trailing period.
    public var message: String
    /// Which kind of problem this is (decides the exit code).
    public var kind: Kind

    /// The kinds of input problem.
    public enum Kind: Sendable {
        /// The content is wrong (a bad cell, shape, value or flag).
        case invalid
        /// A named input file does not exist or cannot be read.
        case unreadable
        /// An output file cannot be written.
        case unwritable
        /// The command line lacks what the command needs (no problem given, a required flag missing).
        case usage
    }

    /// Creates an error at `file`, optionally at a line and a field.
    public init(file: String, line: Int? = nil, column: Int? = nil, _ message: String, kind: Kind = .invalid) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        self.kind = kind
    }

    /// `file:line:column: message`, leaving out what is unknown.
    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        if let column { location += ":\(column)" }
        return "\(location): \(message)"
    }
}
