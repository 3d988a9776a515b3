import Foundation

/// What a folder of task records holds for a grid: each task's record (finished, limit, failed),
/// or that it is missing or corrupt; and the files that belong to no task or repeat one.
public struct GridState {
    /// One task's state.
    public enum TaskState {
        case recorded(TaskRecord)
        case missing
        case corrupt(String)
    }

    public var tasks: [GridTask]
    /// In task order.
    public var states: [TaskState]
    /// Files holding a valid record under another task's name, or a second record of a task.
    public var duplicated: [String] = []
    /// Record files of tasks not in this grid (another grid's, or an edited grid's).
    public var unknown: [String] = []
    /// Files that are not valid records and are not named after a task.
    public var strayCorrupt: [String] = []

    /// Reads every `*.json` file of `folder` (a missing folder holds nothing).
    public init(tasks: [GridTask], folder: String) {
        self.tasks = tasks
        let byID = Dictionary(uniqueKeysWithValues: tasks.map { ($0.id, $0.index) })
        states = Array(repeating: .missing, count: tasks.count)
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [])
            .filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted()
        for file in files {
            let path = (folder as NSString).appendingPathComponent(file)
            let name = String(file.dropLast(5))
            do {
                let record = try TaskRecord.read(path)
                if let t = byID[record.id] {
                    if record.id == name { states[t] = .recorded(record) } else { duplicated.append(path) }
                } else {
                    unknown.append(path)
                }
            } catch {
                if let t = byID[name] { states[t] = .corrupt("\(error)") } else { strayCorrupt.append("\(error)") }
            }
        }
    }

    /// Whether every task has a record and no file is out of place.
    public var complete: Bool {
        duplicated.isEmpty && unknown.isEmpty && strayCorrupt.isEmpty
            && states.allSatisfy { if case .recorded = $0 { true } else { false } }
    }

    /// The records in task order (a task without one is left out; `complete` says none is).
    public var records: [TaskRecord] {
        states.compactMap { if case .recorded(let r) = $0 { r } else { nil } }
    }

    /// The tasks in each state.
    public var counts: (recorded: Int, failed: Int, missing: Int, corrupt: Int) {
        var c = (recorded: 0, failed: 0, missing: 0, corrupt: 0)
        for state in states {
            switch state {
            case .recorded(let r): c.recorded += 1; if r.outcome == .failed { c.failed += 1 }
            case .missing: c.missing += 1
            case .corrupt: c.corrupt += 1
            }
        }
        return c
    }

    /// The shards (of `count`) that still have a missing or corrupt task: what to resubmit.
    public func unfinishedShards(of count: Int) -> [Int] {
        Array(Set(states.indices.filter { if case .recorded = states[$0] { false } else { true } }.map { $0 % count })).sorted()
    }

    /// Every problem that stops a merge, one line each.
    public var problems: [String] {
        var lines: [String] = []
        for (t, state) in states.enumerated() {
            switch state {
            case .missing: lines.append("missing: task \(t) (\(tasks[t].id)) \(tasks[t].summary)")
            case .corrupt(let why): lines.append("corrupt: task \(t): \(why)")
            case .recorded: break
            }
        }
        lines += duplicated.map { "duplicated: \($0) holds a record of another file's task" }
        lines += unknown.map { "unknown: \($0) is no task of this grid" }
        lines += strayCorrupt.map { "corrupt: \($0)" }
        return lines
    }
}
