/// How cross-validation picks one grid point from the table of mean errors (DESIGN.md section 7).
public enum SelectionRule: String, Sendable, CaseIterable {
    /// The smallest mean cv error.
    case min
    /// The one-standard-error rule: among the points whose mean error is at most the minimum's
    /// mean plus its standard error, the simplest. "Simpler" means, in this order: a smaller s
    /// (fewer features), then a larger δ (supports more alike), then a larger λ (coefficients more
    /// alike), then a larger α (coefficients smaller). Remaining ties go to the earlier point.
    case oneStandardError = "1se"

    /// The index of the chosen score; nil when no score has a fold.
    public func choose(_ scores: [CrossValidation.Score]) -> Int? {
        let scored = scores.indices.filter { !scores[$0].foldErrors.isEmpty && scores[$0].meanError.isFinite }
        guard let best = scored.min(by: { scores[$0].meanError < scores[$1].meanError }) else { return nil }
        switch self {
        case .min:
            return best
        case .oneStandardError:
            let threshold = scores[best].meanError + scores[best].standardError
            let within = scored.filter { scores[$0].meanError <= threshold }
            return within.min { Self.simpler(scores[$0].penalty, than: scores[$1].penalty) }
        }
    }

    /// Whether a is strictly simpler than b in the order above.
    static func simpler(_ a: Penalty, than b: Penalty) -> Bool {
        if a.sparsity != b.sparsity { return a.sparsity < b.sparsity }
        if a.zbar != b.zbar { return a.zbar > b.zbar }
        if a.bbar != b.bbar { return a.bbar > b.bbar }
        return a.ridge > b.ridge
    }
}
