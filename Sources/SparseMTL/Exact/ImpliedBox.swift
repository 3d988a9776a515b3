/// The implied box M̂ of the exact solver's dual bounds. Every term of F is nonnegative and the
/// ridge term is α‖B‖²_F, so any B with F(B, Z) ≤ U satisfies α·β_jk² ≤ U, that is |β_jk| ≤ √(U/α).
/// With U = F of a feasible incumbent, the problem restricted to that box has the same optimum as
/// F itself (an optimum is at least as good as the incumbent), so every bound of the restricted
/// problem, whose φ is the boxed one of `CutBuilder.phi`, is a bound of F* too; and so are node
/// bounds (a node holding a B better than the incumbent holds it inside the box). The box enters
/// only the dual bounds: fits, models and the reported F stay unboxed (or boxed by the user's M).
///
/// It pays where the user set no box, or a looser one: the dual function φ(v) = v²/(4α) grows
/// without limit, while with a box it grows like M̂|v| (on single-task n = p = 50 at α = 0.01 without
/// a box, 2 875 nodes with it against 7 661 without). The MIQP export (`MIQPFormulation`) links b
/// and z with the box of U = F(B = 0) where no box is set.
public enum ImpliedBox {
    /// (1 + 10⁻⁹)·√(U/α) for an incumbent value U (nil when α = 0 or U is not a finite value > 0:
    /// with U = 0, B = 0 is optimal and the incumbent already says so).
    /// The factor keeps the box valid through the rounding of the square root and the units' change.
    public static func box(_ instance: Instance, incumbentValue u: Double) -> Double? {
        let alpha = instance.penalty.ridge
        guard alpha > 0, u.isFinite, u > 0 else { return nil }
        return (1 + 1e-9) * (u / alpha).squareRoot()
    }

    /// Whether M̂ is wide enough for an incumbent value U (in the same units): α·M̂² ≥ U.
    /// `verify` checks this with U = F(incumbent) recomputed from the certificate.
    public static func isValid(_ box: Double, instance: Instance, incumbentValue u: Double) -> Bool {
        box.isFinite && box > 0 && instance.penalty.ridge * box * box >= u
    }
}
