import Foundation
import Testing
@testable import SparseMTL

/// Instance files, flag overrides, task graphs and coefficient files, and their error messages.
@Suite struct InstanceTests {
    static let data = "task,y,x1,x2\na,1,2,3\na,2,1,0\nb,0,1,1\nb,5,2,7\nc,1,1,1\nc,2,2,2\n"

    func folder(instance: String = #"{"data": "d.csv", "penalty": {"sparsity": 2, "ridge": 0.5, "zbar": 1}}"#) -> TemporaryFolder {
        let f = TemporaryFolder()
        f.write("d.csv", Self.data)
        f.write("i.json", instance)
        return f
    }

    func expectError(_ words: String, line: Int? = nil, column: Int? = nil, _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("expected an error saying '\(words)'")
        } catch let error as InputError {
            #expect(error.description.contains(words), "\(error)")
            if let line { #expect(error.line == line, "\(error)") }
            if let column { #expect(error.column == column, "\(error)") }
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func instanceFileAndFlagsCombine() throws {
        let f = folder()
        let fromFile = try ProblemRequest(instancePath: f.path("i.json")).load()
        #expect(fromFile.penalty == Penalty(sparsity: 2, ridge: 0.5, zbar: 1))
        #expect(fromFile.name == "i")
        #expect(fromFile.graph == TaskGraph.complete(taskCount: 3))
        var request = ProblemRequest(instancePath: f.path("i.json"))
        request.ridge = 0.25
        request.bigM = 3
        let overridden = try request.load()
        #expect(overridden.penalty == Penalty(sparsity: 2, ridge: 0.25, zbar: 1, bigM: 3))
        var direct = ProblemRequest(dataPath: f.path("d.csv"))
        expectError("--sparsity is required") { _ = try direct.load() }
        direct.sparsity = 1
        #expect(try direct.load().penalty == Penalty(sparsity: 1))
    }

    @Test func instanceFileRoundTrips() throws {
        let f = TemporaryFolder()
        var file = InstanceFile(name: "x", data: "d.csv", penalty: Penalty(sparsity: 4, ridge: 0.1, bbar: 0.2, zbar: 0.3, bigM: 5))
        file.taskGraph = "g.csv"
        file.truth = "t.csv"
        file.standardize = true
        file.taskColumn = "site"
        f.write("x.json", file.json.text)
        #expect(try InstanceFile.read(f.path("x.json")) == file)
    }

    @Test func badInstanceFilesNameTheKey() {
        let cases: [(String, String)] = [
            (#"{"data": "d.csv", "penalty": {"sparsity": 0}}"#, "sparsity s = 0"),
            (#"{"data": "d.csv", "penalty": {"sparsity": 2, "ridge": -1}}"#, "ridge = -1.0: penalties must be non-negative"),
            (#"{"data": "d.csv", "penalty": {"sparsity": 2, "zbar": -0.5}}"#, "zbar = -0.5"),
            (#"{"data": "d.csv", "penalty": {"sparsity": 2, "big_m": 0}}"#, "big_m"),
            (#"{"data": "d.csv", "penalty": {"sparsity": 2, "rigde": 1}}"#, "\"penalty.rigde\": unknown key"),
            (#"{"data": "d.csv", "penalty": {"sparsity": 2}, "sparsity": 3}"#, "\"sparsity\": unknown key"),
            (#"{"penalty": {"sparsity": 2}}"#, "\"data\": missing"),
            (#"{"data": "d.csv"}"#, "\"penalty\": missing"),
            (#"{"data": "d.csv", "penalty": {"sparsity": 2.5}}"#, "not a whole number"),
            (#"{"data": "d.csv", "penalty": {"sparsity": 2}"#, "not valid JSON"),
            (#"{"data": "missing.csv", "penalty": {"sparsity": 2}}"#, "missing.csv: no such file"),
        ]
        for (json, words) in cases {
            let f = folder(instance: json)
            expectError(words) { _ = try ProblemRequest(instancePath: f.path("i.json")).load() }
        }
    }

    @Test func flagPenaltiesAreChecked() {
        let f = folder()
        for (change, words) in [({ (r: inout ProblemRequest) in r.sparsity = 0 }, "s = 0: must be at least 1"),
                                ({ (r: inout ProblemRequest) in r.bbar = -2 }, "bbar = -2.0")] {
            var request = ProblemRequest(instancePath: f.path("i.json"))
            change(&request)
            expectError("command line: " + "") { _ = try request.load() }
            expectError(words) { _ = try request.load() }
        }
    }

    @Test func taskGraphIsReadAndChecked() throws {
        let f = folder()
        f.write("g.csv", "task_a,task_b,weight\nb,a,2.5\nc,b,0.5\n")
        var request = ProblemRequest(instancePath: f.path("i.json"))
        request.taskGraphPath = f.path("g.csv")
        let graph = try request.load().graph
        #expect(graph.edges == [.init(k: 0, l: 1, weight: 2.5), .init(k: 1, l: 2, weight: 0.5)])
        #expect(graph.laplacian == Matrix(rowArrays: [[2.5, -2.5, 0], [-2.5, 3, -0.5], [0, -0.5, 0.5]]))
        let bad: [(String, String, Int?, Int?)] = [
            ("task_a,task_b,weight\na,zz,1\n", "unknown task 'zz'", 2, 2),
            ("task_a,task_b,weight\na,a,1\n", "to itself", 2, nil),
            ("task_a,task_b,weight\na,b,-1\n", "negative weight", 2, 3),
            ("task_a,task_b,weight\na,b,x\n", "not a finite number", 2, 3),
            ("task_a,task_b,weight\na,b,1\nb,a,2\n", "already given on line 2", 3, nil),
            ("from,to,w\na,b,1\n", "must name the columns", 1, nil),
        ]
        for (csv, words, line, column) in bad {
            f.write("g.csv", csv)
            expectError(words, line: line, column: column) { _ = try request.load() }
        }
    }

    @Test func coefficientFilesAreCheckedForShape() throws {
        let labels = ["a", "b", "c"]
        let f = TemporaryFolder()
        f.write("ok.csv", "a,b,c\n1,0,0\n0,2,3\n")
        let ok = try CoefficientFile.read(f.path("ok.csv"), taskLabels: labels, featureCount: 2)
        #expect(ok.coefficients == Matrix(rowArrays: [[1, 0, 0], [0, 2, 3]]))
        let bad: [(String, String, Int?, Int?)] = [
            ("a,b\n1,0\n0,2\n", "2 task columns, the data has 3", 1, nil),
            ("a,c,b\n1,0,0\n0,2,3\n", "expected task 'b'", 1, 2),
            ("a,b,c\n1,0,0\n", "1 coefficient rows, expected p = 2", nil, nil),
            ("a,b,c\n1,0,0\n0,2,3\n4,5,6\n", "more than p = 2", 4, nil),
            ("a,b,c\n1,0\n0,2,3\n", "2 fields", 2, nil),
            ("a,b,c\n1,0,q\n0,2,3\n", "'q' is not a finite number", 2, 3),
        ]
        for (csv, words, line, column) in bad {
            f.write("bad.csv", csv)
            expectError(words, line: line, column: column) {
                _ = try CoefficientFile.read(f.path("bad.csv"), taskLabels: labels, featureCount: 2)
            }
        }
        f.write("r.json", #"{"tasks": ["a","b","c"], "coefficients": [[1, 0, 0], [0, 2, 3]], "support": [[0], [1], [0, 1]]}"#)
        let result = try CoefficientFile.read(f.path("r.json"), taskLabels: labels, featureCount: 2)
        #expect(result.support == Support([[0], [1], [0, 1]]))
        f.write("r.json", #"{"coefficients": [[1, 0], [0, 2]]}"#)
        expectError("expected 3 numbers") { _ = try CoefficientFile.read(f.path("r.json"), taskLabels: labels, featureCount: 2) }
    }
}
