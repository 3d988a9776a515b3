import Foundation

/// The Generalized Group Lasso penalty on the p × K weight matrix (DESIGN.md section 6; seed:
/// "Structured Sparse Multi-Task Learning with Generalized Group Lasso"). W is a sum of h
/// components, W = Σ_l W_l, and
///
///     Ω(W_1, …, W_h) = Σ_l γ_l Σ_{t ∈ terms of l} c_t Σ_{π_p ∈ features(t)} Σ_{π_K ∈ tasks(t)} ‖π_pᵀ W_l π_K‖_F,
///
/// with γ_l = γ/φ^(l−1) (l = 1…h), an operator set per dimension (`OperatorSet`: P_C, P_F, P_F²)
/// and a weight c_t per term; ‖π_pᵀ W π_K‖_F is ‖(π_K ⊗ π_p)ᵀ vec(W)‖₂. Every (π_p, π_K) is one
/// group g with linear map A_g and coefficient γ_l c_t.
///
/// Nesterov smoothing replaces every group norm ‖u‖ (u = γ_l c_t A_g w) by
/// max_{‖v‖≤1} vᵀu − (μ/2)‖v‖², which is ‖u‖²/(2μ) when ‖u‖ ≤ μ and ‖u‖ − μ/2 otherwise; it is
/// within μ/2 of ‖u‖ (so Ω − G·μ/2 ≤ Ω_μ ≤ Ω for G groups), and its gradient
/// γ_l c_t A_gᵀ v* (v* = u/max(μ, ‖u‖)) is Lipschitz with constant ‖D_l‖²/μ, where D_l stacks
/// every γ_l c_t A_g of component l.
public struct GenGLPenalty: Sendable, Equatable {
    /// One operator pair with its weight c_t. In the tensor form (`InteractionFeatures`: the
    /// features are the q × q cells of a feature-pair grid) a term has an operator set per feature
    /// mode, π_p = π_1 ⊗ π_2 with `features` on the grid's rows and `secondMode` on its columns,
    /// each P_C or P_F.
    public struct Term: Sendable, Equatable {
        public var tasks: OperatorSet
        public var features: OperatorSet
        /// The tensor form's operator set on the second feature mode; nil: the matrix form.
        public var secondMode: OperatorSet?
        public var weight: Double
        public init(tasks: OperatorSet, features: OperatorSet, secondMode: OperatorSet? = nil, weight: Double = 1) {
            precondition(secondMode == nil || (features != .pairs && secondMode != .pairs), "tensor-form modes take C or F")
            self.tasks = tasks
            self.features = features
            self.secondMode = secondMode
            self.weight = weight
        }

        /// The feature operators π_p over p features (p = q² in the tensor form).
        func featureSelectors(_ p: Int) -> [Selector] {
            guard let secondMode else { return features.selectors(p) }
            let q = InteractionFeatures.modeSize(ofGrid: p)
            let rows: [Int?] = features == .each ? Array(0..<q) : [nil]
            let columns: [Int?] = secondMode == .each ? Array(0..<q) : [nil]
            return rows.flatMap { a in columns.map { Selector.cells(row: a, column: $0, size: q) } }
        }

        /// The eigenvalue of Σ_π ππᵀ over the features on the ones or off them (`OperatorSet`): in
        /// the tensor form, P_C and P_F in each mode make it the identity.
        func featureGramEigenvalue(onOnes ones: Bool, size p: Int) -> Double {
            secondMode == nil ? features.gramEigenvalue(onOnes: ones, size: p) : 1
        }

        /// Whether the groups take pair differences (then they overlap and have no exact prox here).
        var hasPairs: Bool { tasks == .pairs || features == .pairs }

        /// `TASKS:FEATURES@WEIGHT`, or `TASKS:F1xF2@WEIGHT` in the tensor form (`--operators`).
        public var description: String {
            "\(tasks.rawValue):\(features.rawValue)\(secondMode.map { "x\($0.rawValue)" } ?? "")@\(weight)"
        }
    }

    /// Whether the penalty is of the tensor form (every term has two feature modes).
    public var isTensor: Bool { components.allSatisfy { $0.allSatisfy { $0.secondMode != nil } } && !components.isEmpty }

