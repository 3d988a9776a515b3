/// The groups of one GenGL component with a positive weight c_g = γ_l c_t, laid out in one flat
/// vector: group g's entries occupy offsets[g] ..< offsets[g + 1]. The primal–dual method keeps
/// its dual points U_g (unit ball) this way, and the gap reads them back, without an array per group.
struct GroupLayout: Sendable {
    /// c_g of every group.
    let weights: [Double]
    let offsets: [Int]
    /// A_g written out once, entry by entry of the flat vector: entry e is Σ_t sign[t]·w[index[t]]
    /// over t in termStart[e] ..< termStart[e + 1] (index i + k·p of W's column-major storage).
    private let termStart: [Int]
    private let termIndex: [Int]
    private let termSign: [Double]

    /// Every group of component `l` of `penalty` with a positive weight, term by term, features
    /// outer, for p × K matrices.
    init(_ penalty: GenGLPenalty, component l: Int, features p: Int, tasks kCount: Int) {
        var weights: [Double] = [], offsets = [0]
        var starts = [0], indices: [Int] = [], signs: [Double] = []
        for term in penalty.components[l] {
            let c = penalty.weight(ofComponent: l) * term.weight
            guard c > 0 else { continue }
            let taskSelectors = term.tasks.selectors(kCount)
            for a in term.featureSelectors(p) {
                for b in taskSelectors {
                    // Group (a, b): its entries (r, col), π_p output outer, π_K output inner.
                    for r in 0..<a.width(p) {
                        for col in 0..<b.width(kCount) {
                            a.forEach(output: r) { i, s1 in b.forEach(output: col) { k, s2 in indices.append(i + k * p); signs.append(s1 * s2) } }
                            starts.append(indices.count)
                        }
                    }
                    weights.append(c)
                    offsets.append(starts.count - 1)
                }
            }
        }
        self.weights = weights
        self.offsets = offsets
        termStart = starts
        termIndex = indices
        termSign = signs
    }

    /// Length of the flat vector.
    var size: Int { offsets.last! }

    /// out[offsets[g] + e] = (A_g m)_e for every group.
    func apply(_ m: Matrix, into out: inout [Double]) {
        out.withUnsafeMutableBufferPointer { out in
            for e in 0..<size {
                var v = 0.0
                for t in termStart[e]..<termStart[e + 1] { v += termSign[t] * m.storage[termIndex[t]] }
                out[e] = v
            }
        }
    }

    /// m += scale · Σ_g c_g A_gᵀ u_g.
    func addAdjoint(_ u: [Double], scale: Double, into m: inout Matrix) {
        // On the matrix's buffer: a write through the array checks its uniqueness every time.
        m.storage.withUnsafeMutableBufferPointer { w in
            for g in weights.indices {
                for e in offsets[g]..<offsets[g + 1] {
                    let v = scale * weights[g] * u[e]
                    for t in termStart[e]..<termStart[e + 1] { w[termIndex[t]] += termSign[t] * v }
                }
            }
        }
    }

    /// The smoothed problem's dual points at W: u_g = c_g A_g w/max(μ, c_g‖A_g w‖), in the unit ball
    /// (Σ_g c_g A_gᵀu_g is the gradient of the smoothed penalty, `GenGLPenalty.smoothed`).
    func smoothingDuals(_ w: Matrix, mu: Double) -> [Double] {
        var u = [Double](repeating: 0, count: size)
        apply(w, into: &u)
        for (g, c) in weights.enumerated() {
            let range = offsets[g]..<offsets[g + 1]
            var squares = 0.0
            for e in range { squares += u[e] * u[e] }
            let scale = c / max(mu, c * squares.squareRoot())
            for e in range { u[e] *= scale }
        }
        return u
    }

    /// The dual step of the primal–dual method: u_g ← proj_{‖·‖≤1}(u_g + σ c_g A_g m) for every
    /// group (`scratch`: a buffer of `size` numbers, reused across calls).
    func ascend(_ u: inout [Double], along m: Matrix, step sigma: Double, scratch: inout [Double]) {
        apply(m, into: &scratch)
        for (g, c) in weights.enumerated() {
            let range = offsets[g]..<offsets[g + 1]
            var squares = 0.0
            for e in range { u[e] += sigma * c * scratch[e]; squares += u[e] * u[e] }
            if squares > 1 { let scale = 1 / squares.squareRoot(); for e in range { u[e] *= scale } }
        }
    }

    /// max_g ‖c_g u_g + c_g² A_g y‖/c_g: how far the dual points c_g u_g, plus each group's share of
    /// the correction y, leave the balls ‖U_g‖ ≤ c_g (`GenGLDualPoint`).
    func dualRatio(_ u: [Double], correction y: Matrix) -> Double {
        var shares = [Double](repeating: 0, count: size)
        apply(y, into: &shares)
        var largest = 0.0
        for (g, c) in weights.enumerated() {
            var squares = 0.0
            for e in offsets[g]..<offsets[g + 1] { let v = c * u[e] + c * c * shares[e]; squares += v * v }
            largest = max(largest, squares.squareRoot() / c)
        }
        return largest
    }
}
