import Foundation
import Testing
@testable import SparseMTL

/// Task-graph learning: the Laplacian estimator against its closed form (K = 2) and its KKT
/// conditions, monotone objective, consistency as p grows, edge recovery from regression data, and
/// `--task-graph learned` against the written graph file.
@Suite struct GraphLearningTests {
    /// ∂f/∂w_kl = d_kl + ρ − r_kl, recomputed here with an explicit inverse of L + 11ᵀ/K.
    static func gradient(_ s: Matrix, _ weights: Matrix, l1: Double) -> [(w: Double, g: Double)] {
        let kCount = s.rows
        var a = TaskGraph.laplacian(of: weights)
        for k in 0..<kCount { for l in 0..<kCount { a[k, l] += 1 / Double(kCount) } }
        let inverse = try! Cholesky(a).solve(Matrix.identity(kCount))
        var out: [(Double, Double)] = []
        for k in 0..<kCount {
            for l in (k + 1)..<kCount {
                let d = s[k, k] + s[l, l] - 2 * s[k, l]
                let r = inverse[k, k] + inverse[l, l] - 2 * inverse[k, l]
                out.append((weights[k, l], d + l1 - r))
            }
        }
        return out
    }

    static func randomCovariance(tasks: Int, features: Int, seed: UInt64) -> Matrix {
        var random = SeededRandom(seed: seed)
        var w = Matrix(rows: features, columns: tasks)
        for j in 0..<features { for k in 0..<tasks { w[j, k] = random.normal() * Double(1 + k % 3) } }
        return LaplacianEstimator.covariance(of: w)
    }

    @Test(arguments: [0.0, 0.3])
    func twoTasksHaveTheClosedForm(l1: Double) {
        // K = 2: f(w) = w(d + ρ) − log(2w), minimised at w = 1/(d + ρ).
        var w = Matrix(rows: 4, columns: 2)
        for (j, (a, b)) in [(1.0, 0.5), (-0.3, 0.2), (2.0, 2.6), (0.0, -1.0)].enumerated() { w[j, 0] = a; w[j, 1] = b }
        let s = LaplacianEstimator.covariance(of: w)
        let d = (0..<4).reduce(0.0) { $0 + (w[$1, 0] - w[$1, 1]) * (w[$1, 0] - w[$1, 1]) } / 4
        let estimate = LaplacianEstimator(l1: l1).estimate(covariance: s)
        #expect(close(estimate.weights[0, 1], 1 / (d + l1), relative: 1e-6), "\(estimate.weights[0, 1]) vs \(1 / (d + l1))")
    }

    @Test(arguments: [(6, 0.0), (6, 0.5), (10, 0.0), (10, 2.0)] as [(Int, Double)])
    func estimateSatisfiesKKTAndDecreasesMonotonically(tasks: Int, l1: Double) {
        let s = Self.randomCovariance(tasks: tasks, features: 40, seed: UInt64(tasks * 7 + Int(l1 * 10)))
        let estimate = LaplacianEstimator(l1: l1).estimate(covariance: s)
        #expect(estimate.converged)
        let scale = (0..<tasks).reduce(0.0) { $0 + s[$1, $1] }
        var zeros = 0
        for (w, g) in Self.gradient(s, estimate.weights, l1: l1) {
            if w > 0 { #expect(abs(g) <= 1e-4 * scale, "active edge: gradient \(g)") } else { zeros += 1; #expect(g >= -1e-4 * scale, "zero edge: gradient \(g)") }
        }
        if l1 >= 2 { #expect(zeros > 0, "a large ℓ1 weight leaves some pairs unlinked") }
        for (a, b) in zip(estimate.objectiveTrace, estimate.objectiveTrace.dropFirst()) { #expect(b <= a, "f rose from \(a) to \(b)") }
    }

    @Test func errorShrinksAsPGrows() {
        var random = SeededRandom(seed: 5)
        let truth = GMRFTasks.randomGraph(taskCount: 8, edgeProbability: 0.3, random: &random)
        var errors: [Double] = []
        for p in [100, 1000, 10_000] {
            var draw = SeededRandom(seed: UInt64(p))
            let w = GMRFTasks.taskVectors(truth, features: p, random: &draw)
            let estimate = LaplacianEstimator().estimate(covariance: LaplacianEstimator.covariance(of: w))
            errors.append(GraphComparison(learned: TaskGraph(weights: estimate.weights, origin: "learned"), truth: truth).relativeError)
        }
        // A sample covariance from p draws errs like 1/√p: a factor √10 per step, asserted loosely.
        #expect(errors[1] < 0.7 * errors[0] && errors[2] < 0.7 * errors[1], "errors \(errors)")
        #expect(errors[2] < 0.15, "errors \(errors)")
    }

    @Test func recoversTheEdgesFromRegressionData() throws {
        var settings = SyntheticSettings()
        settings.pattern = .gmrf
        settings.tasks = 8; settings.features = 300; settings.samplesPerTask = 1500; settings.snr = 20; settings.seed = 4
        let generated = SyntheticInstance(settings)
        let truth = try #require(generated.graph)
        let instance = try Instance(name: "gmrf", dataset: generated.dataset, penalty: Penalty(sparsity: 5, ridge: 0.01),
                                    penaltySource: "test")
        var learning = TaskGraphLearning()
        learning.ridge = 0.001
        learning.threshold = 0.1
        let learned = try learning.learn(instance)
        let c = GraphComparison(learned: learned.graph, truth: truth)
        // True weights are 1 or 5 (≥ 20 % of the largest), non-edges 0: at a 10 % threshold, with
        // p = 300 coordinates (37 per task pair) the estimate should keep most true edges and few others.
        #expect(c.recall >= 0.8 && c.precision >= 0.7, "precision \(c.precision), recall \(c.recall), error \(c.relativeError)")
    }

    @Test func learnedGraphEqualsItsWrittenFile() throws {
        let f = TemporaryFolder()
        let generate = ["generate", "--pattern", "gmrf", "--tasks", "4", "--features", "12", "--samples", "60", "--seed", "2",
                        "--name", "g", "--sparsity", "2", "--ridge", "1", "--bbar", "0.2", "--zbar", "0.1"]
        #expect(try CommandRunner.run(generate, in: f.url).status == 0)
        #expect(try CommandRunner.run(["graph", "g.json", "--output", "learned.csv"], in: f.url).status == 0)
        for method in ["heuristic", "exact"] {
            let a = try CommandRunner.run(["solve", "g.json", "--method", method, "--task-graph", "learned", "--quiet", "--time-limit", "60", "--output", "a.json"], in: f.url)
            let b = try CommandRunner.run(["solve", "g.json", "--method", method, "--task-graph", "learned.csv", "--quiet", "--time-limit", "60", "--output", "b.json"], in: f.url)
            #expect(a.status == 0 && b.status == 0, "\(a.stderr)\(b.stderr)")
            let (ra, rb) = (try JSONValue.read(f.path("a.json")), try JSONValue.read(f.path("b.json")))
            #expect(ra["objective"] == rb["objective"] && ra["support"] == rb["support"] && ra["coefficients"] == rb["coefficients"])
            #expect(ra["task_graph_edges"] == rb["task_graph_edges"])
            if case .string(let origin)? = ra["task_graph"] { #expect(origin.hasPrefix("learned")) } else { Issue.record("task_graph") }
        }
    }
}
