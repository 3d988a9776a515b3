/// A point of the dual of the inner problem (DESIGN.md section 2): u_k ∈ R^{n_k} for each task and,
/// when λ > 0, a p × K matrix B̂ standing for Γ = 2λB̂F (L = FFᵀ), so that ΓFᵀ = 2λB̂L and
/// ‖Γ‖²_F/(4λ) = λ tr(B̂LB̂ᵀ). For EVERY such point and every Z ∈ [0,1]^{p×K},
///
///     g(Z) ≥ h(Z) = Σ_k [u_kᵀỹ_k − (n_k/4)‖u_k‖²] − λ tr(B̂LB̂ᵀ) − Σ_jk z_jk φ(x̃_jkᵀu_k − 2λ(B̂L)_jk),
///
/// with φ(v) = v²/(4α), or, with a box |β| ≤ M, φ(v) = v²/(4α) for |v| ≤ 2αM and M|v| − αM²
/// beyond (M|v| when α = 0). At the optimum B* of a support, u_k = 2r_k/n_k and B̂ = B* make h
/// tight. The point is what a certificate stores: anyone can recompute the cut from it.
///
/// **Shifted cuts** (λ = 0, a task with a perspective shift d_k > 0, `PerspectiveShift`): with
/// G_k = X̃_kᵀX̃_k/n_k and A_k = G_k − d_k·I positive semidefinite, the point is an anchor β̂_k ∈ R^p
/// instead of u_k. Since βᵀA_kβ ≥ 2β̂ᵀA_kβ − β̂ᵀA_kβ̂ for every β,
///
///     g_k(z) ≥ ‖ỹ_k‖²/n_k − β̂ᵀA_kβ̂ − Σ_j z_j φ_{α+d_k}(2(X̃_kᵀỹ_k/n_k − A_kβ̂)_j),
///
/// which with u = 2(ỹ_k − X̃_kβ̂)/n_k reads u_kᵀỹ_k − (n_k/4)‖u_k‖² + d_k‖β̂‖² − Σ_j z_j φ_{α+d_k}(x̃_jᵀu_k + 2d_kβ̂_j):
/// the perspective then acts on (α + d_k)β_j² instead of αβ_j², a stronger relaxation where
/// λ_min(G_k) > 0 (n_k > p), and the cut is still tight at the optimum of a support (β̂ = β*).
/// u_k is always recomputed from β̂ (a stored u could not be trusted to match it).
///
/// **Restricted shifted cuts** (a node's fixings, `Restriction`): where a node of the tree has fixed
/// z_j = 0 outside a feature set F, the principal submatrix G_FF has λ_min(G_FF) ≥ λ_min(G) (eigenvalue
/// interlacing), positive once |F| < n_k even when n_k ≤ p. With A_F = G_FF − d_F·I ⪰ 0 and an anchor
/// zero outside F, the shifted cut above holds with d_F for every binary z with support inside F
/// (then β − β̂ lives on F). It is lifted to all binary z by giving each j ∉ F the coefficient
/// max(constant, 0): any z with such a j switched on makes the right-hand side ≤ 0 ≤ g_k(z). The
/// lifted cut is global (pool, certificate), and as strong as the local one inside the node's subtree.
public struct DualPoint: Equatable, Sendable {
    /// A shifted cut's feature set F and shift d_F (`DualPoint`'s restricted cuts): valid while
    /// G_FF − d_F·I ⪰ 0, which `verify` checks for every such cut.
    public struct Restriction: Hashable, Sendable {
        /// F, ascending feature indices.
        public var features: [Int]
        /// d_F, in the cuts' units.
        public var shift: Double

        public init(features: [Int], shift: Double) {
            self.features = features
            self.shift = shift
        }
    }

    /// The tasks the point covers: one task (a per-task cut, λ = 0) or all tasks.
    public var tasks: [Int]
    /// u_k for each task in `tasks` (for an anchored point, 2(ỹ_k − X̃_kβ̂_k)/n_k, recomputed from it).
    public var u: [[Double]]
    /// B̂ (p × K) when λ > 0, else nil.
    public var bHat: Matrix?
    /// β̂_k (p) for each task in `tasks`: a shifted cut's anchor (see the type's doc), else nil.
    public var anchor: [[Double]]?
    /// For a single-task anchored point: the feature set and shift of a restricted cut, else nil.
    public var restriction: Restriction?

    public init(tasks: [Int], u: [[Double]], bHat: Matrix?, anchor: [[Double]]? = nil, restriction: Restriction? = nil) {
        self.tasks = tasks
        self.u = u
        self.bHat = bHat
        self.anchor = anchor
        self.restriction = restriction
    }

