import Foundation
import Testing
@testable import SparseMTL

/// `predict` and model files: predictions are b0_k + xᵀβ_k with the model's own intercepts (never
/// re-estimated from the new rows), columns are matched by name, and what the model does not know
/// is an error naming file, line and column.
@Suite struct PredictionTests {
    /// A model written by hand: tasks a, b; features u, v; b0 = (1, −2); β_a = (2, 0), β_b = (0.5, −1).
    static let model = """
        {"method": "heuristic", "status": "local_optimum", "tasks": ["a", "b"], "features": ["u", "v"],
         "coefficients": [[2, 0.5], [0, -1]], "intercepts": [1, -2], "task_column": "task", "response_column": "y"}
        """

    func folder() -> TemporaryFolder {
        let f = TemporaryFolder()
        f.write("m.json", Self.model)
        return f
    }

    @Test func predictionsAreTheModelsLinearFormInTheFilesOrder() throws {
        let f = folder()
        // Columns in another order than the model's, an extra response column, tasks interleaved.
        f.write("new.csv", "v,task,u,y\n1,b,2,0\n3,a,1,4\n0,b,0,-2\n")
        let outcome = try CommandRunner.run(["predict", "--model", "m.json", "--data", "new.csv"], in: f.url)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        // By hand: b: −2 + 0.5·2 − 1·1 = −2; a: 1 + 2·1 = 3; b: −2 + 0 − 0 = −2.
        #expect(outcome.stdout == "row,task,prediction\n1,b,-2.0\n2,a,3.0\n3,b,-2.0\n")
    }

    @Test func sharedDesignRowsArePredictedForEveryTask() throws {
        let f = folder()
        // No task column: each row for tasks a and b; responses in columns named a and b; an id dropped.
        f.write("new.csv", "id,u,v,a,b\n7,1,2,3,0\n8,0,1,1,-4\n")
        let outcome = try CommandRunner.run(["predict", "--model", "m.json", "--data", "new.csv", "--drop", "id"], in: f.url)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        // By hand: row 1: a = 1 + 2·1 = 3, b = −2 + 0.5·1 − 2 = −3.5; row 2: a = 1, b = −2 − 1 = −3.
        #expect(outcome.stdout == "row,task,prediction\n1,a,3.0\n1,b,-3.5\n2,a,1.0\n2,b,-3.0\n")
        let scored = try CommandRunner.run(["predict", "--model", "m.json", "--data", "new.csv", "--drop", "id", "--score"], in: f.url)
        // Residuals: a: 0, 0 → 0; b: 3.5, −1 → (12.25 + 1)/2 = 6.625.
        #expect(scored.stdout.contains("6.625") && scored.stdout.split(separator: "\n").contains { $0.hasPrefix("a ") && $0.hasSuffix(" 0") })
    }

    @Test func scoreUsesTheTrainingInterceptsAndReportsPerTaskAndPooledError() throws {
        let f = folder()
        // Residuals by hand: a rows: y − (1 + 2u): (4 − 3) = 1, (0 − 1) = −1 → MSE 1;
        // b rows: y − (−2 + 0.5u − v): (1 − (−2)) = 3 → MSE 9. Pooled (1 + 1 + 9)/3; mean over tasks 5.
        // Re-estimating the intercepts on these rows would give a: MSE 1 (same, the residuals have
        // mean 0) but b: MSE 0 (one row): the pooled 11/3 and the mean 5 tell the two apart.
        f.write("new.csv", "task,u,v,y\na,1,0,4\na,0,5,0\nb,0,0,1\n")
        let outcome = try CommandRunner.run(["predict", "--model", "m.json", "--data", "new.csv", "--score", "--output", "p.csv"], in: f.url)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let lines = outcome.stdout.split(separator: "\n").map { $0.split(separator: " ", omittingEmptySubsequences: true) }
        let value = { (label: String) in lines.first { $0.first.map(String.init) == label }?.last.flatMap { Double($0) } }
        #expect(value("a") == 1 && value("b") == 9)
        #expect(close(value("pooled") ?? .nan, 11.0 / 3, relative: 1e-5))
        #expect(lines.contains { $0.starts(with: ["mean", "over", "tasks"]) && $0.last == "5" })
        let written = try String(contentsOfFile: f.path("p.csv"), encoding: .utf8)
        #expect(written == "row,task,prediction\n1,a,3.0\n2,a,1.0\n3,b,-2.0\n")
    }

