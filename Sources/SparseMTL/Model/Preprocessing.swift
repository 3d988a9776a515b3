/// Per-task centring and optional standardisation (DESIGN.md section 1: intercepts are
/// unpenalised, so X_k and y_k are centred per task before solving).
///
/// The model is fitted on X̃_k = (X_k − 1 x̄_kᵀ) D⁻¹ and ỹ_k = y_k − ȳ_k, where D = diag(d_j).
/// Without standardisation d_j = 1. With it, d_j is feature j's pooled within-task standard
/// deviation, d_j² = Σ_k ‖x_jk − x̄_jk‖² / Σ_k n_k — one scale per feature shared by all tasks, so
/// the Bbar term still compares like with like. A feature constant in every task keeps d_j = 1.
/// A feature constant within a task becomes an exact zero column of X̃_k.
/// Coefficients map back as β_jk = β̃_jk / d_j, and the intercept is b0_k = ȳ_k − x̄_kᵀβ_k.
public struct Preprocessing: Equatable, Sendable {
    /// x̄_k for every task (K arrays of p means).
    public var featureMeans: [[Double]]
    /// ȳ_k for every task.
    public var responseMeans: [Double]
    /// d_j for every feature (all 1 unless standardised).
    public var featureScales: [Double]
    /// Whether d was estimated (`--standardize`).
    public var standardized: Bool

    /// Computes the means (and scales when `standardize`) of `dataset` and returns the centred
    /// (and scaled) designs and responses the model is fitted on. Tasks that share one design in
    /// memory (a shared-design file: the same rows for every task) are centred and scaled once and
    /// keep sharing it, so K tasks cost one copy of X, not K.
    public static func fit(_ dataset: Dataset, standardize: Bool) -> (Preprocessing, designs: [Matrix], responses: [[Double]]) {
        let p = dataset.featureCount
        var designs = dataset.designs
        var responses = dataset.responses
        var featureMeans: [[Double]] = []
        var responseMeans: [Double] = []
        var sumSquares = [Double](repeating: 0, count: p)
        // source[k]: the first task whose design is the very same storage as task k's.
        var source = Array(0..<dataset.taskCount)
        for k in 1..<max(dataset.taskCount, 1) where sameStorage(dataset.designs[k], dataset.designs[k - 1]) { source[k] = source[k - 1] }
        var taskSumSquares: [[Double]] = []
        for k in 0..<dataset.taskCount {
            let n = designs[k].rows
            let yMean = responses[k].reduce(0, +) / Double(n)
            for i in 0..<n { responses[k][i] -= yMean }
            responseMeans.append(yMean)
            if source[k] != k {
                designs[k] = designs[source[k]]
                for j in 0..<p { sumSquares[j] += taskSumSquares[source[k]][j] }
                taskSumSquares.append(taskSumSquares[source[k]])
                featureMeans.append(featureMeans[source[k]])
                continue
            }
            var means = [Double](repeating: 0, count: p)
            var squares = [Double](repeating: 0, count: p)
            designs[k].storage.withUnsafeMutableBufferPointer { x in
                for j in 0..<p {
                    let first = x[j * n]
                    var mean = 0.0, constant = true
                    for i in 0..<n { mean += x[i + j * n]; constant = constant && x[i + j * n] == first }
                    // A constant column centres to exact zeros (its floating-point mean may miss the value).
                    mean = constant ? first : mean / Double(n)
                    var ss = 0.0
                    for i in 0..<n { x[i + j * n] -= mean; ss += x[i + j * n] * x[i + j * n] }
                    means[j] = mean
                    sumSquares[j] += ss
                    squares[j] = ss
                }
            }
            taskSumSquares.append(squares)
            featureMeans.append(means)
        }
        var scales = [Double](repeating: 1, count: p)
        if standardize {
            let total = Double(dataset.sampleCounts.reduce(0, +))
            for j in 0..<p {
                let sd = (sumSquares[j] / total).squareRoot()
                if sd > 0 { scales[j] = sd }
            }
            for k in 0..<designs.count {
                if source[k] != k { designs[k] = designs[source[k]]; continue }
                let n = designs[k].rows
                designs[k].storage.withUnsafeMutableBufferPointer { x in
                    for j in 0..<p where scales[j] != 1 { for i in 0..<n { x[i + j * n] /= scales[j] } }
                }
            }
        }
        let pre = Preprocessing(featureMeans: featureMeans, responseMeans: responseMeans, featureScales: scales, standardized: standardize)
        return (pre, designs, responses)
    }

    /// Whether two matrices are the same storage in memory (not merely equal values).
    static func sameStorage(_ a: Matrix, _ b: Matrix) -> Bool {
        a.rows == b.rows && a.columns == b.columns
            && a.storage.withUnsafeBufferPointer { x in b.storage.withUnsafeBufferPointer { y in x.baseAddress == y.baseAddress } }
    }

    /// β̃ = D·β: coefficients in original units to the model's (standardised) scale.
    public func toModelScale(_ original: Matrix) -> Matrix { rescale(original) { $0 * $1 } }

    /// β = D⁻¹·β̃: coefficients on the model's scale back to original units.
    public func toOriginalUnits(_ model: Matrix) -> Matrix { rescale(model) { $0 / $1 } }

    private func rescale(_ b: Matrix, _ op: (Double, Double) -> Double) -> Matrix {
        var out = b
        for k in 0..<b.columns { for j in 0..<b.rows { out[j, k] = op(b[j, k], featureScales[j]) } }
        return out
    }

    /// b0_k = ȳ_k − x̄_kᵀβ_k for coefficients β in original units.
    public func intercepts(originalCoefficients b: Matrix) -> [Double] {
        (0..<b.columns).map { k in responseMeans[k] - Vector.dot(featureMeans[k], b.column(k)) }
    }
}