    /// The same single-task point for task `k` (the task decomposition's cuts, found on task k
    /// alone as task 0, go back to the joint problem as task k, and the reverse for `verify`).
    public func asTask(_ k: Int) -> DualPoint {
        precondition(tasks.count == 1 && bHat == nil, "asTask: a single-task point")
        return DualPoint(tasks: [k], u: u, bHat: nil, anchor: anchor, restriction: restriction)
    }
}

/// A cut η ≥ constant − Σ_{(j,k)} coefficient_jk·z_jk, on η_k (one task) or on the aggregated η.
public struct Cut: Equatable, Sendable {
    /// The task whose η_k the cut bounds, or nil for the aggregated η (λ > 0).
    public var task: Int?
    /// The constant term of h.
    public var constant: Double
    /// φ-values a_jk ≥ 0, as a p × K matrix (columns of other tasks zero for a per-task cut).
    public var coefficients: Matrix
    /// The dual point it came from.
    public var dual: DualPoint

    /// h at a (possibly fractional) Z given as a p × K matrix.
    public func value(at z: Matrix) -> Double {
        guard let k = task else { return constant - Vector.dot(coefficients.storage, z.storage) }
        // A per-task cut has coefficients in column k only.
        let p = coefficients.rows
        return constant - Vector.dot(coefficients.storage, k * p, z.storage, k * p, count: p)
    }
}

/// Builds cuts from dual points on an instance (model scale, centred data).
public struct CutBuilder {
    public let instance: Instance
    let laplacian: Matrix
    /// |X̃_k| entrywise, built on first use by `termSizes`.
    private let absoluteDesigns = AbsoluteDesigns()

    /// Holds |X̃_k| once computed (a class, so `CutBuilder` stays a value).
    private final class AbsoluteDesigns: @unchecked Sendable {
        var designs: [Matrix]? = nil
    }

    public init(_ instance: Instance) {
        self.instance = instance
        laplacian = instance.graph.laplacian
    }

    /// φ(v) of DESIGN.md section 2 for the instance's α (plus `shift`: φ_{α+d} of a shifted cut) and
    /// its bound box (the smaller of M and the implied box M̂, `Instance.boundBox`).
    /// - Precondition: α + shift > 0 or a box is set (otherwise the bound is −∞ for any v ≠ 0).
    public func phi(_ v: Double, shift: Double = 0) -> Double {
        let alpha = instance.penalty.ridge + shift
        guard let m = instance.boundBox else { return v * v / (4 * alpha) }
        if alpha > 0 && abs(v) <= 2 * alpha * m { return v * v / (4 * alpha) }
        return m * abs(v) - alpha * m * m
    }

    /// d_k of task k's shifted cuts (`PerspectiveShift`; 0 without).
    public func shift(_ k: Int) -> Double {
        instance.penalty.bbar == 0 ? instance.perspectiveShifts?[k] ?? 0 : 0
    }

    /// The cut of a dual point: per task when the point covers one task, aggregated otherwise.
    public func cut(_ dual: DualPoint) -> Cut {
        let p = instance.featureCount, kCount = instance.taskCount
        let lambda = instance.penalty.bbar
        var constant = 0.0
        var a = Matrix(rows: p, columns: kCount)
        var w: Matrix? = nil
        if let bHat = dual.bHat, lambda > 0 {
            let bl = BLAS.multiply(bHat, laplacian)
            var trace = 0.0
            for k in 0..<kCount { for j in 0..<p { trace += bl[j, k] * bHat[j, k] } }
            constant -= lambda * trace
            var scaled = bl
            Vector.scale(2 * lambda, &scaled.storage)
            w = scaled
        }
        let outside = dual.restriction.map { Self.outside($0, features: p) } ?? []
        for (i, k) in dual.tasks.enumerated() {
            let (anchor, u) = point(dual, i, task: k, outside: outside)
            let d = anchor == nil ? 0 : dual.restriction?.shift ?? shift(k)
            let n = Double(instance.designs[k].rows)
            constant += Vector.dot(u, instance.responses[k]) - n / 4 * Vector.dot(u, u)
            let xu = BLAS.multiply(instance.designs[k], u, .transpose)
            if let anchor, d > 0 {
                constant += d * Vector.dot(anchor, anchor)
                for j in 0..<p { a[j, k] = phi(xu[j] + 2 * d * anchor[j], shift: d) }
            } else {
                for j in 0..<p { a[j, k] = phi(xu[j] - (w?[j, k] ?? 0)) }
            }
            for j in outside { a[j, k] = max(constant, 0) }
        }
        return Cut(task: dual.tasks.count == 1 && lambda == 0 ? dual.tasks[0] : nil, constant: constant,
                   coefficients: a, dual: dual)
    }

