import Foundation

/// The adapt-then-combine (ATC) multitask recursion over K agents, one per task (DESIGN.md
/// section 6; seed: "Multitask Learning with Learned Task Relationships"). Agent k reads its own
/// stream of rows (x_k(i), y_k(i)) of the centred data and keeps an estimate w_k; at iteration i
///
///     adapt:    ψ_k = w_k + μ x_k(i) (y_k(i) − x_k(i)ᵀ w_k)
///     combine:  W ← (I − μη (L ⊗ I)) Ψ,   that is   w_k = ψ_k − μη Σ_l w_kl (ψ_k − ψ_l),
///
/// a stochastic-gradient step on Σ_k J_k(w_k) + (η/2) Σ_{k<l} w_kl ‖w_k − w_l‖², with
/// J_k(w) = ½ E(y_k − x_kᵀw)², split into its data part and its graph part. The strategies differ
/// only in the combine step (`Strategy`). All of them read the same rows in the same order in a
/// run, so their curves differ by the strategy alone.
///
/// The figure of merit is the mean-square deviation from the true task vectors w°_k,
/// MSD(i) = (1/K) Σ_k ‖w_k(i) − w°_k‖², averaged over `runs` passes that each shuffle every
/// agent's rows with their own seed (a stream longer than a task's rows is reshuffled per pass).
public struct AdaptThenCombine: Sendable {
    /// How the agents combine their intermediate estimates ψ_k.
    public enum Strategy: String, Sendable, CaseIterable {
        /// W = Ψ: every agent learns alone (η = 0).
        case nonCooperative = "non-cooperative"
        /// Phase I (the first `phaseOneIterations`, T₁) alone; then L̂ is estimated by
        /// `LaplacianEstimator` from the non-cooperative estimates averaged over the second half of
        /// phase I (the average of iterates has far less gradient noise than W(T₁)), and phase II
        /// combines with L̂.
        case learnedGraph = "learned graph"
        /// The same phases with the true L in phase II (an oracle, when the true graph is known):
        /// the distance between the two curves is the price of learning the graph.
        case trueGraph = "true graph"
        /// Every agent takes the average ψ̄ = (1/K) Σ_l ψ_l: all agents estimate one common vector,
        /// the minimiser of Σ_k J_k.
        case consensus
    }

    /// μ: the adaptation step size.
    public var stepSize: Double
    /// η: the weight of the graph term (the combine step is μη·L); nil: η̂ = μσ̂²/2 (`matchedCoupling`).
    public var coupling: Double?
    /// T: iterations (rows read by every agent) in a run.
    public var iterations: Int
    /// T₁: the non-cooperative phase of `learnedGraph`.
    public var phaseOneIterations: Int
    /// Monte Carlo runs the MSD is averaged over.
    public var runs = 10
    public var seed: UInt64 = 1
    /// The estimator of L̂ (its ℓ1 weight and stopping rule).
    public var estimator = LaplacianEstimator()

    public init(stepSize: Double, coupling: Double?, iterations: Int, phaseOneIterations: Int) {
        self.stepSize = stepSize
        self.coupling = coupling
        self.iterations = iterations
        self.phaseOneIterations = phaseOneIterations
    }

    /// μ = `fraction` / mean_k E‖x_k‖² (with E‖x_k‖² = ‖X̃_k‖_F²/n_k): a step whose size does not
    /// depend on how the features are scaled. LMS is mean-square stable for μ well below 2/E‖x‖².
    public static func defaultStepSize(_ instance: Instance, fraction: Double = 0.05) -> Double {
        let energy = instance.designs.reduce(0.0) { sum, x in
            sum + x.storage.reduce(0) { $0 + $1 * $1 } / Double(max(x.rows, 1))
        } / Double(max(instance.taskCount, 1))
        return fraction / max(energy, 1e-300)
    }

    /// η̂ = μσ̂²/2, where σ̂² is the mean squared a-priori error y − xᵀw of the non-cooperative agents
    /// over the second half of phase I (≈ the noise variance σ²). Why: alone, LMS leaves every
    /// coordinate with an error of variance v ≈ μσ²/2, and the combined recursion's fixed point
    /// (R + η L) w = R w° (R = E xxᵀ, taken ≈ I) is then the posterior mean of w° under the Gaussian
    /// Markov random field prior of precision L exactly when η = v. Measured on the seed's
    /// experiment, the steady state is best near this value.
    public static func matchedCoupling(stepSize: Double, noiseVariance: Double) -> Double {
        stepSize * noiseVariance / 2
    }

