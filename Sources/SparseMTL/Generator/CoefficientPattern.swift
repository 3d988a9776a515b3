/// Which structure the true coefficient matrix B (p × K) has in a generated instance.
public enum CoefficientPattern: String, CaseIterable, Sendable {
    /// s nonzeros per task; round(f·s) of them on a support common to all tasks, the rest drawn
    /// per task. The design SparseMTL's penalties are made for.
    case sparse
    /// Row-sparse ("group lasso"): s rows are nonzero in every task, all other rows are zero.
    case groupLasso = "group-lasso"
    /// Two-level task groups ("MeTaG"): the tasks fall into G groups; ⌈s/2⌉ rows carry one
    /// coefficient vector shared by all tasks, s − ⌈s/2⌉ further rows per group carry a vector
    /// shared within the group; each task adds small noise (sd 0.1) to its nonzeros.
    case metag
    /// Relevant rows plus outlier tasks ("rMTFL", B = P + Q with P row-sparse and Q column-sparse):
    /// s rows nonzero in every regular task; the outlier tasks' columns are dense (nonzero on every
    /// feature) and share nothing.
    case rmtfl
    /// Dense task vectors smooth over a random task graph (`GMRFTasks`): coordinate rows are draws
    /// of a Gaussian Markov random field whose precision is the graph Laplacian. The graph is the
    /// truth that `sparsemtl graph` should recover.
    case gmrf

    /// The true B for K tasks and p features, with magnitudes uniform in [0.5, 2] and random signs.
    func coefficients(tasks kCount: Int, features p: Int, sparsity s: Int, commonFraction: Double,
                      groups: Int, outlierTasks: Int, random: inout SeededRandom) -> Matrix {
        var b = Matrix(rows: p, columns: kCount)
        func draw() -> Double { random.sign() * random.uniform(0.5, 2) }
        let s = min(s, p)
        switch self {
        case .sparse:
            let common = min(s, Int((commonFraction * Double(s)).rounded()))
            let shared = random.sample(common, from: 0..<p)
            for k in 0..<kCount {
                let own = random.sample(p, from: 0..<p).filter { !shared.contains($0) }.prefix(s - common)
                for j in shared + own { b[j, k] = draw() }
            }
        case .groupLasso:
            for j in random.sample(s, from: 0..<p) { for k in 0..<kCount { b[j, k] = draw() } }
        case .metag:
            let g = max(1, min(groups, kCount))
            let sharedCount = (s + 1) / 2
            let rows = random.sample(sharedCount + g * (s - sharedCount), from: 0..<p)
            let sharedRows = Array(rows.prefix(sharedCount))
            let sharedValues = sharedRows.map { _ in draw() }
            var groupRows: [[Int]] = [], groupValues: [[Double]] = []
            for h in 0..<g {
                let start = sharedCount + h * (s - sharedCount)
                let r = Array(rows[min(start, rows.count)..<min(start + s - sharedCount, rows.count)])
                groupRows.append(r)
                groupValues.append(r.map { _ in draw() })
            }
            for k in 0..<kCount {
                let h = k * g / kCount
                for (j, v) in zip(sharedRows + groupRows[h], sharedValues + groupValues[h]) {
                    b[j, k] = v + 0.1 * random.normal()
                }
            }
        case .gmrf:
            preconditionFailure("gmrf task vectors are drawn with their graph by GMRFTasks")
        case .rmtfl:
            let outliers = Set(random.sample(min(outlierTasks, kCount), from: 0..<kCount))
            let rows = random.sample(s, from: 0..<p)
            for k in 0..<kCount {
                if outliers.contains(k) {
                    for j in 0..<p { b[j, k] = random.sign() * random.uniform(0.1, 0.5) }
                } else {
                    for j in rows { b[j, k] = draw() }
                }
            }
        }
        return b
    }
}
