/// The groups of one GenGL component with a positive weight c_g = γ_l c_t, laid out in one flat
/// vector: group g's entries occupy offsets[g] ..< offsets[g + 1]. The primal–dual method keeps
/// its dual points U_g (unit ball) this way, and the gap reads them back, without an array per group.
struct GroupLayout: Sendable {
    let groups: [(c: Double, a: Selector, b: Selector)]
    let offsets: [Int]
    let rows: Int
    let columns: Int
    /// A_g written out once, entry by entry of the flat vector: entry e is Σ_t sign[t]·w[index[t]]
    /// over t in termStart[e] ..< termStart[e + 1] (index i + k·p of W's column-major storage), and
    /// entryWeight[e] is c_g of e's group. The inner loops of the primal–dual method run on these.
    private let termStart: [Int32]
    private let termIndex: [Int32]
    private let termSign: [Double]
    private let entryWeight: [Double]

    /// Every group of component `l` of `penalty` with a positive weight, term by term, features
    /// outer, for p × K matrices.
    init(_ penalty: GenGLPenalty, component l: Int, features p: Int, tasks kCount: Int) {
        var groups: [(c: Double, a: Selector, b: Selector)] = []
        for term in penalty.components[l] {
            let c = penalty.weight(ofComponent: l) * term.weight
            guard c > 0 else { continue }
            let taskSelectors = term.tasks.selectors(kCount)
            for a in term.featureSelectors(p) { for b in taskSelectors { groups.append((c, a, b)) } }
        }
        var offsets = [0]
        offsets.reserveCapacity(groups.count + 1)
        for g in groups { offsets.append(offsets.last! + g.a.width(p) * g.b.width(kCount)) }
        self.groups = groups
        self.offsets = offsets
        rows = p
        columns = kCount
        var starts: [Int32] = [0], indices: [Int32] = [], signs: [Double] = [], weights: [Double] = []
        starts.reserveCapacity(offsets.last! + 1)
        weights.reserveCapacity(offsets.last!)
        for group in groups {
            for r in 0..<group.a.width(p) {
                for col in 0..<group.b.width(kCount) {
                    group.a.forEach(output: r) { i, s1 in
                        group.b.forEach(output: col) { k, s2 in indices.append(Int32(i + k * p)); signs.append(s1 * s2) }
                    }
                    starts.append(Int32(indices.count))
                    weights.append(group.c)
                }
            }
        }
        termStart = starts
        termIndex = indices
        termSign = signs
        entryWeight = weights
    }

    /// Length of the flat vector.
    var size: Int { offsets.last! }

    /// out[offsets[g] + e] = (A_g m)_e for every group (π_p output outer, π_K output inner).
    func apply(_ m: Matrix, into out: inout [Double]) {
        termStart.withUnsafeBufferPointer { start in
            termIndex.withUnsafeBufferPointer { index in
                termSign.withUnsafeBufferPointer { sign in
                    m.storage.withUnsafeBufferPointer { w in
                        out.withUnsafeMutableBufferPointer { out in
                            for e in 0..<(start.count - 1) {
                                var v = 0.0
                                for t in Int(start[e])..<Int(start[e + 1]) { v += sign[t] * w[Int(index[t])] }
                                out[e] = v
                            }
                        }
                    }
                }
            }
        }
    }

    /// m += scale · Σ_g c_g A_gᵀ u_g.
    func addAdjoint(_ u: [Double], scale: Double, into m: inout Matrix) {
        termStart.withUnsafeBufferPointer { start in
            termIndex.withUnsafeBufferPointer { index in
                termSign.withUnsafeBufferPointer { sign in
                    m.storage.withUnsafeMutableBufferPointer { w in
                        for e in 0..<(start.count - 1) {
                            let v = scale * entryWeight[e] * u[e]
                            guard v != 0 else { continue }
                            for t in Int(start[e])..<Int(start[e + 1]) { w[Int(index[t])] += sign[t] * v }
                        }
                    }
                }
            }
        }
    }

    /// The smoothed problem's dual points at W: u_g = c_g A_g w/max(μ, c_g‖A_g w‖), in the unit ball
    /// (Σ_g c_g A_gᵀu_g is the gradient of the smoothed penalty, `GenGLPenalty.smoothed`).
    func smoothingDuals(_ w: Matrix, mu: Double) -> [Double] {
        var u = [Double](repeating: 0, count: size)
        apply(w, into: &u)
        for (g, group) in groups.enumerated() {
            let range = offsets[g]..<offsets[g + 1]
            var squares = 0.0
            for e in range { squares += u[e] * u[e] }
            let scale = group.c / max(mu, group.c * squares.squareRoot())
            for e in range { u[e] *= scale }
        }
        return u
    }

    /// The dual step of the primal–dual method: u_g ← proj_{‖·‖≤1}(u_g + σ c_g A_g m) for every
    /// group (`scratch`: a buffer of `size` numbers, reused across calls).
    func ascend(_ u: inout [Double], along m: Matrix, step sigma: Double, scratch: inout [Double]) {
        apply(m, into: &scratch)
        for (g, group) in groups.enumerated() {
            let range = offsets[g]..<offsets[g + 1]
            var squares = 0.0
            for e in range { u[e] += sigma * group.c * scratch[e]; squares += u[e] * u[e] }
            if squares > 1 { let scale = 1 / squares.squareRoot(); for e in range { u[e] *= scale } }
        }
    }

    /// max_g ‖c_g u_g + c_g² A_g y‖/c_g: how far the dual points c_g u_g, plus each group's share of
    /// the correction y, leave the balls ‖U_g‖ ≤ c_g (`GenGLDualPoint`).
    func dualRatio(_ u: [Double], correction y: Matrix) -> Double {
        var shares = [Double](repeating: 0, count: size)
        apply(y, into: &shares)
        var largest = 0.0
        for (g, group) in groups.enumerated() {
            var squares = 0.0
            for e in offsets[g]..<offsets[g + 1] { let v = group.c * u[e] + group.c * group.c * shares[e]; squares += v * v }
            largest = max(largest, squares.squareRoot() / group.c)
        }
        return largest
    }
}
