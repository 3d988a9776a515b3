import Foundation

/// Named GenGL penalties (DESIGN.md section 6), and the syntax for giving the operators directly.
public enum GenGLPreset: String, Sendable, CaseIterable {
    /// γ Σ_jk |w_jk|: tasks P_F, features P_F.
    case lasso
    /// γ Σ_j ‖row j‖₂: tasks P_C, features P_F.
    case groupLasso = "group-lasso"
    /// Σ_l γ_l Σ_{k<k'} ‖w_l,:k − w_l,:k'‖₂ over h components: tasks P_F², features P_C.
    /// With the same operators in every component the levels add nothing (the infimal convolution
    /// of γ_l‖·‖ is min_l γ_l‖·‖); the levels matter when `--operators` gives them other terms.
    case metag
    /// W = P + Q with γ Σ_j ‖P_j,:‖₂ + (γ/φ) Σ_k ‖Q_:,k‖₂: relevant rows plus outlier task columns.
    case rmtfl
    /// Two components, each with the four operations of SSMTL_m: γ Σ_j ‖W_j,:‖₂ (tasks P_C,
    /// features P_F: shared features) + γ₂/γ · γ Σ_j Σ_{k<k'} |w_jk − w_jk'| (tasks P_F², features
    /// P_F: coefficients fused across tasks), weighted 1 and 1/φ.
    case ssmtlM = "ssmtl-m"
    /// Tensor form (`InteractionFeatures`): γ Σ_k Σ_a ‖W_k[a, :]‖₂, a feature with all its
    /// interactions (and, for a = constant, all main effects) selected per task: tasks P_F, modes P_F ⊗ P_C.
    case tensorFeature = "tensor-feature"
    /// Tensor form: γ Σ_k Σ_ab |W_k[a, b]|, every interaction (and main effect) alone: tasks P_F, modes P_F ⊗ P_F.
    case tensorPair = "tensor-pair"
    /// Tensor form: γ Σ_ab ‖W[a, b, :]‖₂, an interaction selected for all tasks together: tasks P_C, modes P_F ⊗ P_F.
    case tensorShared = "tensor-shared"

    /// The penalty of this preset; `gamma2` is SSMTL_m's γ₂ (default γ), `components` metag's h.
    public func penalty(gamma: Double, phi: Double, gamma2: Double?, components h: Int) -> GenGLPenalty {
        typealias T = GenGLPenalty.Term
        switch self {
        case .lasso:
            return GenGLPenalty(components: [[T(tasks: .each, features: .each)]], gamma: gamma, phi: phi)
        case .groupLasso:
            return GenGLPenalty(components: [[T(tasks: .whole, features: .each)]], gamma: gamma, phi: phi)
        case .metag:
            return GenGLPenalty(components: Array(repeating: [T(tasks: .pairs, features: .whole)], count: h), gamma: gamma, phi: phi)
        case .rmtfl:
            return GenGLPenalty(components: [[T(tasks: .whole, features: .each)], [T(tasks: .each, features: .whole)]],
                                gamma: gamma, phi: phi)
        case .ssmtlM:
            let ratio = gamma > 0 ? (gamma2 ?? gamma) / gamma : 1
            let terms = [T(tasks: .whole, features: .each), T(tasks: .pairs, features: .each, weight: ratio)]
            return GenGLPenalty(components: [terms, terms], gamma: gamma, phi: phi)
        case .tensorFeature:
            return GenGLPenalty(components: [[T(tasks: .each, features: .each, secondMode: .whole)]], gamma: gamma, phi: phi)
        case .tensorPair:
            return GenGLPenalty(components: [[T(tasks: .each, features: .each, secondMode: .each)]], gamma: gamma, phi: phi)
        case .tensorShared:
            return GenGLPenalty(components: [[T(tasks: .whole, features: .each, secondMode: .each)]], gamma: gamma, phi: phi)
        }
    }

    /// Parses operators given directly: components separated by `;`, terms by `,`, each term
    /// `TASKS:FEATURES` or `TASKS:FEATURES@WEIGHT` with sets C (whole), F (each), F2 (pairs);
    /// for example `C:F;F:C` is rmtfl and `C:F,F2:F@0.5` one component with two terms. The tensor
    /// form gives FEATURES per mode as `F1xF2` (C or F each): `F:FxC` is tensor-feature. Either every
    /// term is of the tensor form or none is.
    /// - Throws: `InputError` naming the bad piece.
    public static func parseOperators(_ text: String) throws -> [[GenGLPenalty.Term]] {
        func fail(_ piece: String, _ why: String) -> InputError {
            InputError(file: "--operators", "\(why) in \"\(piece)\" (terms are TASKS:FEATURES[@WEIGHT] with C, F or F2; ',' between terms, ';' between components)")
        }
        let components = try text.split(separator: ";", omittingEmptySubsequences: false).map { component in
            try component.split(separator: ",", omittingEmptySubsequences: false).map { rawTerm in
                let term = rawTerm.trimmingCharacters(in: .whitespaces)
                let parts = term.split(separator: "@", omittingEmptySubsequences: false)
                guard parts.count <= 2 else { throw fail(term, "more than one '@'") }
                let sets = parts[0].split(separator: ":", omittingEmptySubsequences: false)
                let modes = sets.count == 2 ? sets[1].uppercased().split(separator: "X", omittingEmptySubsequences: false) : []
                guard sets.count == 2, (1...2).contains(modes.count), let tasks = OperatorSet(rawValue: String(sets[0]).uppercased()),
                      let features = OperatorSet(rawValue: String(modes[0])) else {
                    throw fail(term, "expected TASKS:FEATURES or TASKS:F1xF2")
                }
                var secondMode: OperatorSet? = nil
                if modes.count == 2 {
                    guard let second = OperatorSet(rawValue: String(modes[1])), features != .pairs, second != .pairs else {
                        throw fail(term, "the tensor form's modes take C or F")
                    }
                    secondMode = second
                }
                var weight = 1.0
                if parts.count == 2 {
                    guard let w = Double(parts[1]), w >= 0, w.isFinite else { throw fail(term, "the weight must be a number ≥ 0") }
                    weight = w
                }
                return GenGLPenalty.Term(tasks: tasks, features: features, secondMode: secondMode, weight: weight)
            }
        }
        let tensorTerms = components.joined().filter { $0.secondMode != nil }.count
        guard tensorTerms == 0 || tensorTerms == components.joined().count else {
            throw InputError(file: "--operators", "mix of tensor-form terms (TASKS:F1xF2) and matrix-form terms in \"\(text)\": give every term in one form")
        }
        return components
    }
}