    /// The MSD curves and what the learned graph was.
    public struct Report: Sendable {
        /// The iterations at which the MSD was recorded (0 is the start, W = 0).
        public var checkpoints: [Int]
        /// MSD at every checkpoint, averaged over the runs, per strategy that ran.
        public var msd: [Strategy: [Double]]
        /// The learned graph of every run (estimated at T₁).
        public var learnedGraphs: [TaskGraph]
        /// η used in phase II of every run (the given one, or η̂ of that run).
        public var couplings: [Double]
        /// The runs completed (fewer than asked when interrupted).
        public var runsCompleted: Int
        /// The strategies in the order they are reported.
        public var strategies: [Strategy] { Strategy.allCases.filter { msd[$0] != nil } }

        /// The steady-state MSD: the mean over the last `fraction` of the checkpoints.
        public func steadyState(_ strategy: Strategy, fraction: Double = 0.1) -> Double {
            guard let curve = msd[strategy], !curve.isEmpty else { return .nan }
            let tail = curve.suffix(max(1, Int((Double(curve.count) * fraction).rounded())))
            return tail.reduce(0, +) / Double(tail.count)
        }
    }

    /// Runs every strategy on `instance`'s rows against the true task vectors `truth` (p × K, model
    /// scale); `trueGraph` adds the oracle strategy. Ctrl-C ends it early with the runs completed so
    /// far (the run under way is left out).
    /// - Throws: `InputError` for settings out of range or fewer than 2 tasks.
    public func run(_ instance: Instance, truth: Matrix, trueGraph: TaskGraph? = nil,
                    progress: ((Int) -> Void)? = nil) throws -> Report {
        let kCount = instance.taskCount, p = instance.featureCount
        guard kCount >= 2 else { throw InputError(file: "diffuse", "the recursion needs at least 2 tasks (agents), the data has \(kCount)") }
        guard stepSize > 0, stepSize.isFinite else { throw InputError(file: "--step", "the step size μ must be positive, got \(stepSize)") }
        if let coupling, !(coupling >= 0 && coupling.isFinite) { throw InputError(file: "--eta", "η must be ≥ 0, got \(coupling)") }
        guard iterations >= 2 else { throw InputError(file: "--iterations", "need at least 2 iterations, got \(iterations)") }
        guard (2..<iterations).contains(phaseOneIterations) else {
            throw InputError(file: "--phase-one", "phase I must last between 2 and \(iterations - 1) iterations, got \(phaseOneIterations)")
        }
        guard runs >= 1 else { throw InputError(file: "--runs", "need at least 1 run, got \(runs)") }
        precondition(truth.rows == p && truth.columns == kCount, "AdaptThenCombine: truth must be p × K")

        let strategies = Strategy.allCases.filter { $0 != .trueGraph || trueGraph != nil }
        let stride = max(1, iterations / 400)
        let checkpoints = Array(Swift.stride(from: 0, to: iterations, by: stride)) + [iterations]
        var sums = [Strategy: [Double]](uniqueKeysWithValues: strategies.map { ($0, [Double](repeating: 0, count: checkpoints.count)) })
        var learnedGraphs: [TaskGraph] = [], couplings: [Double] = []
        let streams = instance.designs.indices.map { AgentStream(design: instance.designs[$0], response: instance.responses[$0]) }
        let target = (0..<kCount).flatMap { truth.column($0) }
        let window = (phaseOneIterations / 2)..<phaseOneIterations  // where W and σ̂² are averaged

        var completed = 0
        for run in 0..<runs where !Interrupt.isRequested {
            var random = SeededRandom(seed: seed &+ UInt64(run) &* 0x9E37_79B9_7F4A_7C15)
            var orders = streams.map { random.sample($0.count, from: 0..<$0.count) }
            var estimates = [Strategy: [Double]](uniqueKeysWithValues: strategies.map { ($0, [Double](repeating: 0, count: kCount * p)) })
            var combines: [Strategy: GraphCombine] = [:]
            var averaged = [Double](repeating: 0, count: kCount * p), squaredErrors = 0.0
            var curves = sums.mapValues { $0.map { _ in 0.0 } }
            var next = 0, interrupted = false
            for i in 0...iterations {
                if i == checkpoints[next] {
                    for s in strategies { curves[s]![next] = Self.deviation(estimates[s]!, target) / Double(kCount) }
                    next += 1
                }
                if i == iterations { break }
                if i % 1024 == 0 && Interrupt.isRequested { interrupted = true; break }
                if i == phaseOneIterations {
                    let count = Double(window.count)
                    let graph = learn(averaged.map { $0 / count }, tasks: kCount, features: p)
                    let eta = coupling ?? Self.matchedCoupling(stepSize: stepSize, noiseVariance: squaredErrors / (count * Double(kCount)))
                    learnedGraphs.append(graph)
                    couplings.append(eta)
                    combines[.learnedGraph] = GraphCombine(graph, scale: stepSize * eta)
                    combines[.trueGraph] = trueGraph.map { GraphCombine($0, scale: stepSize * eta) }
                }
                let rows = (0..<kCount).map { k -> Int in
                    let n = streams[k].count, pass = i / n
                    if pass > 0 && i % n == 0 { orders[k] = random.sample(n, from: 0..<n) }
                    return orders[k][i % n]
                }
                for s in strategies {
                    var w = estimates[s]!
                    estimates[s] = nil  // uniquely referenced while it is updated in place
                    for k in 0..<kCount {
                        let error = streams[k].adapt(&w, offset: k * p, row: rows[k], step: stepSize)
                        if s == .nonCooperative && window.contains(i) { squaredErrors += error * error }
                    }
                    if s == .consensus { Self.average(&w, tasks: kCount, features: p) } else { combines[s]?.apply(&w, features: p) }
                    if s == .nonCooperative && window.contains(i) { for e in w.indices { averaged[e] += w[e] } }
                    estimates[s] = w
                }
            }
            if interrupted {  // a run cut short is left out of the averages
                learnedGraphs = Array(learnedGraphs.prefix(completed))
                couplings = Array(couplings.prefix(completed))
                break
            }
            for s in strategies { for c in checkpoints.indices { sums[s]![c] += curves[s]![c] } }
            completed += 1
            progress?(completed)
        }
        let scale = 1 / Double(max(completed, 1))
        return Report(checkpoints: checkpoints, msd: sums.mapValues { $0.map { $0 * scale } },
                      learnedGraphs: learnedGraphs, couplings: couplings, runsCompleted: completed)
    }