    /// The terms of every component: `components[l]` for W_{l+1}.
    public var components: [[Term]]
    /// γ.
    public var gamma: Double
    /// φ: the ratio between the weights of consecutive components.
    public var phi: Double

    public init(components: [[Term]], gamma: Double, phi: Double = 1) {
        self.components = components
        self.gamma = gamma
        self.phi = phi
    }

    /// γ_l = γ/φ^(l−1) for the component at 0-based index `l`.
    public func weight(ofComponent l: Int) -> Double { gamma / pow(phi, Double(l)) }

    /// Ω_l(W_l): the unsmoothed penalty of component `l` (0-based).
    public func value(_ w: Matrix, component l: Int) -> Double {
        var total = 0.0
        forEachGroup(w, component: l) { norm, _, _, _ in total += norm }
        return total
    }

    /// Ω_{l,μ}(W_l), the smoothed penalty of component `l`; its gradient is added into `gradient`.
    public func smoothed(_ w: Matrix, component l: Int, mu: Double, gradient: inout Matrix) -> Double {
        var total = 0.0
        forEachGroup(w, component: l) { norm, coefficient, a, b in
            // v* = u / max(μ, ‖u‖); gradient contribution coefficient · A_gᵀ v*.
            total += norm <= mu ? norm * norm / (2 * mu) : norm - mu / 2
            let scale = coefficient * coefficient / max(mu, norm)
            for r in 0..<a.width(w.rows) {
                for c in 0..<b.width(w.columns) {
                    let v = scale * Self.entry(w, a, r, b, c)
                    a.forEach(output: r) { i, s1 in b.forEach(output: c) { k, s2 in gradient[i, k] += s1 * s2 * v } }
                }
            }
        }
        return total
    }

    /// The number of groups G of all components for p features and K tasks (Ω − Ω_μ ≤ G·μ/2).
    public func groupCount(features p: Int, tasks kCount: Int) -> Int {
        components.reduce(0) { sum, terms in
            sum + terms.reduce(0) { $0 + $1.featureSelectors(p).count * $1.tasks.selectors(kCount).count }
        }
    }

    /// ‖D_l‖² = λ_max(Σ_g (γ_l c_t)² A_gᵀA_g) for component `l`, in closed form: for one term,
    /// Σ_g A_gᵀA_g = S_tasks ⊗ S_features with S = Σ_π ππᵀ (I for P_C and P_F, nI − 11ᵀ for P_F²);
    /// all these share the eigenvectors "all ones" and "orthogonal to the ones" in each dimension,
    /// so the largest eigenvalue of their sum is the largest over the four combinations.
    public func smoothingLipschitz(component l: Int, features p: Int, tasks kCount: Int) -> Double {
        let classes = { (n: Int) in n >= 2 ? [true, false] : [true] }
        var largest = 0.0
        for taskOnes in classes(kCount) {
            for featureOnes in classes(p) {
                let sum = components[l].reduce(0.0) { total, t in
                    total + t.weight * t.weight * t.tasks.gramEigenvalue(onOnes: taskOnes, size: kCount)
                        * t.featureGramEigenvalue(onOnes: featureOnes, size: p)
                }
                largest = max(largest, sum)
            }
        }
        let g = weight(ofComponent: l)
        return g * g * largest
    }

    /// Whether every component's penalty has an exact proximal operator here: at most one term with
    /// a positive weight, whose groups partition the entries (operator sets C and F only: the whole
    /// matrix, rows, columns or entries). Lasso, group lasso and rmtfl are; pair differences are not.
    public var isSeparable: Bool {
        components.indices.allSatisfy { l in
            let active = components[l].filter { weight(ofComponent: l) * $0.weight > 0 }
            return active.count <= 1 && active.allSatisfy { !$0.hasPairs }
        }
    }

