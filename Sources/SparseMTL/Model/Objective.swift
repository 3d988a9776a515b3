/// The objective F(B, Z) of DESIGN.md section 1 and its parts, on the model's (centred, possibly
/// standardised) data:
///
///     F = Σ_k (1/n_k)‖ỹ_k − X̃_k β_k‖²        loss
///       + α‖B‖²_F                            ridge
///       + λ Σ_{k<l} w_kl‖β_k − β_l‖²          bbar
///       + δ Σ_{k<l} w_kl‖z_k − z_l‖²          zbar
///
/// with feasibility: Σ_j z_jk ≤ s, β_jk = 0 where z_jk = 0, and |β_jk| ≤ M when a box is set.
public struct ObjectiveValue: Sendable {
    /// Σ_k (1/n_k)‖ỹ_k − X̃_k β_k‖².
    public var loss: Double
    /// α‖B‖²_F.
    public var ridge: Double
    /// λ Σ_{k<l} w_kl‖β_k − β_l‖².
    public var bbar: Double
    /// δ Σ_{k<l} w_kl‖z_k − z_l‖².
    public var zbar: Double
    /// Why (B, Z) is infeasible; empty when feasible.
    public var violations: [String]

    /// F = loss + ridge + bbar + zbar.
    public var objective: Double { loss + ridge + bbar + zbar }
    /// Whether (B, Z) satisfies the cardinality, support and box constraints.
    public var feasible: Bool { violations.isEmpty }
}

/// Evaluation of F.
public enum Objective {
    /// F(B, Z) and its parts for coefficients B (p × K) on the model's scale and supports Z
    /// (by default the support of B).
    public static func evaluate(_ instance: Instance, coefficients b: Matrix, support: Support? = nil) -> ObjectiveValue {
        let p = instance.featureCount, kCount = instance.taskCount
        precondition(b.rows == p && b.columns == kCount, "Objective.evaluate: B must be p × K")
        let z = support ?? Support(of: b)
        var loss = 0.0
        for k in 0..<kCount {
            let residual = BLAS.residual(instance.responses[k], instance.designs[k], b.column(k))
            let r = Vector.norm(residual)
            loss += r * r / Double(instance.designs[k].rows)
        }
        let penalty = instance.penalty
        let fro = b.frobeniusNorm
        var bbarSum = 0.0, zbarSum = 0.0
        let zMatrix = z.binary(featureCount: p)
        for e in instance.graph.edges {
            var db = 0.0, dz = 0.0
            for j in 0..<p {
                let d = b[j, e.k] - b[j, e.l]
                db += d * d
                dz += abs(zMatrix[j, e.k] - zMatrix[j, e.l])
            }
            bbarSum += e.weight * db
            zbarSum += e.weight * dz
        }
        return ObjectiveValue(loss: loss, ridge: penalty.ridge * fro * fro,
                              bbar: penalty.bbar == 0 ? 0 : penalty.bbar * bbarSum,
                              zbar: penalty.zbar == 0 ? 0 : penalty.zbar * zbarSum,
                              violations: violations(instance, b, z))
    }

    /// The constraints (B, Z) breaks, in words naming task and feature.
    static func violations(_ instance: Instance, _ b: Matrix, _ z: Support) -> [String] {
        var found: [String] = []
        let s = instance.penalty.sparsity
        for k in 0..<instance.taskCount {
            let task = instance.taskLabels[k]
            if z.size(k) > s { found.append("task '\(task)' uses \(z.size(k)) features, more than s = \(s)") }
            let selected = Set(z.indices[k])
            for j in 0..<instance.featureCount {
                if b[j, k] != 0 && !selected.contains(j) {
                    found.append("task '\(task)': feature '\(instance.featureNames[j])' has a nonzero coefficient outside the support")
                }
                if let m = instance.penalty.bigM, abs(b[j, k]) > m * (1 + 1e-12) {
                    found.append("task '\(task)': |coefficient| of feature '\(instance.featureNames[j])' is \(abs(b[j, k])), above M = \(m)")
                }
            }
        }
        return found
    }
}

extension Objective {
    /// F for coefficients given in original units (as files hold them): they are mapped to the
    /// model's scale, β̃_jk = d_j β_jk, before evaluation (identity without standardisation).
    public static func evaluate(_ instance: Instance, originalCoefficients b: Matrix, support: Support? = nil) -> ObjectiveValue {
        evaluate(instance, coefficients: instance.preprocessing.toModelScale(b), support: support ?? Support(of: b))
    }
}
