import Foundation
import Testing
@testable import SparseMTL

/// The `sparsemtl` program end to end: bad input gets one line naming file, line and column and a
/// non-zero exit code, with nothing on standard output and no file written.
@Suite struct CommandLineTests {
    static let good = "task,y,x1,x2,x3\na,1,2,3,1\na,2,1,0,1\na,0,0,1,1\nb,0,1,1,2\nb,5,2,7,0\nb,1,1,2,1\n"

    func folder() -> TemporaryFolder {
        let f = TemporaryFolder()
        f.write("d.csv", Self.good)
        f.write("b.csv", "a,b\n1,0\n0,0\n0,2\n")
        f.write("g.csv", "task_a,task_b,weight\na,b,1\n")
        f.write("i.json", #"{"data": "d.csv", "penalty": {"sparsity": 2, "ridge": 0.1, "bbar": 0.2, "zbar": 0.3}, "task_graph": "g.csv"}"#)
        return f
    }

    struct BadInput: CustomTestStringConvertible, Sendable {
        var what: String
        var files: [String: String]
        var arguments: [String]
        var status: Int32 = 65
        var location: String
        var testDescription: String { what }
    }

    static let badInputs: [BadInput] = [
        BadInput(what: "non-numeric cell", files: ["d.csv": "task,y,x1,x2,x3\na,1,2,3,1\na,2,oops,0,1\n"],
                 arguments: ["i.json", "--coefficients", "b.csv"], location: "d.csv:3:3: 'oops'"),
        BadInput(what: "NaN cell", files: ["d.csv": "task,y,x1,x2,x3\na,1,2,3,1\na,2,1,NaN,1\n"],
                 arguments: ["i.json", "--coefficients", "b.csv"], location: "d.csv:3:4: 'NaN'"),
        BadInput(what: "Inf cell", files: ["d.csv": "task,y,x1,x2,x3\na,1,2,3,1\na,-Inf,1,0,1\n"],
                 arguments: ["i.json", "--coefficients", "b.csv"], location: "d.csv:3:2: '-Inf'"),
        BadInput(what: "ragged row", files: ["d.csv": "task,y,x1,x2,x3\na,1,2,3,1\na,2,1,0\n"],
                 arguments: ["i.json", "--coefficients", "b.csv"], location: "d.csv:3: row has 4 fields"),
        BadInput(what: "empty file", files: ["d.csv": ""], arguments: ["i.json", "--coefficients", "b.csv"],
                 location: "d.csv: file is empty"),
        BadInput(what: "header only", files: ["d.csv": "task,y,x1,x2,x3\n"], arguments: ["i.json", "--coefficients", "b.csv"],
                 location: "d.csv:1: the file has a header but no data rows"),
        BadInput(what: "task with one row", files: ["d.csv": "task,y,x1,x2,x3\na,1,2,3,1\na,2,1,0,1\nb,1,1,1,1\n"],
                 arguments: ["i.json", "--coefficients", "b.csv"], location: "d.csv:4: task 'b' has 1 row"),
        BadInput(what: "coefficients of the wrong shape", files: ["b.csv": "a,b\n1,0\n0,0\n"],
                 arguments: ["i.json", "--coefficients", "b.csv"], location: "b.csv: has 2 coefficient rows, expected p = 3"),
        BadInput(what: "negative penalty flag", files: [:], arguments: ["i.json", "--coefficients", "b.csv", "--zbar", "-0.1"],
                 location: "command line: zbar = -0.1"),
        BadInput(what: "negative penalty in the instance", files: ["i.json": #"{"data": "d.csv", "penalty": {"sparsity": 2, "ridge": -3}}"#],
                 arguments: ["i.json", "--coefficients", "b.csv"], location: "i.json: ridge = -3.0"),
        BadInput(what: "s < 1", files: [:], arguments: ["i.json", "--coefficients", "b.csv", "--sparsity", "0"],
                 location: "command line: sparsity s = 0"),
        BadInput(what: "graph names an unknown task", files: ["g.csv": "task_a,task_b,weight\na,c,1\n"],
                 arguments: ["i.json", "--coefficients", "b.csv"], location: "g.csv:2:2: unknown task 'c'"),
        BadInput(what: "missing data file", files: [:], arguments: ["--data", "none.csv", "--sparsity", "1", "--coefficients", "b.csv"],
                 status: 66, location: "none.csv: no such file"),
    ]

    @Test(arguments: badInputs)
    func badInputGetsOneLineAndNonZeroExit(_ bad: BadInput) throws {
        let f = folder()
        for (name, text) in bad.files { f.write(name, text) }
        let outcome = try CommandRunner.run(["evaluate"] + bad.arguments, in: f.url)
        #expect(outcome.status == bad.status, "exit status; stderr: \(outcome.stderr)")
        let lines = outcome.stderr.split(separator: "\n")
        #expect(lines.count == 1, "one line, got: \(outcome.stderr)")
        #expect(outcome.stderr.hasPrefix("sparsemtl: error: "), "\(outcome.stderr)")
        #expect(outcome.stderr.contains(bad.location), "\(outcome.stderr) should contain \(bad.location)")
        #expect(outcome.stdout.isEmpty)
    }

    @Test func evaluateJSONHasTheContractKeys() throws {
        let f = folder()
        let outcome = try CommandRunner.run(["evaluate", "i.json", "--coefficients", "b.csv", "--json"], in: f.url)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let json = try JSONDecoder().decode(JSONValue.self, from: Data(outcome.stdout.utf8))
        for key in ["objective", "loss", "ridge", "bbar", "zbar", "feasible"] { #expect(json[key] != nil, "key \(key)") }
        #expect(json["feasible"] == .bool(true))
        // Independent value: task a fits y = x1 on centred data, task b = 2·x3; graph weight 1.
        // loss: a: ỹ = (0,1,−1), fit (1,0,−1) → (1+1+0)/3; b: ỹ = (−2,3,−1), fit 2·(1,−1,0) → (16+25+1)/3.
        let loss = 2.0 / 3 + 42.0 / 3
        let ridge = 0.1 * (1 + 4)
        let bbar = 0.2 * 1 * (1 + 0 + 4)
        let zbar = 0.3 * 1 * 2
        #expect(close(json["objective"]!.doubleValue!, loss + ridge + bbar + zbar, relative: 1e-12))
    }

    @Test func solveWritesTheResultContract() throws {
        let f = folder()
        let outcome = try CommandRunner.run(["solve", "i.json", "--output", "r.json"], in: f.url)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.isEmpty && outcome.stderr.contains("heuristic: local_optimum"))
        let json = try JSONValue.read(f.path("r.json"))
        for key in ["status", "objective", "lower_bound", "gap", "seconds", "tasks", "support", "coefficients", "intercepts",
                    "cycles", "swaps"] {
            #expect(json[key] != nil, "key \(key)")
        }
        #expect(json["status"] == .string("local_optimum") && json["lower_bound"] == .null && json["gap"] == .null)
        // The written result evaluates to the objective it reports.
        let check = try CommandRunner.run(["evaluate", "i.json", "--coefficients", "r.json", "--json"], in: f.url)
        let evaluated = try JSONDecoder().decode(JSONValue.self, from: Data(check.stdout.utf8))
        #expect(close(evaluated["objective"]!.doubleValue!, json["objective"]!.doubleValue!, relative: 1e-12))
        // Bad input: one line, exit 65, no result file.
        let bad = try CommandRunner.run(["solve", "i.json", "--bbar", "-1", "--output", "bad.json"], in: f.url)
        #expect(bad.status == 65 && !FileManager.default.fileExists(atPath: f.path("bad.json")))
    }

    @Test func exactSolveWritesAVerifiableCertificate() throws {
        let f = folder()
        let solve = try CommandRunner.run(["solve", "i.json", "--method", "exact", "--output", "r.json", "--certificate", "c.json"], in: f.url)
        #expect(solve.status == 0, "\(solve.stderr)")
        #expect(solve.stderr.contains("Incumbent") && solve.stderr.contains("optimal"), "the log: \(solve.stderr)")
        let result = try JSONValue.read(f.path("r.json"))
        #expect(result["status"] == .string("optimal") && result["lower_bound"]?.doubleValue != nil)
        #expect(FileManager.default.fileExists(atPath: f.path("c.master.mps")))
        let verify = try CommandRunner.run(["verify", "c.json"], in: f.url)
        #expect(verify.status == 0 && verify.stdout.hasSuffix("PASS\n"), "\(verify.stdout)\(verify.stderr)")
        // A wrong certificate: exit 1 and FAIL.
        let text = try String(contentsOfFile: f.path("c.json"), encoding: .utf8)
        let ub = result["objective"]!.doubleValue!
        f.write("bad.json", text.replacingOccurrences(of: "\"upper_bound\": \(ub)", with: "\"upper_bound\": \(ub / 2)"))
        let bad = try CommandRunner.run(["verify", "bad.json"], in: f.url)
        #expect(bad.status == 1 && bad.stdout.contains("FAIL"), "\(bad.stdout)")
    }

    @Test func timeLimitWritesTheBestSoFarAndExits3() throws {
        let f = folder()
        let outcome = try CommandRunner.run(["solve", "i.json", "--method", "exact", "--time-limit", "0.000001", "--quiet",
                                             "--output", "r.json"], in: f.url)
        #expect(outcome.status == 3, "\(outcome.stderr)")
        let result = try JSONValue.read(f.path("r.json"))
        #expect(result["status"] == .string("time_limit"))
        #expect(result["objective"]?.doubleValue?.isFinite == true)
    }

    /// Ctrl-C during a long exact solve: exit 130, and the result holds the best incumbent and bound.
    @Test func interruptKeepsTheBestSoFar() throws {
        let instances = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Instances")
        let f = TemporaryFolder()
        let outcome = try CommandRunner.run(["solve", instances.appendingPathComponent("ladder-K3-p100-n100.json").path,
                                             "--method", "exact", "--ridge", "0.01", "--big-m", "10", "--quiet",
                                             "--output", f.path("r.json")], in: f.url, interruptAfter: 2)
        #expect(outcome.status == 130, "\(outcome.stderr)")
        let result = try JSONValue.read(f.path("r.json"))
        #expect(result["status"] == .string("interrupted"))
        #expect(result["objective"]?.doubleValue?.isFinite == true && result["lower_bound"]?.doubleValue != nil)
    }

    /// `--trace` writes JSON lines in the data's units: on data whose y is scaled by 2¹⁰ + 1 (so the
    /// solver works in other units), each line's bound never exceeds the final UB, times never go
    /// back, every F is within the data's scale, and the last line is the result's UB and LB.
    @Test func traceIsInTheDataUnitsAndEndsAtTheResult() throws {
        let f = TemporaryFolder()
        var settings = SyntheticSettings()
        settings.tasks = 2; settings.features = 12; settings.samplesPerTask = 30; settings.sparsity = 3; settings.seed = 5
        let data = SyntheticInstance(settings).dataset
        var scaled = data
        scaled.responses = data.responses.map { $0.map { $0 * 1025 } }
        f.write("d.csv", SyntheticInstance.csv(scaled))
        let outcome = try CommandRunner.run(["solve", "--data", "d.csv", "--sparsity", "3", "--ridge", "0.1", "--zbar", "0.5", "--method", "exact",
                                             "--log-interval", "0.01", "--trace", "t.jsonl", "--plot", "t.svg", "--quiet", "--output", "r.json"], in: f.url)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let result = try JSONValue.read(f.path("r.json"))
        let upper = try #require(result["objective"]?.doubleValue), lower = try #require(result["lower_bound"]?.doubleValue)
        let lines = try String(contentsOfFile: f.path("t.jsonl"), encoding: .utf8).split(separator: "\n")
        #expect(lines.count >= 2)
        var previous = 0.0
        let nullModel = scaled.responses.reduce(0.0) { total, y in
            let mean = y.reduce(0, +) / Double(y.count)
            return total + y.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(y.count)
        }
        for line in lines {
            let point = try Array(line.utf8).withUnsafeBufferPointer { try JSONParser.parse($0, file: "t.jsonl") }
            let seconds = try #require(point["seconds"]?.doubleValue), incumbent = try #require(point["incumbent"]?.doubleValue)
            #expect(seconds >= previous)
            previous = seconds
            #expect(incumbent >= upper * (1 - 1e-12) && incumbent <= nullModel * (1 + 1e-9), "incumbent \(incumbent), F₀ \(nullModel)")
            if let bound = point["bound"]?.doubleValue { #expect(bound <= upper * (1 + 1e-12)) }
        }
        let last = try Array(lines.last!.utf8).withUnsafeBufferPointer { try JSONParser.parse($0, file: "t.jsonl") }
        #expect(last["incumbent"]?.doubleValue == upper && last["bound"]?.doubleValue == lower)
        #expect(try String(contentsOfFile: f.path("t.svg"), encoding: .utf8).contains("lower bound"))
    }

    @Test func exactRefusesRidgeZeroWithoutABox() throws {
        let f = folder()
        let outcome = try CommandRunner.run(["solve", "i.json", "--method", "exact", "--ridge", "0", "--output", "r.json"], in: f.url)
        #expect(outcome.status == 65 && outcome.stderr.contains("--big-m"), "\(outcome.stderr)")
        #expect(!FileManager.default.fileExists(atPath: f.path("r.json")))
    }

    @Test func generateWritesAReproducibleInstanceThatEvaluates() throws {
        let f = TemporaryFolder()
        let args = ["generate", "--tasks", "2", "--features", "8", "--samples", "15", "--seed", "7", "--name", "g", "--zbar", "0.5"]
        #expect(try CommandRunner.run(args, in: f.url).status == 0)
        let first = try String(contentsOfFile: f.path("g.csv"), encoding: .utf8)
        #expect(try CommandRunner.run(args, in: f.url).status == 0)
        #expect(try String(contentsOfFile: f.path("g.csv"), encoding: .utf8) == first, "same seed, same file")
        let outcome = try CommandRunner.run(["evaluate", "g.json", "--coefficients", "g_truth.csv"], in: f.url)
        #expect(outcome.status == 0 && outcome.stdout.contains("feasible      yes"), "\(outcome.stdout)\(outcome.stderr)")
    }

    @Test func unwritableOutputLeavesNoFile() throws {
        let f = TemporaryFolder()
        let outcome = try CommandRunner.run(["generate", "--output-directory", "missing", "--name", "x"], in: f.url)
        #expect(outcome.status == 73)
        #expect(try FileManager.default.contentsOfDirectory(atPath: f.url.path).isEmpty)
    }
}