    @Test(arguments: [
        ("task,u,v\nc,1,2\n", "new.csv:2:1: task 'c' is not one of the model's tasks"),
        ("task,id,u,v\na,7,1,2\n", "new.csv:1:2: column 'id' is not a feature of the model"),
        ("task,u\na,1\n", "new.csv:1: the model's feature 'v' has no column"),
        ("task,u,v\na,1,x\n", "new.csv:2:3: 'x' in column 'v' is not a number"),
        ("tsk,u,v\na,1,2\n", "new.csv:1:1: column 'tsk' is not a feature of the model (its features: u, v); no task column 'task' either"),
        ("u,v,a\n1,2,3\n", "new.csv:1: no task column 'task', and of the response columns (one per task) 'b' is missing"),
    ])
    func whatTheModelDoesNotKnowIsAnErrorAtItsPlace(_ text: String, _ location: String) throws {
        let f = folder()
        f.write("new.csv", text)
        let outcome = try CommandRunner.run(["predict", "--model", "m.json", "--data", "new.csv", "--output", "p.csv"], in: f.url)
        #expect(outcome.status == 65 && outcome.stderr.contains(location), "\(outcome.stderr)")
        #expect(!FileManager.default.fileExists(atPath: f.path("p.csv")))
    }

    @Test func everyFittingCommandWritesAModelThatPredictReads() throws {
        let f = TemporaryFolder()
        var random = SeededRandom(seed: 5)
        let x = (0..<2).map { _ in random.matrix(12, 4) }
        var text = "task,y,f1,f2,f3,f4\n"
        for (k, design) in x.enumerated() {
            for i in 0..<design.rows {
                let row = (0..<4).map { design[i, $0] }
                text += "t\(k),\(3 * row[0] - row[2] + Double(k)),\(row.map { "\($0)" }.joined(separator: ","))\n"
            }
        }
        f.write("d.csv", text)
        let fits: [([String], [String])] = [
            (["solve", "--data", "d.csv", "--sparsity", "2", "--ridge", "0.01", "--standardize", "--output", "solve.json"], ["--model", "solve.json"]),
            (["path", "--data", "d.csv", "--sparsity", "2", "--max-sparsity", "2", "--ridge-grid", "0.01", "--quiet", "--output", "path.json"],
             ["--model", "path.json", "--point", "1"]),
            (["cv", "--data", "d.csv", "--folds", "3", "--max-sparsity", "3", "--ridge-grid", "0.01", "--zbar-grid", "0", "--bbar-grid", "0",
              "--quiet", "--output", "cv.json"], ["--model", "cv.json"]),
            (["relax", "--data", "d.csv", "--sparsity", "1", "--gamma", "0.01", "--output", "relax.json"], ["--model", "relax.json"]),
        ]
        for (fit, model) in fits {
            let fitted = try CommandRunner.run(fit, in: f.url)
            #expect(fitted.status == 0, "\(fit[0]): \(fitted.stderr)")
            let predicted = try CommandRunner.run(["predict", "--data", "d.csv"] + model, in: f.url)
            #expect(predicted.status == 0, "\(fit[0]): \(predicted.stderr)")
            // The predictions are the result's own b0_k + xᵀβ_k (recomputed here from its JSON).
            var json = try JSONValue.read(f.path(model[1]))
            if case .object? = json["model"] { json = json["model"]! }
            if case .array(let points)? = json["points"] { json = points[1] }
            guard case .array(let rows)? = json["coefficients"], case .array(let b0)? = json["intercepts"] else {
                Issue.record("\(fit[0]): no coefficients"); continue
            }
            let lines = predicted.stdout.split(separator: "\n").dropFirst()
            #expect(lines.count == 24)
            for (r, line) in lines.enumerated() {
                let k = r / 12, i = r % 12
                var expected = b0[k].doubleValue!
                for j in 0..<4 {
                    guard case .array(let row) = rows[j] else { continue }
                    expected += x[k][i, j] * row[k].doubleValue!
                }
                let got = Double(line.split(separator: ",").last!)!
                #expect(close(got, expected, relative: 1e-9), "\(fit[0]) row \(r + 1): \(got) vs \(expected)")
            }
            // The model records its data and build.
            let record = try JSONValue.read(f.path(model[1]))
            let holder = record["model"] ?? record
            #expect((holder["data_sha256"] ?? record["data_sha256"]).flatMap { if case .string(let s) = $0 { s.count } else { nil } } == 64,
                    "\(fit[0]): data_sha256")
            #expect((holder["sparsemtl_version"] ?? record["sparsemtl_version"]) == .string(SparseMTLVersion.string))
        }
    }
}