    /// The sizes of the terms each number of `cut(dual)` is summed from, which bound its rounding
    /// error: for the constant Σ_k [|u_k|ᵀ|ỹ_k| + (n_k/4)‖u_k‖²] + λ|B̂|·|L||B̂|, for a_jk the φ of
    /// |x̃_jk|ᵀ|u_k| + 2λ(|B̂||L|)_jk. `CertificateReader` compares stored cuts with re-derived ones
    /// relative to these, not to the problem's scale (which let edits of 10⁻⁶ pass on near-perfect fits).
    public func termSizes(_ dual: DualPoint) -> (constant: Double, coefficients: Matrix) {
        let p = instance.featureCount, kCount = instance.taskCount
        let lambda = instance.penalty.bbar
        var constant = 0.0
        var a = Matrix(rows: p, columns: kCount)
        var w = Matrix(rows: p, columns: kCount)
        if let bHat = dual.bHat, lambda > 0 {
            var absolute = bHat, absL = laplacian
            for i in absolute.storage.indices { absolute.storage[i] = abs(absolute.storage[i]) }
            for i in absL.storage.indices { absL.storage[i] = abs(absL.storage[i]) }
            let bl = BLAS.multiply(absolute, absL)
            constant += lambda * Vector.dot(bl.storage, absolute.storage)
            w = bl
            Vector.scale(2 * lambda, &w.storage)
        }
        let outside = dual.restriction.map { Self.outside($0, features: p) } ?? []
        for (i, k) in dual.tasks.enumerated() {
            let stated = point(dual, i, task: k, outside: outside)
            let anchor = stated.anchor?.map(abs), u = stated.u.map(abs), y = instance.responses[k].map(abs)
            let d = anchor == nil ? 0 : dual.restriction?.shift ?? shift(k)
            constant += Vector.dot(u, y) + Double(instance.designs[k].rows) / 4 * Vector.dot(u, u)
            if let anchor { constant += d * Vector.dot(anchor, anchor) }
            if absoluteDesigns.designs == nil {
                absoluteDesigns.designs = instance.designs.map { x in
                    var a = x
                    for t in a.storage.indices { a.storage[t] = abs(a.storage[t]) }
                    return a
                }
            }
            let xu = BLAS.multiply(absoluteDesigns.designs![k], u, .transpose)
            for j in 0..<p { a[j, k] = phi(xu[j] + w[j, k] + 2 * d * (anchor?[j] ?? 0), shift: d) }
            for j in outside { a[j, k] = constant }  // a restricted cut's lifted coefficient is its constant
        }
        return (constant, a)
    }

    /// The tight dual point at coefficients B (the inner optimum for some Z): u_k = 2r_k/n_k, B̂ = B;
    /// anchored at β̂_k = β_k where task k has a perspective shift.
    public func dualPoint(at b: Matrix, tasks: [Int]) -> DualPoint {
        let shifted = tasks.contains { shift($0) > 0 }
        return DualPoint(tasks: tasks, u: tasks.map { tightU(task: $0, beta: b.column($0)) }, bHat: instance.penalty.bbar > 0 ? b : nil,
                         anchor: shifted ? tasks.map { b.column($0) } : nil)
    }

    /// The point's i-th task (task k): its anchor, set to zero on `outside` (a restriction's
    /// complement, where the cut's validity needs it zero, whatever was stored), and u_k, stored or
    /// recomputed from the anchor (`DualPoint`).
    func point(_ dual: DualPoint, _ i: Int, task k: Int, outside: [Int]) -> (anchor: [Double]?, u: [Double]) {
        guard var anchor = dual.anchor?[i] else { return (nil, dual.u[i]) }
        for j in outside { anchor[j] = 0 }
        return (anchor, tightU(task: k, beta: anchor))
    }

    /// The features outside a restriction's F.
    static func outside(_ restriction: DualPoint.Restriction, features p: Int) -> [Int] {
        var inside = [Bool](repeating: false, count: p)
        for j in restriction.features where (0..<p).contains(j) { inside[j] = true }
        return (0..<p).filter { !inside[$0] }
    }

    /// u_k = 2r_k/n_k at task k's coefficients β_k.
    public func tightU(task k: Int, beta: [Double]) -> [Double] {
        var r = BLAS.residual(instance.responses[k], instance.designs[k], beta)
        Vector.scale(2 / Double(instance.designs[k].rows), &r)
        return r
    }
}
