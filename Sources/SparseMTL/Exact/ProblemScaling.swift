import Foundation

/// An exact change of units for the exact solver: y' = y/t and X' = c·X on the model's (centred,
/// possibly standardised) data, with t and c powers of two, so every product below is exact in
/// floating point. With β = c·t·β',
///
///     F(B, Z) = t² · F'(B', Z),   F' with α' = α·c², λ' = λ·c², δ' = δ/t², M' = M/(c·t) (and M̂ alike),
///
/// and extra costs c_jk' = c_jk/t². The exact solver takes t as the power of two nearest
/// √(F/4096) of its first incumbent (√(F₀/4096) until it has one, F₀ = Σ_k ‖ỹ_k‖²/n_k; see
/// `objectiveTarget`) and c the one nearest 1/rms(X̃), so that it sees values near 4096 and
/// entries of X' near 1 whatever the data's units: GLPK's
/// tolerances are absolute (10⁻⁷ on rows and reduced costs, 10⁻¹⁰(1 + |v|) when it prunes) and
/// the gap's floor is 10⁻¹⁰, and with y in units 10⁻⁶ too large or small no gap closed (issue 18's
/// fuzz batch: 0 of 40 certified at y × 10⁻⁶, 4 at y × 10⁶).
public struct ProblemScaling: Equatable, Sendable {
    /// t: the response is divided by it.
    public var response: Double
    /// c: the features are multiplied by it.
    public var features: Double

    public init(response: Double, features: Double) {
        self.response = response
        self.features = features
    }

    /// The value the objective is brought near. Not 1: GLPK takes a basis as optimal when every
    /// reduced cost is above −10⁻⁷ (absolute for z, whose cost is 0), so an LP could stop short by
    /// 10⁻⁷ per column: with F ≈ 1 the bounds of 18 of 300 fuzz cases came out 10⁻⁹–4·10⁻⁷ above
    /// the optimum (LB is lowered by only 10⁻⁹ relative); with F ≈ 4096, none.
    static let objectiveTarget = 4096.0

    /// No change of units.
    public static let identity = ProblemScaling(response: 1, features: 1)

    /// The scaling that brings `instance` to rms(X̃) ≈ 1 and `objective` (default F₀; the exact
    /// solver passes its first incumbent's F) to ≈ 4096: t is the power of two nearest √(objective/4096).
    /// A zero or non-finite scale leaves its factor at 1.
    public init(for instance: Instance, objective: Double? = nil) {
        func powerOfTwo(near value: Double) -> Double {
            guard value.isFinite && value > 0 else { return 1 }
            return Double(sign: .plus, exponent: Int((log2(value)).rounded()), significand: 1)
        }
        let entries = instance.designs.reduce(0) { $0 + $1.storage.count }
        let squares = instance.designs.reduce(0.0) { $0 + Vector.dot($1.storage, $1.storage) }
        let target = (objective.flatMap { $0 > 0 ? $0 : nil } ?? instance.nullObjective) / ProblemScaling.objectiveTarget
        response = powerOfTwo(near: target.squareRoot())
        features = entries == 0 ? 1 : powerOfTwo(near: 1 / (squares / Double(entries)).squareRoot())
    }

    public var isIdentity: Bool { response == 1 && features == 1 }

    /// The instance in the new units (the preprocessing is kept: it maps the original data's units).
    public func apply(to instance: Instance) -> Instance {
        guard !isIdentity else { return instance }
        var scaled = instance
        for k in scaled.designs.indices {
            Vector.scale(features, &scaled.designs[k].storage)
            Vector.scale(1 / response, &scaled.responses[k])
        }
        scaled.penalty.ridge *= features * features
        scaled.penalty.bbar *= features * features
        scaled.penalty.zbar /= response * response
        scaled.penalty.bigM = instance.penalty.bigM.map { $0 / (features * response) }
        scaled.perspectiveShifts = instance.perspectiveShifts?.map { $0 * features * features }
        scaled.impliedBox = instance.impliedBox.map { $0 / (features * response) }
        return scaled
    }

    /// F = t²·F': a value (objective, bound, cost) back in the original units.
    public func value(_ scaled: Double) -> Double { scaled * response * response }

    /// c_jk' = c_jk / t²: costs on z in the new units.
    public func costs(_ original: Matrix) -> Matrix {
        var c = original
        Vector.scale(1 / (response * response), &c.storage)
        return c
    }

    /// B = c·t·B': coefficients back on the model's scale.
    public func coefficients(_ scaled: Matrix) -> Matrix {
        var b = scaled
        Vector.scale(features * response, &b.storage)
        return b
    }
}