    /// W_l ← prox of τ·Ω_l at W_l, for a separable penalty (`isSeparable`): every group is shrunk
    /// towards 0 by τγ_l c_t in norm (block soft-thresholding), which is exact since the groups
    /// partition the entries.
    func applyProximal(_ w: inout Matrix, component l: Int, step: Double) {
        let (p, kCount) = (w.rows, w.columns)
        w.storage.withUnsafeMutableBufferPointer { entries in
            for term in components[l] {
                let c = weight(ofComponent: l) * term.weight
                guard c > 0 else { continue }
                precondition(!term.hasPairs, "applyProximal needs a separable penalty")
                let taskSelectors = term.tasks.selectors(kCount)
                for a in term.featureSelectors(p) {
                    for b in taskSelectors {
                        // The group's entries (i, k) are single entries here (no differences): sign +1.
                        var squares = 0.0
                        Self.forEachEntry(a, b, features: p, tasks: kCount) { squares += entries[$0] * entries[$0] }
                        let norm = squares.squareRoot()
                        let shrink = norm > step * c ? 1 - step * c / norm : 0
                        if shrink != 1 { Self.forEachEntry(a, b, features: p, tasks: kCount) { entries[$0] *= shrink } }
                    }
                }
            }
        }
    }

    /// Calls `body(i + k·p)` for every entry (i, k) a group of selectors without differences covers.
    @inline(__always)
    private static func forEachEntry(_ a: Selector, _ b: Selector, features p: Int, tasks kCount: Int, _ body: (Int) -> Void) {
        for c in 0..<b.width(kCount) {
            b.forEach(output: c) { k, _ in
                for r in 0..<a.width(p) { a.forEach(output: r) { i, _ in body(i + k * p) } }
            }
        }
    }

    /// One of the four subspaces of p × K matrices on which every term's Σ_g A_gᵀA_g is a multiple
    /// of the identity: constant across tasks or orthogonal to that (`tasksOnes`), and the same
    /// for features.
    public struct Subspace: Hashable, Sendable {
        public var tasksOnes: Bool
        public var featuresOnes: Bool

        /// The four, those that exist for K tasks and p features (the orthogonal part needs size ≥ 2).
        static func all(features p: Int, tasks kCount: Int) -> [Subspace] {
            (kCount >= 2 ? [true, false] : [true]).flatMap { t in (p >= 2 ? [true, false] : [true]).map { Subspace(tasksOnes: t, featuresOnes: $0) } }
        }
    }

    /// The eigenvalue of Σ_t w_t² S_tasks ⊗ S_features (the terms of component `l` with a positive
    /// weight γ_l c_t, weighted by its square) on `subspace`; 0 where component l does not penalise.
    func weightedGram(component l: Int, on subspace: Subspace, features p: Int, tasks kCount: Int) -> Double {
        let g = weight(ofComponent: l)
        return components[l].reduce(0.0) { sum, t in
            let c = g * t.weight
            return c > 0 ? sum + c * c * t.tasks.gramEigenvalue(onOnes: subspace.tasksOnes, size: kCount)
                * t.featureGramEigenvalue(onOnes: subspace.featuresOnes, size: p) : sum
        }
    }

    /// Calls `body(‖u‖, γ_l c_t, π_p, π_K)` for every group of component `l`, with u = γ_l c_t π_pᵀ W π_K.
    private func forEachGroup(_ w: Matrix, component l: Int, _ body: (Double, Double, Selector, Selector) -> Void) {
        let (p, kCount) = (w.rows, w.columns)
        for term in components[l] {
            let coefficient = weight(ofComponent: l) * term.weight
            let taskSelectors = term.tasks.selectors(kCount)
            for a in term.featureSelectors(p) {
                for b in taskSelectors {
                    var squares = 0.0
                    for r in 0..<a.width(p) {
                        for c in 0..<b.width(kCount) {
                            let e = Self.entry(w, a, r, b, c)
                            squares += e * e
                        }
                    }
                    body(coefficient * squares.squareRoot(), coefficient, a, b)
                }
            }
        }
    }

    /// Entry (r, c) of π_pᵀ W π_K.
    @inline(__always)
    static func entry(_ w: Matrix, _ a: Selector, _ r: Int, _ b: Selector, _ c: Int) -> Double {
        var v = 0.0
        a.forEach(output: r) { i, s1 in b.forEach(output: c) { k, s2 in v += s1 * s2 * w[i, k] } }
        return v
    }
}
