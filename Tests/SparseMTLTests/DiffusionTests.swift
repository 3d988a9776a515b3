import Foundation
import Testing
@testable import SparseMTL

/// The adapt-then-combine recursion: its limits against fixed points computed here by dense
/// elimination (noise-free data), and the seed's qualitative claim end to end through
/// `sparsemtl diffuse`.
@Suite struct DiffusionTests {
    /// Noise-free data: LMS alone converges to w°; consensus to the pooled least-squares vector
    /// w̄ = (Σ_k R̂_k)⁻¹ Σ_k R̂_k w°_k; the graph strategy to the fixed point of its mean recursion,
    /// [I − (I − μηL⊗I)(I − μR̂)] w = μ(I − μηL⊗I) R̂ w°, with R̂ = blockdiag(X̃_kᵀX̃_k / n_k).
    @Test func strategiesReachTheFixedPointsOfTheirMeanRecursions() throws {
        var settings = SyntheticSettings()
        settings.pattern = .gmrf
        settings.tasks = 3; settings.features = 4; settings.samplesPerTask = 300; settings.snr = 1e12; settings.seed = 3
        let generated = SyntheticInstance(settings)
        let graph = try #require(generated.graph)
        let instance = try Instance(name: "atc", dataset: generated.dataset, penalty: Penalty(sparsity: 4), penaltySource: "test")
        let (kCount, p) = (3, 4)
        let (mu, eta) = (0.002, 0.1)
        var recursion = AdaptThenCombine(stepSize: mu, coupling: eta, iterations: 24_000, phaseOneIterations: 4000)
        recursion.runs = 2
        let report = try recursion.run(instance, truth: generated.truth, trueGraph: graph)

        let truth = (0..<kCount).map { generated.truth.column($0) }
        let gram = instance.designs.map { x in
            (0..<p).map { i in (0..<p).map { j in (0..<x.rows).reduce(0.0) { $0 + x[$1, i] * x[$1, j] } / Double(x.rows) } }
        }
        func msd(_ w: [[Double]]) -> Double {
            zip(w, truth).reduce(0.0) { sum, pair in sum + zip(pair.0, pair.1).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } } / Double(kCount)
        }
        // Consensus: the pooled normal equations.
        let pooled = (0..<p).map { i in (0..<p).map { j in gram.reduce(0.0) { $0 + $1[i][j] } } }
        let pooledRHS = (0..<p).map { i in (0..<kCount).reduce(0.0) { sum, k in sum + (0..<p).reduce(0.0) { $0 + gram[k][i][$1] * truth[k][$1] } } }
        let common = denseSolve(pooled, pooledRHS)
        // Graph strategy: the Kp × Kp mean recursion, built entry by entry.
        let lap = graph.laplacian
        func index(_ k: Int, _ j: Int) -> Int { k * p + j }
        var combine = [[Double]](repeating: [Double](repeating: 0, count: kCount * p), count: kCount * p)
        var adapt = combine
        for k in 0..<kCount {
            for j in 0..<p {
                for l in 0..<kCount { combine[index(k, j)][index(l, j)] = (k == l ? 1 : 0) - mu * eta * lap[k, l] }
                for i in 0..<p { adapt[index(k, j)][index(k, i)] = (j == i ? 1 : 0) - mu * gram[k][j][i] }
            }
        }
        let size = kCount * p
        let product = (0..<size).map { r in (0..<size).map { c in (0..<size).reduce(0.0) { $0 + combine[r][$1] * adapt[$1][c] } } }
        let system = (0..<size).map { r in (0..<size).map { c in (r == c ? 1 : 0) - product[r][c] } }
        let drive = (0..<size).map { r in
            let k = r / p, j = r % p
            return mu * (0..<p).reduce(0.0) { $0 + gram[k][j][$1] * truth[k][$1] }
        }
        let rhs = (0..<size).map { r in (0..<size).reduce(0.0) { $0 + combine[r][$1] * drive[$1] } }
        let fixed = denseSolve(system, rhs)
        let graphFixed = (0..<kCount).map { k in Array(fixed[(k * p)..<((k + 1) * p)]) }

        let start = msd([[Double]](repeating: [Double](repeating: 0, count: p), count: kCount))
        #expect(report.msd[.nonCooperative]!.last! < 1e-10 * start, "LMS alone on noise-free data reaches w°")
        let expectations: [(AdaptThenCombine.Strategy, Double)] = [(.consensus, msd([[Double]](repeating: common, count: kCount))),
                                                                   (.trueGraph, msd(graphFixed))]
        for (strategy, expected) in expectations {
            let reached = report.steadyState(strategy)
            // Gradient noise around the fixed point is O(μ): under 1 % here (measured 0.01–0.4 %).
            #expect(abs(reached - expected) <= 0.02 * expected, "\(strategy): steady MSD \(reached), fixed point \(expected)")
        }
        #expect(report.couplings == [eta, eta])
    }

    /// The seed's claim on its experiment (K tasks on a random graph with weights in {1, 5},
    /// Gaussian-Markov-random-field task vectors, noisy streams): cooperation over the learned graph
    /// ends below learning alone and below consensus, and close to cooperation over the true graph.
    @Test func learnedCooperationBeatsLearningAloneAndConsensus() throws {
        let f = TemporaryFolder()
        let generate = ["generate", "--pattern", "gmrf", "--tasks", "6", "--features", "30", "--samples", "8000", "--rho", "0",
                        "--snr", "0.1", "--seed", "2", "--name", "atc", "--sparsity", "30"]
        #expect(try CommandRunner.run(generate, in: f.url).status == 0)
        let run = try CommandRunner.run(["diffuse", "atc.json", "--truth-graph", "atc_graph_truth.csv", "--runs", "3", "--phase-one", "2500",
                                         "--output", "atc-diffuse.json", "--plot", "atc.svg"], in: f.url)
        #expect(run.status == 0, "\(run.stderr)")
        let result = try JSONValue.read(f.path("atc-diffuse.json"))
        func steady(_ name: String) -> Double {
            if case .number(let v)? = result["steady_state_msd"]?[name] { return v }
            Issue.record("no steady state for \(name)")
            return .nan
        }
        let (alone, learned, oracle, consensus) = (steady("non-cooperative"), steady("learned graph"), steady("true graph"), steady("consensus"))
        // Measured on 5 seeds of this setting: 0.4–0.6 dB below learning alone; asserted: 0.2 dB.
        #expect(10 * log10(alone / learned) > 0.2, "learned \(learned) vs alone \(alone)")
        #expect(learned < consensus, "learned \(learned) vs consensus \(consensus)")
        #expect(abs(10 * log10(learned / oracle)) < 0.2, "learned \(learned) vs true graph \(oracle)")
        let svg = try String(contentsOfFile: f.path("atc.svg"), encoding: .utf8)
        #expect(svg.contains("<svg") && svg.contains("learned weights") && svg.contains("polyline"))
    }

    @Test func diffuseWithoutTruthIsAnInputError() throws {
        let f = TemporaryFolder()
        _ = f.write("d.csv", "task,y,x1\na,1,2\na,2,1\nb,0,1\nb,1,3\n")
        let run = try CommandRunner.run(["diffuse", "--data", "d.csv", "--sparsity", "1"], in: f.url)
        #expect(run.status == 65 && run.stderr.contains("true coefficients"), "\(run.status): \(run.stderr)")
    }
}
