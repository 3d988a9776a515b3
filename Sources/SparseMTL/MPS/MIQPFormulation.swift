/// The whole problem of DESIGN.md section 1 as one mixed-integer quadratic model, on the
/// instance's per-task centred (and possibly standardised) data, so that any MIQP solver's optimal
/// value is F:
///
///     min  Σ_k (1/n_k)‖ỹ_k − X̃_k b_k‖² + ridge + λ Σ_{k<l} w_kl ‖b_k − b_l‖² + δ Σ_{k<l} w_kl ‖z_k − z_l‖²
///     s.t. Σ_j z_jk ≤ s  (card_k),  z binary,  and the link β_jk = 0 where z_jk = 0:
///
/// - perspective form: ridge α Σ t_jk with b_jk² ≤ t_jk·z_jk (persp_j_k, a rotated cone), t ≥ 0;
/// - big-M form: ridge α Σ b_jk² with −M z_jk ≤ b_jk ≤ M z_jk (bigm_lo_j_k, bigm_up_j_k).
/// A box |β_jk| ≤ M in the problem is written in both forms. Without a box the perspective form
/// also carries the implied bound |b_jk| ≤ M*·z_jk with M* = √(F(0)/α): valid because
/// α‖B‖² ≤ F(B, Z) ≤ F(0, 0) = Σ_k ‖ỹ_k‖²/n_k at any optimum, so it leaves the optimum unchanged, and
/// it is linear, so solvers cannot satisfy β = 0 off the support only to √(feasibility tolerance). The Zbar term is the convex quadratic
/// δ w_kl (z_jk − z_lk)², equal to the penalty at binary Z. The loss is written per task either with
/// the Gram matrix (constant ỹᵀỹ/n, linear −2X̃ᵀỹ/n, quadratic bᵀX̃ᵀX̃b/n: p(p+1)/2 terms) or with
/// residual variables r_i_k = ỹ_ik − x̃_ikᵀb_k (rows res_i_k, objective Σ r²/n: n·p matrix entries),
/// whichever is smaller unless the caller chooses.
public struct MIQPFormulation: Sendable {
    /// How β_jk = 0 where z_jk = 0 is expressed.
    public enum Form: String, Sendable, CaseIterable {
        case perspective
        case bigm
    }

    /// How the loss of a task is written.
    public enum LossForm: String, Sendable, CaseIterable {
        /// Gram when p + 1 ≤ 2n_k (fewer terms), residual variables otherwise.
        case auto
        case gram
        case residual
    }

    public let model: QuadraticModel
    public let form: Form
    /// Column of b_jk, z_jk and (perspective form) t_jk; residual columns per task (empty for Gram).
    let b: [[Int]], z: [[Int]], t: [[Int]]?, residuals: [[Int]]

