import Foundation
import Testing
@testable import SparseMTL

/// The GenGL penalty: values against closed forms, the smoothed gradient against finite
/// differences, the smoothing bounds, and the closed-form ‖D‖² against an explicit D.
/// (The solver's optimum is checked against cvxpy/Clarabel in Tests/python/check_gengl.py.)
@Suite struct GenGLTests {
    static let presets: [(String, GenGLPenalty)] = GenGLPreset.allCases.map {
        ($0.rawValue, $0.penalty(gamma: 0.7, phi: 2, gamma2: 0.3, components: 2))
    } + [("operators", GenGLPenalty(components: try! GenGLPreset.parseOperators("C:F2,F:F@0.5;F2:F2,C:C"), gamma: 0.4, phi: 3)),
         ("tensor operators", GenGLPenalty(components: try! GenGLPreset.parseOperators("F:CxF,F2:FxF@0.5"), gamma: 0.4))]

    static func randomMatrix(_ p: Int, _ k: Int, seed: UInt64) -> Matrix {
        var random = SeededRandom(seed: seed)
        var w = Matrix(rows: p, columns: k)
        for e in w.storage.indices { w.storage[e] = random.normal() }
        return w
    }

    /// p of the matrices the preset-wide tests draw: a 3 × 3 grid of cells in the tensor form.
    static func features(_ penalty: GenGLPenalty) -> Int { penalty.isTensor ? 9 : 5 }

    @Test func valuesMatchClosedForms() {
        let w = Self.randomMatrix(6, 4, seed: 1)
        let gamma = 0.7
        let lasso = w.storage.reduce(0) { $0 + abs($1) } * gamma
        let rows = (0..<6).reduce(0.0) { sum, j in sum + (0..<4).reduce(0.0) { $0 + w[j, $1] * w[j, $1] }.squareRoot() } * gamma
        var fusion = 0.0
        for k in 0..<4 { for l in (k + 1)..<4 { fusion += (0..<6).reduce(0.0) { $0 + pow(w[$1, k] - w[$1, l], 2) }.squareRoot() } }
        let columns = (0..<4).reduce(0.0) { sum, k in sum + (0..<6).reduce(0.0) { $0 + w[$1, k] * w[$1, k] }.squareRoot() }
        func penalty(_ preset: GenGLPreset) -> GenGLPenalty { preset.penalty(gamma: gamma, phi: 2, gamma2: nil, components: 2) }
        #expect(close(penalty(.lasso).value(w, component: 0), lasso, relative: 1e-12))
        #expect(close(penalty(.groupLasso).value(w, component: 0), rows, relative: 1e-12))
        #expect(close(penalty(.metag).value(w, component: 1), gamma / 2 * fusion, relative: 1e-12), "level 2 weighs γ/φ")
        #expect(close(penalty(.rmtfl).value(w, component: 1), gamma / 2 * columns, relative: 1e-12))
    }

