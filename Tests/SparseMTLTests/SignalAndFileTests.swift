import Foundation
import Testing
@testable import SparseMTL

/// Signals and files end to end: SIGTERM is Ctrl-C (the best so far is written, exit 143), a
/// second file is never half written, an output never replaces an input, symbolic links are
/// written through, `verify` keeps its time limit and stops on Ctrl-C.
@Suite(.serialized) struct SignalAndFileTests {
    /// A folder with data whose exact solve runs for many seconds (K = 3, p = 120, small ridge).
    static func slowProblem() -> TemporaryFolder {
        let folder = TemporaryFolder()
        var settings = SyntheticSettings()
        settings.tasks = 3; settings.features = 120; settings.samplesPerTask = 60; settings.sparsity = 5; settings.seed = 9
        folder.write("d.csv", SyntheticInstance(settings).csv)
        return folder
    }

    static let slowSolve = ["solve", "--data", "d.csv", "--sparsity", "6", "--ridge", "0.001", "--zbar", "0.1", "--method", "exact",
                            "--output", "r.json", "--certificate", "c.json", "--quiet"]

    func leftovers(_ folder: TemporaryFolder) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.url.path).filter { $0.contains(".partial") }
    }

    @Test func sigtermWritesTheBestSoFarAndExits143() throws {
        let folder = Self.slowProblem()
        let outcome = try CommandRunner.run(Self.slowSolve, in: folder.url, interruptAfter: 2, signal: SIGTERM)
        #expect(outcome.status == 143, "\(outcome.stderr)")
        let result = try JSONValue.read(folder.path("r.json"))
        #expect(result["status"] == .string("interrupted"))
        #expect(FileManager.default.fileExists(atPath: folder.path("c.json")))
        #expect(try leftovers(folder).isEmpty)
    }

    /// A second Ctrl-C while the certificate is written (the master's MPS file is written first,
    /// the signal is sent the moment it appears): the program ends at once with 130, the result
    /// (written before the certificate) is whole, no temporary file is left, and the certificate
    /// and its master are both there, whole, or both gone.
    @Test func secondCtrlCDuringTheCertificateLeavesNoHalfFiles() throws {
        let folder = Self.slowProblem()
        let executable = try #require(CommandRunner.executable)
        let process = Process()
        process.executableURL = executable
        process.arguments = Self.slowSolve
        process.currentDirectoryURL = folder.url
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: 2)
        kill(process.processIdentifier, SIGINT)
        let master = folder.path("c.master.mps"), deadline = Date().addingTimeInterval(60)
        while process.isRunning && !FileManager.default.fileExists(atPath: master) && Date() < deadline { usleep(200) }
        kill(process.processIdentifier, SIGINT)
        process.waitUntilExit()
        #expect(process.terminationStatus == 130)
        let result = try JSONValue.read(folder.path("r.json"))
        #expect(result["status"] == .string("interrupted"))
        #expect(try leftovers(folder).isEmpty)
        let certificate = FileManager.default.fileExists(atPath: folder.path("c.json"))
        #expect(certificate == FileManager.default.fileExists(atPath: master), "a certificate without its master or a master without it")
        if certificate { #expect(throws: Never.self) { try JSONValue.read(folder.path("c.json")) } }
    }

    /// Ctrl-C during `compare`'s exact solve: exit 130 (it was 65), and the JSON holds the methods
    /// finished (the heuristic, the exact solver's best so far), status interrupted, no GenGL path.
    @Test func ctrlCDuringCompareWritesTheMethodsFinished() throws {
        let folder = Self.slowProblem()
        let args = ["compare", "--data", "d.csv", "--sparsity", "6", "--ridge", "0.001", "--zbar", "0.1", "--time-limit", "60",
                    "--output", "cmp.json"]
        let outcome = try CommandRunner.run(args, in: folder.url, interruptAfter: 2)
        #expect(outcome.status == 130, "\(outcome.stderr)")
        let result = try JSONValue.read(folder.path("cmp.json"))
        #expect(result["status"] == .string("interrupted"))
        guard case .array(let methods)? = result["methods"] else { Issue.record("no methods"); return }
        #expect(methods.count == 2 && methods[1]["status"] == .string("interrupted"))
        #expect(try leftovers(folder).isEmpty)
    }

    /// Ctrl-C halfway through a cross-validation: exit 130, and the JSON holds the folds finished
    /// (some, not all), each table row with exactly that many fold errors. The halfway point is
    /// measured on an uninterrupted run of the same command first.
    @Test func ctrlCDuringCrossValidationWritesTheFinishedFolds() throws {
        let folder = TemporaryFolder()
        var settings = SyntheticSettings()
        settings.tasks = 3; settings.features = 60; settings.samplesPerTask = 80; settings.sparsity = 5; settings.seed = 3
        folder.write("d.csv", SyntheticInstance(settings).csv)
        let args = ["cv", "--data", "d.csv", "--folds", "6", "--threads", "1", "--max-sparsity", "8", "--ridge-grid", "0.01,0.1",
                    "--zbar-grid", "0,0.1", "--bbar-grid", "0,0.1", "--quiet", "--output", "cv.json"]
        let clock = Date()
        let full = try CommandRunner.run(args, in: folder.url)
        let seconds = Date().timeIntervalSince(clock)
        #expect(full.status == 0, "\(full.stderr)")
        try FileManager.default.removeItem(atPath: folder.path("cv.json"))
        let outcome = try CommandRunner.run(args, in: folder.url, interruptAfter: seconds / 2)
        #expect(outcome.status == 130, "\(outcome.stderr) after \(seconds / 2) s of \(seconds)")
        let result = try JSONValue.read(folder.path("cv.json"))
        #expect(result["status"] == .string("interrupted"))
        let finished = try #require(result["folds_finished"]?.doubleValue)
        #expect(finished >= 1 && finished < 6, "\(finished) folds finished")
        if case .array(let rows)? = result["table"] {
            #expect(!rows.isEmpty)
            for row in rows {
                if case .array(let errors)? = row["fold_errors"] { #expect(Double(errors.count) == finished) } else { Issue.record("no fold_errors") }
            }
        } else { Issue.record("no table") }
        #expect(try leftovers(folder).isEmpty)
    }

    @Test func verifyKeepsItsTimeLimitAndStopsOnCtrlC() throws {
        let folder = Self.slowProblem()
        _ = try CommandRunner.run(Self.slowSolve + ["--time-limit", "3"], in: folder.url)
        let started = Date()
        let limited = try CommandRunner.run(["verify", "c.json", "--time-limit", "0.5"], in: folder.url)
        let seconds = Date().timeIntervalSince(started)
        #expect(limited.status == 0 || limited.status == 1)
        #expect(seconds < 0.5 + 1.5, "verify --time-limit 0.5 took \(seconds) s (reading and process start included)")
        let interrupted = try CommandRunner.run(["verify", "c.json"], in: folder.url, interruptAfter: 0.7)
        #expect(interrupted.status == 130 || interrupted.status == 0, "\(interrupted.stdout)")
    }

    @Test func outputsNeverReplaceInputsAndFollowLinks() throws {
        let folder = TemporaryFolder()
        folder.write("d.csv", CommandLineTests.good)
        let before = try String(contentsOfFile: folder.path("d.csv"), encoding: .utf8)
        let refused = try CommandRunner.run(["solve", "--data", "d.csv", "--sparsity", "1", "--output", "d.csv"], in: folder.url)
        #expect(refused.status == 73 && refused.stderr.contains("input file"))
        let path = try CommandRunner.run(["path", "--data", "d.csv", "--sparsity", "2", "--output", "d.csv"], in: folder.url)
        #expect(path.status == 73 && path.stderr.contains("input file"))
        #expect(try String(contentsOfFile: folder.path("d.csv"), encoding: .utf8) == before)
        try FileManager.default.createSymbolicLink(atPath: folder.path("link.json"), withDestinationPath: "target.json")
        let linked = try CommandRunner.run(["solve", "--data", "d.csv", "--sparsity", "1", "--output", "link.json", "--quiet"], in: folder.url)
        #expect(linked.status == 0)
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: folder.path("link.json"))) == "target.json")
        #expect(try JSONValue.read(folder.path("target.json"))["status"] == .string("local_optimum"))
        let missing = try CommandRunner.run(["solve", "--data", "d.csv", "--sparsity", "1", "--ridge", "0.1", "--method", "exact",
                                             "--output", "r.json", "--certificate", "no/such/folder/c.json", "--quiet"], in: folder.url)
        #expect(missing.status == 73)
        try FileManager.default.createDirectory(atPath: folder.path("dir.json"), withIntermediateDirectories: false)
        let unwritable = try CommandRunner.run(["solve", "--data", "d.csv", "--sparsity", "1", "--ridge", "0.1", "--method", "exact",
                                                "--output", "r.json", "--certificate", "dir.json", "--quiet"], in: folder.url)
        #expect(unwritable.status == 73 && !FileManager.default.fileExists(atPath: folder.path("dir.master.mps")), "\(unwritable.stderr)")
        #expect(try leftovers(folder).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: folder.path("no")))
    }

    @Test func hugeSizesAndValuesGetMessagesNotCrashes() throws {
        let folder = TemporaryFolder()
        folder.write("d.csv", CommandLineTests.good)
        folder.write("big.csv", "task,y,x1\na,1e200,1\na,1,2\na,2,3\n")
        folder.write("tiny.csv", "task,y,x1\na,1e-999,1\na,1,2\na,2,3\n")
        let s = try CommandRunner.run(["solve", "--data", "d.csv", "--sparsity", "4611686018427387904", "--quiet"], in: folder.url)
        #expect(s.status == 0, "\(s.stderr)")
        let path = try CommandRunner.run(["path", "--data", "d.csv", "--sparsity", "1", "--max-sparsity", "9223372036854775807", "--quiet"],
                                         in: folder.url)
        #expect(path.status == 0, "\(path.stderr)")
        for (file, text) in [("big.csv", "big.csv:2:2: '1e200'"), ("tiny.csv", "tiny.csv:2:2: '1e-999'")] {
            let r = try CommandRunner.run(["solve", "--data", file, "--sparsity", "1", "--ridge", "1", "--method", "exact"], in: folder.url)
            #expect(r.status == 65 && r.stderr.contains(text), "\(r.stderr)")
        }
        let generate = try CommandRunner.run(["generate", "--tasks", "1000000000", "--samples", "10", "--features", "10"], in: folder.url)
        #expect(generate.status == 65 && generate.stderr.contains("at most"), "\(generate.stderr)")
    }
}
