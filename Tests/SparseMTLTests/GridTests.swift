import Foundation
import Testing
@testable import SparseMTL

/// Grids of runs: canonical order and ids, shards that partition the grid, task files that betray
/// truncation and edits, and end to end (the built executable) a shard stopped by SIGTERM that a
/// rerun completes, and a merged cv grid that equals `sparsemtl cv`.
@Suite(.serialized) struct GridTests {
    /// A grid file of 20 solve tasks (2 instances × 2 methods × 5 ridges) in `folder`, whose
    /// instances are never read (the digests come from `inputs`).
    static func twentyTasks(_ folder: TemporaryFolder) throws -> GridSpec {
        let path = folder.write("grid.json", """
            {"time_limit": 5, "instances": ["a.json", "b.json"], "methods": ["heuristic", "exact"],
             "penalties": {"ridge": [1, 0.5, 0.25, 0.125, 0.0625]}, "arguments": ["--gap", "1e-4"]}
            """)
        return try GridSpec(path: path)
    }

    static var constantInputs: GridExpansion.Inputs { GridExpansion.Inputs(digest: { "digest of \($0)" },
                                                     crossValidation: { _ in (0, "") }) }

    @Test func tasksComeInCanonicalOrderWithStableIDs() throws {
        let folder = TemporaryFolder()
        let spec = try Self.twentyTasks(folder)
        let tasks = try GridExpansion.tasks(spec, inputs: Self.constantInputs)
        #expect(tasks.count == 20)
        #expect(tasks.map(\.index) == Array(0..<20))
        // Problems outermost, then the penalties, then methods.
        #expect(tasks[0].command == ["solve", "a.json", "--method", "heuristic", "--ridge", "1.0", "--gap", "1e-4", "--time-limit", "5.0"])
        #expect(tasks[1].command[3] == "exact" && tasks[2].command[5] == "0.5" && tasks[10].command[1] == "b.json")
        #expect(Set(tasks.map(\.id)).count == 20)
        #expect(try GridExpansion.tasks(spec, inputs: Self.constantInputs).map(\.id) == tasks.map(\.id))
        // The id follows what is read: another digest of b.json changes b's tasks only.
        let changed = try GridExpansion.tasks(spec, inputs: GridExpansion.Inputs(
            digest: { $0.contains("b.json") ? "new data" : "digest of \($0)" }, crossValidation: { _ in (0, "") }))
        #expect(zip(tasks, changed).map { $0.id == $1.id } == (0..<20).map { $0 < 10 })
    }

    @Test func shardsPartitionTheGridForOneToSevenShards() throws {
        let folder = TemporaryFolder()
        let tasks = try GridExpansion.tasks(try Self.twentyTasks(folder), inputs: Self.constantInputs)
        for count in 1...7 {
            var seen = [Int](repeating: 0, count: tasks.count)
            for index in 0..<count {
                let shard = try GridShard(index: index, count: count, environment: [:])
                let mine = tasks.filter { shard.contains($0.index) }.map(\.index)
                #expect(mine == tasks.filter { try! GridShard(index: index, count: count, environment: [:]).contains($0.index) }.map(\.index))
                #expect(abs(mine.count - tasks.count / count) <= 1, "shards of \(count) are balanced")
                for t in mine { seen[t] += 1 }
            }
            #expect(seen == [Int](repeating: 1, count: tasks.count), "\(count) shards: every task exactly once")
        }
    }