    @Test(arguments: presets.indices)
    func smoothedGradientMatchesFiniteDifferences(_ index: Int) {
        let (name, penalty) = Self.presets[index]
        let mu = 0.05, p = Self.features(penalty)
        for l in penalty.components.indices {
            var w = Self.randomMatrix(p, 4, seed: UInt64(10 + index * 3 + l))
            w[2, 1] = w[2, 2]  // a pair difference inside the quadratic region of the smoothing
            w[3, 0] = 0.001
            var gradient = Matrix(rows: p, columns: 4)
            _ = penalty.smoothed(w, component: l, mu: mu, gradient: &gradient)
            let h = 1e-6
            for e in w.storage.indices {
                var plus = w, minus = w, scratch = gradient
                plus.storage[e] += h
                minus.storage[e] -= h
                let numeric = (penalty.smoothed(plus, component: l, mu: mu, gradient: &scratch)
                               - penalty.smoothed(minus, component: l, mu: mu, gradient: &scratch)) / (2 * h)
                #expect(abs(numeric - gradient.storage[e]) <= 1e-6 * max(1, abs(numeric)),
                        "\(name), component \(l), entry \(e): analytic \(gradient.storage[e]), numeric \(numeric)")
            }
        }
    }

    @Test(arguments: presets.indices)
    func smoothingStaysWithinItsBound(_ index: Int) {
        let (name, penalty) = Self.presets[index]
        let p = Self.features(penalty)
        for mu in [1e-3, 0.1, 1.0] {
            for l in penalty.components.indices {
                let w = Self.randomMatrix(p, 4, seed: UInt64(40 + index))
                var scratch = w
                let exact = penalty.value(w, component: l)
                let smooth = penalty.smoothed(w, component: l, mu: mu, gradient: &scratch)
                let single = GenGLPenalty(components: [penalty.components[l]], gamma: 1)
                let groups = Double(single.groupCount(features: p, tasks: 4))
                #expect(smooth <= exact + 1e-12 && smooth >= exact - groups * mu / 2 - 1e-12, "\(name): Ω \(exact), Ω_μ \(smooth), μ \(mu)")
            }
        }
    }

    /// D_l stacked row by row from every group's entries, each scaled by γ_l c_t, built here by
    /// applying the penalty's definition to unit matrices; ‖D‖² = λ_max(DᵀD).
    @Test(arguments: presets.indices)
    func lipschitzConstantIsTheNormOfD(_ index: Int) {
        let (name, penalty) = Self.presets[index]
        for (p, kCount) in [(Self.features(penalty), 4), (1, 3), (4, 1)] {
            for l in penalty.components.indices {
                let rows = Self.explicitD(penalty, component: l, features: p, tasks: kCount)
                var dtd = Matrix(rows: p * kCount, columns: p * kCount)
                for row in rows { for i in row.indices where row[i] != 0 { for j in row.indices { dtd[i, j] += row[i] * row[j] } } }
                let expected = SymmetricEigen.largest(dtd)
                let closedForm = penalty.smoothingLipschitz(component: l, features: p, tasks: kCount)
                #expect(abs(closedForm - expected) <= 1e-9 * max(1, expected), "\(name), component \(l), p \(p), K \(kCount): \(closedForm) vs \(expected)")
            }
        }
    }

    /// D_l row by row: every group's entries (r, c) of γ_l c_t π_aᵀ W π_b as a row over vec(W)
    /// (index i + k·p), groups in term order, feature operators outer, task operators inner.
    static func explicitD(_ penalty: GenGLPenalty, component l: Int, features p: Int, tasks kCount: Int) -> [[Double]] {
        var rows: [[Double]] = []
        let g = penalty.weight(ofComponent: l)
        for term in penalty.components[l] where g * term.weight > 0 {
            for a in featureOperators(term, p) {
                for b in operators(term.tasks, kCount) {
                    // Entry (r, c) of π_aᵀ W π_b is Σ_i Σ_k a[i][r] b[k][c] W_ik.
                    for r in 0..<a[0].count {
                        for c in 0..<b[0].count {
                            var row = [Double](repeating: 0, count: p * kCount)
                            for i in 0..<p { for k in 0..<kCount { row[i + k * p] = g * term.weight * a[i][r] * b[k][c] } }
                            rows.append(row)
                        }
                    }
                }
            }
        }
        return rows
    }

    /// The flat group layout of the primal–dual method against explicit D_l: c_e·(A w)_e = (D_l w)_e
    /// entry by entry, and Σ_g c_g A_gᵀu_g = D_lᵀu (with a scale), for every preset and component.
    @Test(arguments: presets.indices)
    func groupLayoutMatchesExplicitOperators(_ index: Int) {
        let (name, penalty) = Self.presets[index]
        let (p, kCount) = (Self.features(penalty), 4)
        for l in penalty.components.indices {
            let rows = Self.explicitD(penalty, component: l, features: p, tasks: kCount)
            let layout = GroupLayout(penalty, component: l, features: p, tasks: kCount)
            #expect(layout.size == rows.count, "\(name), component \(l): \(layout.size) entries, D has \(rows.count) rows")
            guard layout.size == rows.count else { continue }
            let w = Self.randomMatrix(p, kCount, seed: UInt64(70 + index * 3 + l))
            var applied = [Double](repeating: 0, count: layout.size)
            layout.apply(w, into: &applied)
            var weights: [Double] = []
            for (g, c) in layout.weights.enumerated() { weights += Array(repeating: c, count: layout.offsets[g + 1] - layout.offsets[g]) }
            for (e, row) in rows.enumerated() {
                let expected = zip(row, w.storage).reduce(0.0) { $0 + $1.0 * $1.1 }
                #expect(abs(weights[e] * applied[e] - expected) <= 1e-12 * max(1, abs(expected)), "\(name), component \(l), entry \(e)")
            }
            var random = SeededRandom(seed: UInt64(90 + index))
            let u = (0..<layout.size).map { _ in random.normal() }
            var adjoint = Self.randomMatrix(p, kCount, seed: 5)
            let start = adjoint
            layout.addAdjoint(u, scale: -0.7, into: &adjoint)
            for e in adjoint.storage.indices {
                let expected = start.storage[e] - 0.7 * rows.indices.reduce(0.0) { $0 + rows[$1][e] * u[$1] }
                #expect(abs(adjoint.storage[e] - expected) <= 1e-12 * max(1, abs(expected)), "\(name), component \(l), adjoint entry \(e)")
            }
        }
    }

    /// The operators of a set as explicit n × m matrices (rows: indices), written from DESIGN.md.
    static func operators(_ set: OperatorSet, _ n: Int) -> [[[Double]]] {
        func unit(_ i: Int) -> [[Double]] { (0..<n).map { [$0 == i ? 1 : 0] } }
        switch set {
        case .whole: return [(0..<n).map { i in (0..<n).map { $0 == i ? 1 : 0 } }]
        case .each: return (0..<n).map(unit)
        case .pairs:
            var out: [[[Double]]] = []
            for i in 0..<n {
                for j in (i + 1)..<n {
                    var column = [[Double]](repeating: [0], count: n)
                    column[i] = [1]
                    column[j] = [-1]
                    out.append(column)
                }
            }
            return out
        }
    }

    /// A term's feature operators as explicit matrices; in the tensor form (p = q²) the Kronecker
    /// product of its two modes' operators, cell (i, j) at index i·q + j (DESIGN.md, tensor form).
    static func featureOperators(_ term: GenGLPenalty.Term, _ p: Int) -> [[[Double]]] {
        guard let second = term.secondMode else { return operators(term.features, p) }
        let q = Int(Double(p).squareRoot().rounded())
        return operators(term.features, q).flatMap { a in
            operators(second, q).map { b in
                (0..<p).map { cell in
                    a[cell / q].flatMap { first in b[cell % q].map { first * $0 } }
                }
            }
        }
    }

    @Test func badOperatorsAreNamed() {
        for text in ["C:X", "C", "C:F@-1", "C:F@1@2", "C:F;"] {
            #expect(throws: InputError.self, "\(text)") { try GenGLPreset.parseOperators(text) }
        }
        #expect((try? GenGLPreset.parseOperators("c:f2, F:C@0.5;F2:C"))?.map(\.count) == [2, 1])
    }

    /// The duality gap at γ = 0 (least squares, every subspace free): the dual bound never passes
    /// the closed-form optimum (normal equations), and at that optimum the gap closes; pair
    /// differences over features alone are refused (no gap) rather than bounded wrongly.
    @Test func dualityGapAgainstLeastSquaresInClosedForm() throws {
        var settings = SyntheticSettings()
        settings.tasks = 3; settings.features = 5; settings.samplesPerTask = 20; settings.seed = 7
        let definition = ProblemDefinition(name: "g", dataset: SyntheticInstance(settings).dataset, penalty: Penalty(sparsity: 2),
                                           graph: .complete(taskCount: 3), standardize: false, truthPath: nil)
        let instance = try definition.instance()
        let objective = GenGLObjective(instance: instance, penalty: GenGLPreset.lasso.penalty(gamma: 0, phi: 1, gamma2: nil, components: 1))
        var optimum = Matrix(rows: 5, columns: 3), best = 0.0
        for k in 0..<3 {
            let x = instance.designs[k]
            let beta = SymmetricPseudoInverse(BLAS.multiply(x, x, .transpose, .none)).solve(BLAS.multiply(x, instance.responses[k], .transpose))
            optimum.setColumn(k, beta)
            let r = BLAS.residual(instance.responses[k], x, beta)
            best += Vector.dot(r, r) / Double(x.rows)
        }
        let atOptimum = try #require(GenGLDualPoint(objective).gap([optimum], mu: 1e-9))
        #expect(close(atOptimum.primal, best, relative: 1e-12) && atOptimum.relative < 1e-10)
        for scale in [0.0, 0.5, 0.9, 1.1] {
            var w = optimum
            Vector.scale(scale, &w.storage)
            let gap = try #require(GenGLDualPoint(objective).gap([w], mu: 1e-9))
            #expect(gap.dual <= best * (1 + 1e-12), "scale \(scale): dual \(gap.dual) above the optimum \(best)")
            #expect(gap.primal - gap.dual >= gap.primal - best - 1e-12)
        }
        let featurePairs = GenGLObjective(instance: instance, penalty: GenGLPenalty(components: try GenGLPreset.parseOperators("C:F2"), gamma: 0.1))
        #expect(GenGLDualPoint(featurePairs).gap([optimum], mu: 1e-9) == nil)
    }
}
