/// Task vectors that are smooth over a task graph (the experiment of "Multitask Learning with
/// Learned Task Relationships"): a random graph on K tasks, each pair linked with probability q
/// (plus a random spanning tree, so the graph is connected) and edge weights drawn from {1, 5};
/// every coordinate j of the task vectors is one draw of the K-vector w_j ~ N(0, (L + 11ᵀ/K)⁻¹),
/// a Gaussian Markov random field whose precision is the graph Laplacian (plus the mean direction),
/// so tasks joined by heavy edges have similar coefficients.
public enum GMRFTasks {
    /// A connected random graph over `taskCount` tasks with weights in {1, 5}.
    public static func randomGraph(taskCount: Int, edgeProbability q: Double, random: inout SeededRandom) -> TaskGraph {
        var weights = Matrix(rows: taskCount, columns: taskCount)
        func weight() -> Double { random.next() & 1 == 0 ? 1 : 5 }
        // A random spanning tree: task order[i] joins a random earlier task.
        let order = random.sample(taskCount, from: 0..<taskCount)
        for i in 1..<max(taskCount, 1) {
            let (a, b) = (order[i], order[Int(random.next() % UInt64(i))])
            let w = weight()
            weights[a, b] = w; weights[b, a] = w
        }
        for k in 0..<taskCount {
            for l in (k + 1)..<taskCount where weights[k, l] == 0 && random.uniform() < q {
                let w = weight()
                weights[k, l] = w; weights[l, k] = w
            }
        }
        return TaskGraph(weights: weights, origin: "random graph, q = \(q), weights in {1, 5}")
    }

    /// p coordinates of task vectors (p × K), row j ~ N(0, (L + 11ᵀ/K)⁻¹) for the graph's L.
    public static func taskVectors(_ graph: TaskGraph, features p: Int, random: inout SeededRandom) -> Matrix {
        let taskCount = graph.taskCount
        var precision = graph.laplacian
        for k in 0..<taskCount { for l in 0..<taskCount { precision[k, l] += 1 / Double(taskCount) } }
        // Q = R·Rᵀ (R lower); v = R⁻ᵀ·ζ with ζ ~ N(0, I) has covariance Q⁻¹.
        guard let chol = try? Cholesky(precision) else { preconditionFailure("L + 11ᵀ/K is positive definite") }
        let r = chol.factor
        var w = Matrix(rows: p, columns: taskCount)
        for j in 0..<p {
            var v = (0..<taskCount).map { _ in random.normal() }
            // Back substitution with Rᵀ (upper triangular): Rᵀ v = ζ.
            for k in stride(from: taskCount - 1, through: 0, by: -1) {
                var sum = v[k]
                for l in (k + 1)..<taskCount { sum -= r[l, k] * v[l] }
                v[k] = sum / r[k, k]
            }
            for k in 0..<taskCount { w[j, k] = v[k] }
        }
        return w
    }
}