    @Test func shardsDefaultFromTheScheduler() throws {
        let slurm = try GridShard(index: nil, count: nil, environment: ["SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_COUNT": "4"])
        #expect(slurm == (try GridShard(index: 2, count: 4, environment: [:])))
        // A resubmitted part of an array (--array=2) states a count of 1: the index is out of it, and refused.
        #expect(throws: InputError.self) { try GridShard(index: nil, count: nil, environment: ["SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_COUNT": "1"]) }
        #expect(try GridShard(index: nil, count: 4, environment: ["SLURM_ARRAY_TASK_ID": "2", "SLURM_ARRAY_TASK_COUNT": "1"]).index == 2)
        #expect(throws: InputError.self) { try GridShard(index: nil, count: nil, environment: ["JOB_COMPLETION_INDEX": "1"]) }
        #expect(try GridShard(index: nil, count: 3, environment: ["JOB_COMPLETION_INDEX": "1"]).index == 1)
        #expect(try GridShard(index: nil, count: nil, environment: [:]) == (try GridShard(index: 0, count: 1, environment: [:])))
        #expect(throws: InputError.self) { try GridShard(index: 3, count: 3, environment: [:]) }
    }

    @Test func duplicateTasksAndBadGridsAreRefused() throws {
        let folder = TemporaryFolder()
        let twice = folder.write("twice.json", #"[{"instances": ["a.json"]}, {"instances": ["a.json"], "methods": ["heuristic"]}]"#)
        #expect(throws: InputError.self) { try GridExpansion.tasks(try GridSpec(path: twice), inputs: Self.constantInputs) }
        for (name, text) in [("unknown key", #"{"data": ["d.csv"], "solve": []}"#), ("no problem", #"{"time_limit": 3}"#),
                             ("bad method", #"{"instances": ["a.json"], "methods": ["magic"]}"#),
                             ("negative ridge", #"{"instances": ["a.json"], "penalties": {"ridge": [-1]}}"#),
                             ("one fold", #"{"data": ["d.csv"], "folds": 1}"#),
                             ("exact cv", #"{"data": ["d.csv"], "folds": 3, "methods": ["exact"]}"#),
                             ("seeds without folds", #"{"data": ["d.csv"], "seeds": [1, 2]}"#),
                             ("grid-owned flag", #"{"data": ["d.csv"], "folds": 3, "arguments": ["--seed", "3"]}"#)] {
            let path = folder.write("bad.json", text)
            #expect(throws: InputError.self, "\(name)") { try GridSpec(path: path) }
        }
    }

    static func record(id: String = "0123456789abcdef", index: Int = 0) -> TaskRecord {
        TaskRecord(id: id, index: index, command: ["solve", "a.json"], outcome: .finished, exitCode: 0, seconds: 1.25,
                   host: "node1", result: .object([("status", .string("optimal")), ("objective", .number(0.1 + 0.2))]), message: nil)
    }

    @Test func taskFilesBetrayTruncationAndEdits() throws {
        let folder = TemporaryFolder()
        let record = Self.record()
        try record.write(into: folder.url.path)
        let path = TaskRecord.path(record.id, in: folder.url.path)
        let read = try TaskRecord.read(path)
        #expect(read.json == record.json)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        // Every truncation is caught.
        for length in 0..<bytes.count {
            try bytes.prefix(length).write(to: URL(fileURLWithPath: path))
            #expect(throws: TaskRecord.Corrupt.self, "truncated to \(length) bytes") { try TaskRecord.read(path) }
        }
        // Every change of one digit or letter inside the record is caught (the checksum covers its bytes).
        let text = String(decoding: bytes, as: UTF8.self)
        let start = text.range(of: "\"record\":")!.upperBound
        var caught = 0, edits = 0
        for position in text[start...].indices where text[position].isNumber || text[position].isLetter {
            var edited = text
            edited.replaceSubrange(position...position, with: text[position] == "7" ? "8" : "7")
            try edited.write(toFile: path, atomically: true, encoding: .utf8)
            edits += 1
            do { _ = try TaskRecord.read(path) } catch is TaskRecord.Corrupt { caught += 1 }
        }
        #expect(edits > 50 && caught == edits)
    }

    @Test func stateListsMissingCorruptDuplicatedAndUnknownFiles() throws {
        let folder = TemporaryFolder()
        let tasks = try GridExpansion.tasks(try Self.twentyTasks(folder), inputs: Self.constantInputs)
        let dir = folder.url.appendingPathComponent("tasks").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for task in tasks.prefix(18) { try Self.record(id: task.id, index: task.index).write(into: dir) }
        var state = GridState(tasks: tasks, folder: dir)
        #expect(!state.complete && state.counts.recorded == 18 && state.counts.missing == 2)
        #expect(state.unfinishedShards(of: 4) == [2, 3])  // tasks 18 and 19
        // A truncated file, a record copied under another task's name, another grid's record.
        let first = TaskRecord.path(tasks[0].id, in: dir)
        let text = try String(contentsOfFile: first, encoding: .utf8)
        try String(text.dropLast(10)).write(toFile: first, atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(atPath: TaskRecord.path(tasks[1].id, in: dir), toPath: TaskRecord.path(tasks[18].id, in: dir))
        try Self.record(id: "ffffffffffffffff").write(into: dir)
        state = GridState(tasks: tasks, folder: dir)
        #expect(state.counts.corrupt == 1 && state.counts.missing == 2 && state.duplicated.count == 1 && state.unknown.count == 1)
        #expect(state.problems.count == 5)
    }

    // MARK: End to end, with the built executable

    /// A grid of a slow exact solve between two quick ones, and a cv on small data.
    static func slowGrid(_ folder: TemporaryFolder) {
        var settings = SyntheticSettings()
        settings.tasks = 3; settings.features = 120; settings.samplesPerTask = 60; settings.sparsity = 5; settings.seed = 9
        folder.write("slow.csv", SyntheticInstance(settings).csv)
        folder.write("slow.json", #"{"data": "slow.csv", "penalty": {"sparsity": 6, "ridge": 0.001, "zbar": 0.1}}"#)
        settings.features = 12; settings.samplesPerTask = 30; settings.sparsity = 2
        folder.write("small.csv", SyntheticInstance(settings).csv)
        folder.write("small.json", #"{"data": "small.csv", "penalty": {"sparsity": 2, "ridge": 0.1}}"#)
        folder.write("grid.json", """
            [{"time_limit": 6, "instances": ["small.json", "slow.json", "small.json"], "methods": ["exact"], "penalties": {"ridge": [0.1]}},
             {"time_limit": 60, "data": ["small.csv"], "folds": 3, "penalties": {"sparsity": [3]}, "arguments": ["--threads", "1"]}]
            """)
    }

    @Test func aShardStoppedBySigtermIsFinishedByItsRerun() throws {
        let folder = TemporaryFolder()
        Self.slowGrid(folder)
        // The same instance twice is one computation: refused.
        let refused = try CommandRunner.run(["grid", "grid.json", "--output-dir", "t"], in: folder.url)
        #expect(refused.status == 65 && refused.stderr.contains("compute the same thing"), "\(refused.stderr)")
        folder.write("grid.json", try String(contentsOfFile: folder.path("grid.json"), encoding: .utf8)
            .replacingOccurrences(of: #"["small.json", "slow.json", "small.json"]"#, with: #"["small.json", "slow.json"]"#))
        // SIGTERM while the slow solve runs: exit 143, no record of it, no temporary file.
        let stopped = try CommandRunner.run(["grid", "grid.json", "--output-dir", "t"], in: folder.url, interruptAfter: 3, signal: SIGTERM)
        #expect(stopped.status == 143, "\(stopped.stderr)")
        let tasks = folder.path("t")
        let files = try FileManager.default.contentsOfDirectory(atPath: tasks).filter { $0 != ".grid" }
        #expect(files.count == 1, "only the quick first solve is recorded, no temporary file is left: \(files)")
        let status = try CommandRunner.run(["grid", "grid.json", "--output-dir", "t", "--status"], in: folder.url)
        #expect(status.status == 1 && status.stdout.contains("1 done") && status.stdout.contains("missing: task 1 "), "\(status.stdout)")
        // The merge refuses the incomplete set.
        let early = try CommandRunner.run(["merge", "t", "--output", "m.csv"], in: folder.url)
        #expect(early.status == 65 && !FileManager.default.fileExists(atPath: folder.path("m.csv")), "\(early.stderr)")
        // The rerun of the same grid skips the finished solve and runs the rest; the slow solve ends at its limit.
        let rerun = try CommandRunner.run(["grid", "grid.json", "--output-dir", "t"], in: folder.url)
        #expect(rerun.status == 0 && rerun.stderr.contains("ran (0 failed), 1 already done"), "\(rerun.stderr)")
        let merged = try CommandRunner.run(["merge", "t", "--output", "m.csv"], in: folder.url)
        #expect(merged.status == 0, "\(merged.stderr)")
        let table = try String(contentsOfFile: folder.path("m.csv"), encoding: .utf8).split(separator: "\n")
        #expect(table[2].contains(",limit,3,") && table[2].contains("time_limit"), "the slow solve: \(table[2])")
        // A changed time limit is another computation: every solve's id changes, the old records are another grid's.
        folder.write("grid.json", try String(contentsOfFile: folder.path("grid.json"), encoding: .utf8)
            .replacingOccurrences(of: #"[{"time_limit": 6"#, with: #"[{"time_limit": 5"#))
        let edited = try CommandRunner.run(["grid", "grid.json", "--output-dir", "t", "--status"], in: folder.url)
        #expect(edited.status == 1 && edited.stdout.contains("2 missing") && edited.stdout.contains("2 unknown files"), "\(edited.stdout)")
    }

    @Test func aMergedCrossValidationGridEqualsCrossValidation() throws {
        let folder = TemporaryFolder()
        Self.slowGrid(folder)
        folder.write("grid.json", """
            [{"instances": ["small.json"], "methods": ["heuristic", "exact"], "penalties": {"ridge": [1, 0.1]}},
             {"data": ["small.csv"], "folds": 3, "seeds": [4, 5], "penalties": {"sparsity": [3], "zbar": [0, 0.5], "bbar": [0, 0.1]}}]
            """)
        for shard in 0..<3 {
            let run = try CommandRunner.run(["grid", "grid.json", "--output-dir", "t", "--shard-index", String(shard), "--shard-count", "3"], in: folder.url)
            #expect(run.status == 0, "\(run.stderr)")
        }
        let merged = try CommandRunner.run(["merge", "t", "--output", "m.csv"], in: folder.url)
        #expect(merged.status == 0, "\(merged.stderr)")
        func withoutTimes(_ value: JSONValue) -> JSONValue {
            switch value {
            case .object(let pairs): return .object(pairs.filter { $0.0 != "seconds" }.map { ($0.0, withoutTimes($0.1)) })
            case .array(let items): return .array(items.map(withoutTimes))
            default: return value
            }
        }
        for seed in [4, 5] {
            let single = try CommandRunner.run(["cv", "--data", "small.csv", "--folds", "3", "--max-sparsity", "3", "--zbar-grid", "0,0.5",
                                                "--bbar-grid", "0,0.1", "--seed", String(seed), "--output", "cv\(seed).json", "--quiet"], in: folder.url)
            #expect(single.status == 0, "\(single.stderr)")
            let a = try JSONValue.read(folder.path("cv\(seed).json")), b = try JSONValue.read(folder.path("m-cv-1-small-seed\(seed).json"))
            #expect(a["table"] != nil && a["model"] != nil)
            let same = withoutTimes(a) == withoutTimes(b)
            #expect(same, "seed \(seed): the merged cv differs from cv")
        }
        // The table: 4 solves (ridge outside method), then the items of both seeds, each solve's objective as the solve reports it.
        let table = try JSONValue.read(folder.path("m.json"))
        guard case .array(let rows) = table else { Issue.record("m.json is not a list"); return }
        let solve = try CommandRunner.run(["solve", "small.json", "--method", "exact", "--ridge", "0.1", "--output", "e.json", "--quiet"], in: folder.url)
        #expect(solve.status == 0)
        #expect(rows[3]["objective"] == (try JSONValue.read(folder.path("e.json")))["objective"])
        #expect(rows.count > 4 && rows[4]["kind"] == .string("cv_item"))
    }
}
