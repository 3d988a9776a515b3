import Foundation

/// The file a finished grid task leaves, `DIR/ID.json`: what ran, how it ended, and the run's own
/// JSON output. The file is one JSON object, written whole (temporary file and rename):
///
///     {"sha256":"<64 hex>","record":{…}}
///
/// where the hash is over the exact bytes of the record's text, so a truncated or edited file is
/// detected without trusting any parser to round-trip numbers.
public struct TaskRecord: Sendable {
    /// How a task ended.
    public enum Outcome: String, Sendable {
        /// The run did what was asked (exit 0).
        case finished
        /// A time or numerical limit stopped it with its best result (exit 3): a result, recorded.
        case limit
        /// The run failed (bad input, solver failure, crash); the message says why. Recorded, so
        /// that a resubmission does not rerun it (`grid --rerun-failed` does).
        case failed
    }

    public var id: String
    public var index: Int
    public var command: [String]
    public var outcome: Outcome
    public var exitCode: Int32
    public var seconds: Double
    public var host: String
    /// The run's JSON output, if it wrote one.
    public var result: JSONValue?
    /// The end of the run's error output, for failures.
    public var message: String?

    public init(id: String, index: Int, command: [String], outcome: Outcome, exitCode: Int32, seconds: Double,
                host: String, result: JSONValue?, message: String?) {
        self.id = id
        self.index = index
        self.command = command
        self.outcome = outcome
        self.exitCode = exitCode
        self.seconds = seconds
        self.host = host
        self.result = result
        self.message = message
    }

    static let format = "sparsemtl-grid-task/1"
    private static let prefix = "{\"sha256\":\""
    private static let middle = "\",\"record\":"
    private static let suffix = "}\n"

    /// The record as JSON.
    public var json: JSONValue {
        .object([("format", .string(Self.format)), ("id", .string(id)), ("index", .int(index)),
                 ("command", .array(command.map { .string($0) })), ("outcome", .string(outcome.rawValue)),
                 ("exit_code", .int(Int(exitCode))), ("seconds", .number(seconds)), ("host", .string(host)),
                 ("message", message.map { .string($0) } ?? .null), ("result", result ?? .null)])
    }

    /// The file's text: the record's compact JSON and its SHA-256.
    public var fileText: String {
        let record = json.compactText
        return Self.prefix + FileIO.sha256(of: Data(record.utf8)) + Self.middle + record + Self.suffix
    }

    /// Writes the record to `DIR/ID.json`, whole or not at all.
    public func write(into folder: String) throws {
        try FileIO.writeAtomically(fileText, to: Self.path(id, in: folder))
    }

    /// Where task `id`'s record lives in `folder`.
    public static func path(_ id: String, in folder: String) -> String {
        (folder as NSString).appendingPathComponent(id + ".json")
    }

    /// Why a task file is not a valid record.
    public struct Corrupt: Error, CustomStringConvertible, Sendable {
        public var path: String
        public var reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// Reads and checks the record at `path`: the checksum over the record's bytes, then the record.
    /// - Throws: `Corrupt` saying what is wrong (truncated, checksum mismatch, not a record).
    public static func read(_ path: String) throws -> TaskRecord {
        // Read directly, not through FileIO.read: a corrupt record is replaced by its rerun, and
        // FileIO refuses to overwrite the files it has read.
        guard let data = FileManager.default.contents(atPath: path) else { throw Corrupt(path: path, reason: "cannot be read") }
        guard let text = String(data: data, encoding: .utf8) else { throw Corrupt(path: path, reason: "not UTF-8 text") }
        let hashEnd = prefix.count + 64
        guard text.hasPrefix(prefix), text.hasSuffix(suffix), text.count > hashEnd + middle.count + suffix.count,
              text.dropFirst(hashEnd).hasPrefix(middle) else {
            throw Corrupt(path: path, reason: "not a whole task file (truncated, or not written by sparsemtl grid)")
        }
        let hash = String(text.dropFirst(prefix.count).prefix(64))
        let record = String(text.dropFirst(hashEnd + middle.count).dropLast(suffix.count))
        guard FileIO.sha256(of: Data(record.utf8)) == hash else { throw Corrupt(path: path, reason: "checksum mismatch (the file was changed)") }
        let json: JSONValue
        do {
            json = try Data(record.utf8).withUnsafeBytes { try JSONParser.parse($0.bindMemory(to: UInt8.self), file: path) }
        } catch {
            throw Corrupt(path: path, reason: "the record is not JSON: \(error)")
        }
        guard json["format"] == .string(format), case .string(let id)? = json["id"], case .int(let index)? = json["index"],
              case .array(let command)? = json["command"], case .string(let outcomeText)? = json["outcome"],
              let outcome = Outcome(rawValue: outcomeText), case .int(let exitCode)? = json["exit_code"],
              let seconds = json["seconds"]?.doubleValue, case .string(let host)? = json["host"] else {
            throw Corrupt(path: path, reason: "not a \(format) record")
        }
        var message: String? = nil
        if case .string(let m)? = json["message"] { message = m }
        let result = json["result"] == .null ? nil : json["result"]
        return TaskRecord(id: id, index: index, command: command.compactMap { if case .string(let s) = $0 { s } else { nil } },
                          outcome: outcome, exitCode: Int32(exitCode), seconds: seconds, host: host, result: result, message: message)
    }
}