    /// Builds the model of `instance`.
    /// - Throws: `InputError` when the form cannot express the problem: the big-M form needs a box
    ///   M, and the perspective form needs α > 0.
    public init(_ instance: Instance, form: Form, loss: LossForm = .auto) throws {
        let penalty = instance.penalty
        let p = instance.featureCount, taskCount = instance.taskCount
        let alpha = penalty.ridge
        switch form {
        case .bigm where penalty.bigM == nil:
            throw InputError(file: "--form", "the big-M form needs a box |β| ≤ M: give --big-m M (it becomes part of the problem)")
        case .perspective where !(alpha > 0):
            throw InputError(file: "--form", "the perspective form needs α > 0; with α = 0 use --form bigm and a box --big-m M")
        default: break
        }
        var model = QuadraticModel(name: "sparsemtl_miqp")
        // Without a box (then α > 0): the implied box of F(0), which every B at least as good as B = 0
        // satisfies (0 when F(0) = 0, where B = 0 is the only such B).
        let box = penalty.bigM ?? ImpliedBox.box(instance, incumbentValue: instance.nullObjective) ?? 0
        let bound = penalty.bigM ?? .infinity
        let b = (0..<taskCount).map { k in (0..<p).map { j in model.addColumn("b_\(j)_\(k)", lower: -bound, upper: bound) } }
        let z = (0..<taskCount).map { k in (0..<p).map { j in model.addColumn("z_\(j)_\(k)", upper: 1, integer: true) } }
        var t: [[Int]]? = nil
        if form == .perspective {
            t = (0..<taskCount).map { k in (0..<p).map { j in model.addColumn("t_\(j)_\(k)", cost: alpha) } }
        }

        // Loss.
        var residuals: [[Int]] = []
        for k in 0..<taskCount {
            let x = instance.designs[k], y = instance.responses[k], n = x.rows
            let scale = 1 / Double(n)
            let useGram = switch loss { case .auto: p + 1 <= 2 * n; case .gram: true; case .residual: false }
            if useGram {
                let gram = BLAS.gram(x)
                let xty = BLAS.multiply(x, y, .transpose)
                model.objectiveConstant += scale * Vector.dot(y, y)
                for j in 0..<p {
                    model.columns[b[k][j]].cost = -2 * scale * xty[j]
                    model.addObjectiveTerm(b[k][j], b[k][j], scale * gram[j, j])
                    for i in 0..<j { model.addObjectiveTerm(b[k][i], b[k][j], 2 * scale * gram[i, j]) }
                }
                residuals.append([])
            } else {
                let r = (0..<n).map { i in model.addColumn("r_\(i)_\(k)", lower: -.infinity) }
                for i in 0..<n {
                    model.addObjectiveTerm(r[i], r[i], scale)
                    let linear = [(column: r[i], coefficient: 1.0)] + (0..<p).compactMap { j in
                        x[i, j] == 0 ? nil : (column: b[k][j], coefficient: x[i, j])
                    }
                    model.addRow("res_\(i)_\(k)", .equal, y[i], linear: linear)
                }
                residuals.append(r)
            }
        }

        // Ridge (big-M form; the perspective form has it as α·t), Bbar and Zbar.
        if form == .bigm { for k in 0..<taskCount { for j in 0..<p { model.addObjectiveTerm(b[k][j], b[k][j], alpha) } } }
        for edge in instance.graph.edges {
            let (lw, dw) = (penalty.bbar * edge.weight, penalty.zbar * edge.weight)
            for j in 0..<p {
                for (columns, weight) in [(b, lw), (z, dw)] where weight != 0 {
                    let (u, v) = (columns[edge.k][j], columns[edge.l][j])
                    model.addObjectiveTerm(u, u, weight)
                    model.addObjectiveTerm(v, v, weight)
                    model.addObjectiveTerm(u, v, -2 * weight)
                }
            }
        }

        // Constraints.
        for k in 0..<taskCount {
            model.addRow("card_\(k)", .lessOrEqual, Double(penalty.sparsity), linear: z[k].map { ($0, 1.0) })
        }
        for k in 0..<taskCount {
            for j in 0..<p {
                if let t {
                    model.addRow("persp_\(j)_\(k)", .lessOrEqual, 0, linear: [], quadratic: [
                        .init(i: b[k][j], j: b[k][j], coefficient: 1), .init(i: z[k][j], j: t[k][j], coefficient: -1),
                    ])
                }
                model.addRow("bigm_lo_\(j)_\(k)", .greaterOrEqual, 0, linear: [(b[k][j], 1), (z[k][j], box)])
                model.addRow("bigm_up_\(j)_\(k)", .lessOrEqual, 0, linear: [(b[k][j], 1), (z[k][j], -box)])
            }
        }
        self.model = model
        self.form = form
        self.b = b
        self.z = z
        self.t = t
        self.residuals = residuals
    }

    /// The model's point for coefficients `coefficients` (model scale) and support `support`:
    /// b = β, z = Z, t_jk = β_jk² (0 off the support), r_k = ỹ_k − X̃_k β_k.
    public func point(_ instance: Instance, coefficients: Matrix, support: Support) -> [Double] {
        var x = [Double](repeating: 0, count: model.columns.count)
        let zeros = support.binary(featureCount: instance.featureCount)
        for k in 0..<instance.taskCount {
            for j in 0..<instance.featureCount {
                x[b[k][j]] = coefficients[j, k]
                x[z[k][j]] = zeros[j, k]
                if let t { x[t[k][j]] = zeros[j, k] == 0 ? 0 : coefficients[j, k] * coefficients[j, k] }
            }
            if !residuals[k].isEmpty {
                let r = BLAS.residual(instance.responses[k], instance.designs[k], coefficients.column(k))
                for (i, column) in residuals[k].enumerated() { x[column] = r[i] }
            }
        }
        return x
    }

    /// The mapping from model columns back to features and tasks, as CSV:
    /// `column,kind,task_index,task,feature_index,feature,sample,scale`, where kind is coefficient
    /// (b), support (z), ridge_epigraph (t) or residual (r), and scale is d_j: β in original units
    /// is b_j_k / d_j.
    public func mappingCSV(_ instance: Instance) -> String {
        var out = "column,kind,task_index,task,feature_index,feature,sample,scale\n"
        let scales = instance.preprocessing.featureScales
        func feature(_ kind: String, _ columns: [[Int]]) {
            for (k, list) in columns.enumerated() {
                for (j, c) in list.enumerated() {
                    out += [model.columns[c].name, kind, "\(k)", CSVWriter.field(instance.taskLabels[k]), "\(j)",
                            CSVWriter.field(instance.featureNames[j]), "", kind == "coefficient" ? CSVWriter.number(scales[j]) : ""]
                        .joined(separator: ",") + "\n"
                }
            }
        }
        feature("coefficient", b)
        feature("support", z)
        if let t { feature("ridge_epigraph", t) }
        for (k, list) in residuals.enumerated() {
            for (i, c) in list.enumerated() {
                out += "\(model.columns[c].name),residual,\(k),\(CSVWriter.field(instance.taskLabels[k])),,,\(i),\n"
            }
        }
        return out
    }
}