    /// L̂ from the agents' estimates (p × K, agent-major in `w`).
    private func learn(_ w: [Double], tasks kCount: Int, features p: Int) -> TaskGraph {
        let estimates = Matrix(rows: p, columns: kCount, columnMajor: w)
        let estimate = estimator.estimate(covariance: LaplacianEstimator.covariance(of: estimates))
        return TaskGraph(weights: estimate.weights, origin: "learned in phase I (\(phaseOneIterations) iterations)")
    }

    /// Σ ‖w − w°‖² over all agents.
    private static func deviation(_ w: [Double], _ target: [Double]) -> Double {
        zip(w, target).reduce(0.0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
    }

    /// w_k ← (1/K) Σ_l w_l for every k.
    private static func average(_ w: inout [Double], tasks kCount: Int, features p: Int) {
        for j in 0..<p {
            var mean = 0.0
            for k in 0..<kCount { mean += w[k * p + j] }
            mean /= Double(kCount)
            for k in 0..<kCount { w[k * p + j] = mean }
        }
    }
}

/// One agent's rows, row-major, for the adapt step.
private struct AgentStream: Sendable {
    let rows: [Double]
    let response: [Double]
    let features: Int
    var count: Int { response.count }

    init(design: Matrix, response: [Double]) {
        features = design.columns
        rows = design.transposed.storage
        self.response = response
    }

    /// ψ = w + μ x (y − xᵀw) on the agent's slice w[offset ..< offset + p], for its row `row`.
    /// - Returns: the a-priori error y − xᵀw.
    @discardableResult
    func adapt(_ w: inout [Double], offset: Int, row: Int, step: Double) -> Double {
        let base = row * features
        var prediction = 0.0
        for j in 0..<features { prediction += rows[base + j] * w[offset + j] }
        let gain = step * (response[row] - prediction)
        for j in 0..<features { w[offset + j] += gain * rows[base + j] }
        return response[row] - prediction
    }
}

/// The combine step W ← (I − c (L ⊗ I)) Ψ of a graph, over its edges only.
private struct GraphCombine: Sendable {
    let edges: [TaskGraph.Edge]
    let scale: Double

    init(_ graph: TaskGraph, scale: Double) {
        edges = graph.edges.filter { $0.weight > 0 }
        self.scale = scale
    }

    /// w_k ← ψ_k − c Σ_l w_kl (ψ_k − ψ_l), every difference taken on the ψ before the step.
    func apply(_ w: inout [Double], features p: Int) {
        let psi = w
        for e in edges {
            let c = scale * e.weight
            for j in 0..<p {
                let d = c * (psi[e.k * p + j] - psi[e.l * p + j])
                w[e.k * p + j] -= d
                w[e.l * p + j] += d
            }
        }
    }
}
