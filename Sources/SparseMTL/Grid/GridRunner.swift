import Foundation

/// Runs one shard's tasks, each as a child process of the `sparsemtl` executable, and leaves a
/// `TaskRecord` per task that ended (finished, limit or failed). A task whose record is already
/// there and valid is skipped, so rerunning a shard (after a crash, a pre-emption or `scancel`)
/// finishes only what is missing. A task stopped by a signal leaves no record: it is missing, and
/// runs again on resubmission. On SIGINT or SIGTERM the running child is stopped the same way and
/// the runner returns at once (`stoppedBySignal`).
public struct GridRunner {
    /// The `sparsemtl` executable the tasks run.
    public var executable: String
    /// Where task records go.
    public var folder: String
    /// The folder the tasks run in (relative paths of the grid are relative to it).
    public var workingDirectory: String
    /// Rerun tasks whose record says they failed.
    public var rerunFailed = false
    /// Progress lines (one per task).
    public var log: ((String) -> Void)?

    public init(executable: String, folder: String, workingDirectory: String) {
        self.executable = executable
        self.folder = folder
        self.workingDirectory = workingDirectory
    }

    /// What a shard's run did.
    public struct Summary: Sendable {
        public var ran = 0
        public var skipped = 0
        public var failed = 0
        /// Tasks the shard did not get to because a signal stopped it (the stopped task included).
        public var left = 0
        public var stoppedBySignal: Bool { left > 0 }
    }

    /// Runs the tasks of `shard`, in canonical order.
    public func run(_ tasks: [GridTask], shard: GridShard) -> Summary {
        let mine = tasks.filter { shard.contains($0.index) }
        var summary = Summary()
        var spent = 0.0
        for (position, task) in mine.enumerated() {
            if Interrupt.isRequested { summary.left = mine.count - position; break }
            if let record = try? TaskRecord.read(TaskRecord.path(task.id, in: folder)), record.id == task.id,
               !(rerunFailed && record.outcome == .failed) {
                summary.skipped += 1
                continue
            }
            guard let record = execute(task) else {
                // Stopped by a signal: no record, the task stays missing.
                log?("grid: task \(task.index) (\(task.id)) stopped by a signal; it is left for a rerun")
                if Interrupt.isRequested { summary.left = mine.count - position; break }
                continue
            }
            do {
                try record.write(into: folder)
            } catch {
                log?("grid: task \(task.index) (\(task.id)): its record could not be written: \(error)")
                summary.failed += 1
                continue
            }
            summary.ran += 1
            if record.outcome == .failed { summary.failed += 1 }
            spent += record.seconds
            let done = summary.ran + summary.skipped
            let remaining = mine.count - position - 1
            let estimate = remaining == 0 ? "" : ", about \(Self.duration(spent / Double(summary.ran) * Double(remaining))) left"
            log?("grid: task \(task.index) (\(task.id)) \(task.summary): \(record.outcome.rawValue)\(Self.status(of: record)) in "
                 + "\(String(format: "%.1f", record.seconds)) s; \(done) of \(mine.count) of shard \(shard.index)/\(shard.count) done\(estimate)")
        }
        return summary
    }

    /// Runs one task; nil when a signal stopped it (the runner's or the child's own).
    func execute(_ task: GridTask) -> TaskRecord? {
        let output = (folder as NSString).appendingPathComponent(".\(task.id).output-\(getpid()).json")
        let errors = (folder as NSString).appendingPathComponent(".\(task.id).stderr-\(getpid()).txt")
        let slots = [TemporaryFiles.register(output), TemporaryFiles.register(errors)]
        defer {
            try? FileManager.default.removeItem(atPath: output)
            try? FileManager.default.removeItem(atPath: errors)
            slots.forEach(TemporaryFiles.unregister)
        }
        FileManager.default.createFile(atPath: errors, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = task.command + ["--output", output, "--quiet"]
        process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory, isDirectory: true)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: errors)
        let start = Date()
        do {
            try process.run()
        } catch {
            return record(task, .failed, exitCode: 70, seconds: 0, result: nil, message: "cannot start \(executable): \(error)")
        }
        var forwarded = false
        while process.isRunning {
            if Interrupt.isRequested && !forwarded {
                // Pass the signal on: the child writes what it has and stops; its result is not recorded.
                kill(process.processIdentifier, Interrupt.signal?.number ?? SIGTERM)
                forwarded = true
            }
            usleep(20_000)
        }
        let seconds = Date().timeIntervalSince(start)
        let code = process.terminationStatus
        if Interrupt.isRequested || process.terminationReason == .uncaughtSignal && [SIGINT, SIGTERM, SIGKILL].contains(code)
            || code == 130 || code == 143 {
            return nil
        }
        let result = try? JSONValue.read(output)
        let message = (try? String(contentsOfFile: errors, encoding: .utf8)).map { String($0.suffix(2000)) }
        switch (process.terminationReason, code) {
        case (.exit, 0) where result != nil:
            return record(task, .finished, exitCode: 0, seconds: seconds, result: result, message: nil)
        case (.exit, 3) where result != nil:
            return record(task, .limit, exitCode: 3, seconds: seconds, result: result, message: nil)
        case (.uncaughtSignal, _):
            return record(task, .failed, exitCode: 128 + code, seconds: seconds, result: result, message: "killed by signal \(code). " + (message ?? ""))
        default:
            return record(task, .failed, exitCode: code, seconds: seconds, result: result,
                          message: (message?.isEmpty == false ? message! : "exit \(code) without output"))
        }
    }

    private func record(_ task: GridTask, _ outcome: TaskRecord.Outcome, exitCode: Int32, seconds: Double,
                        result: JSONValue?, message: String?) -> TaskRecord {
        TaskRecord(id: task.id, index: task.index, command: task.command, outcome: outcome, exitCode: exitCode, seconds: seconds,
                   host: ProcessInfo.processInfo.hostName, result: result, message: message)
    }

    private static func status(of record: TaskRecord) -> String {
        if case .string(let status)? = record.result?["status"] { return " (\(status))" }
        return ""
    }

    /// "42 s", "3.5 min", "2.1 h".
    static func duration(_ seconds: Double) -> String {
        seconds < 90 ? String(format: "%.0f s", seconds) : seconds < 5400 ? String(format: "%.1f min", seconds / 60) : String(format: "%.1f h", seconds / 3600)
    }
}

extension GridTask {
    /// One line: the table fields that are set, as name=value.
    public var summary: String {
        fields.compactMap { name, value in value == .null ? nil : "\(name)=\(value.compactText.replacingOccurrences(of: "\"", with: ""))" }
            .joined(separator: " ")
    }
}
