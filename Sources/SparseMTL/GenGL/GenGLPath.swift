import Foundation

/// GenGL along a decreasing γ path, read as a sparse model (the convex comparison of DESIGN.md
/// section 6): every point's support is read off W (`GenGLResult.support`); the selected point is
/// the one with the smallest γ whose supports have at most s features per task, and its support is
/// refitted with the instance's own penalty (α, λ, δ, M) by the exact inner solve, so its F is
/// comparable with the heuristic's and the exact solver's.
public struct GenGLPath: Sendable {
    public var penalty: GenGLPenalty
    public var solver: GenGLSolver
    /// Points on the path, geometric from γ_max (`largestGamma`, else `startGamma`) down to γ_max · `ratio`.
    public var points = 20
    public var ratio = 1e-3
    public var supportThreshold = 1e-3
    /// Bisection steps in log γ between the last point with at most s features per task and the
    /// next one (supports can jump by several features between grid points).
    public var refinements = 8

    public init(penalty: GenGLPenalty, solver: GenGLSolver) {
        self.penalty = penalty
        self.solver = solver
    }

    /// One point of the path.
    public struct Point: Sendable {
        public var gamma: Double
        public var result: GenGLResult
        public var support: Support
    }

    /// The path and the model read from it.
    public struct Outcome: Sendable {
        public var points: [Point]
        /// The index of the selected point.
        public var selected: Int
        /// Whether the selected support was cut to the s largest |w_jk| of each task, because no point
        /// of the path had at most s features in every task (the point with the fewest entries beyond
        /// s was taken).
        public var truncated: Bool
        /// The refitted model on the selected support (method "gengl", status of the selected fit).
        public var refit: SolveResult
        public var seconds: Double
    }

    /// max_j ‖∇_j,: f(0)‖₂, the group lasso's γ_max: the scale the path starts from where the
    /// penalty has no γ_max (`largestGamma`).
    public static func startGamma(_ instance: Instance) -> Double {
        var gradient = Matrix(rows: instance.featureCount, columns: instance.taskCount)
        _ = GenGLObjective(instance: instance, penalty: GenGLPenalty(components: [], gamma: 0)).loss(gradient, gradient: &gradient)
        return (0..<gradient.rows).map { j in
            (0..<gradient.columns).reduce(0.0) { $0 + gradient[j, $1] * gradient[j, $1] }.squareRoot()
        }.max() ?? 0
    }

    /// γ_max: the smallest γ at which W = 0 is optimal, Ω₁°(∇f(0)) with Ω₁ the penalty at γ = 1
    /// (`unitPenalty`, whose weights must scale with γ): at γ ≥ γ_max the dual point θ = 2ỹ/n is
    /// feasible and its gap at W = 0 is zero. Exact for lasso, group lasso and rMTFL, an upper bound
    /// for other operator sets (W = 0 is still optimal there); nil where the penalty leaves part of W
    /// unpenalised (metag's task-constant part), so that W = 0 is optimal at no γ.
    public static func largestGamma(_ instance: Instance, unitPenalty: GenGLPenalty) -> Double? {
        var gradient = Matrix(rows: instance.featureCount, columns: instance.taskCount)
        _ = GenGLObjective(instance: instance, penalty: GenGLPenalty(components: [], gamma: 0)).loss(gradient, gradient: &gradient)
        return GenGLDualPoint(GenGLObjective(instance: instance, penalty: unitPenalty)).dualNorm(gradient)
    }

    /// Fits the path on `instance` and reads the model off it: stops early once the supports have
    /// grown past s for two points in a row after a selectable point, then refines by bisection
    /// (the refinement points are appended to `points`).
    /// - Throws: `InputError` from the solver's settings.
    public func run(_ instance: Instance, progress: ((Point) -> Void)? = nil) throws -> Outcome {
        let clock = Date()
        let s = instance.penalty.sparsity
        var unit = penalty
        unit.gamma = 1
        let start = max(Self.largestGamma(instance, unitPenalty: unit) ?? Self.startGamma(instance), 1e-300)
        var path: [Point] = []
        /// Fits γ from `warm`, appends the point to the path and reports it.
        func fit(_ gamma: Double, from warm: [Matrix]?) throws -> Point {
            var pen = penalty
            pen.gamma = gamma
            let result = try solver.solve(instance, penalty: pen, warmStart: warm)
            let point = Point(gamma: gamma, result: result, support: result.support(instance, relativeThreshold: supportThreshold))
            path.append(point)
            progress?(point)
            return point
        }
        func withinS(_ point: Point) -> Bool { point.support.indices.allSatisfy { $0.count <= s } }
        var selected: Int? = nil, over = 0
        for i in 0..<points where !Interrupt.isRequested {
            let point = try fit(start * pow(ratio, Double(i) / Double(max(points - 1, 1))), from: path.last?.result.components)
            if withinS(point) {
                selected = path.count - 1
                over = 0
            } else if selected != nil {
                over += 1
                if over >= 2 { break }
            }
        }
        guard !path.isEmpty else { throw InputError(file: "gengl", "the path was interrupted before its first point") }
        if var low = selected, low + 1 < path.count {
            // Bisect between the selectable point `low` and the next (too dense) one.
            var high = path[low + 1].gamma
            for _ in 0..<refinements where !Interrupt.isRequested {
                let point = try fit((path[low].gamma * high).squareRoot(), from: path[low].result.components)
                if withinS(point) { low = path.count - 1 } else { high = point.gamma }
            }
            selected = low
        }
        // Without a selectable point: the one with the fewest entries beyond s (Σ_k max(0, |S_k| − s)),
        // the smallest γ among ties, cut to the s largest |w_jk| per task below.
        let excess = path.map { $0.support.indices.reduce(0) { $0 + max(0, $1.count - s) } }
        let index = selected ?? path.indices.min { (excess[$0], path[$0].gamma) < (excess[$1], path[$1].gamma) }!
        let truncated = selected == nil
        var supports = path[index].support.indices
        if truncated {
            let w = path[index].result.coefficients
            supports = (0..<instance.taskCount).map { k in
                Array(supports[k].sorted { abs(w[$0, k]) > abs(w[$1, k]) }.prefix(s)).sorted()
            }
        }
        let refit = Self.refit(instance, supports: supports, status: path[index].result.status, since: clock)
        return Outcome(points: path, selected: index, truncated: truncated, refit: refit, seconds: Date().timeIntervalSince(clock))
    }

    /// The best coefficients for `supports` under the instance's penalty, and F.
    static func refit(_ instance: Instance, supports: [[Int]], status: SolveStatus, since clock: Date) -> SolveResult {
        let columns = HeuristicSettings().gramColumnsPerTask(features: instance.featureCount, tasks: instance.taskCount,
                                                            sparsity: instance.penalty.sparsity)
        let inner = InnerProblem(instance, gramColumnsPerTask: columns)
        let fit = inner.fit(supports)
        let b = inner.coefficients(supports, fit.betas)
        let support = Support(supports)
        return SolveResult(status: status, method: "gengl", coefficients: b, support: support,
                           objective: Objective.evaluate(instance, coefficients: b, support: support),
                           seconds: Date().timeIntervalSince(clock))
    }
}
