/// The penalty of DESIGN.md section 1: at most s features per task, ridge α‖B‖²_F,
/// Bbar λ Σ_{k<l} w_kl‖β_k − β_l‖², Zbar δ Σ_{k<l} w_kl‖z_k − z_l‖², and an optional box |β_jk| ≤ M.
public struct Penalty: Equatable, Sendable {
    /// s: the most features any one task may use (s ≥ 1).
    public var sparsity: Int
    /// α ≥ 0: ridge ("L2") weight.
    public var ridge: Double
    /// λ ≥ 0: weight of the Bbar term (coefficients alike across the task graph).
    public var bbar: Double
    /// δ ≥ 0: weight of the Zbar term (supports alike across the task graph).
    public var zbar: Double
    /// M > 0: optional big-M box |β_jk| ≤ M; nil for no box.
    public var bigM: Double?

    public init(sparsity: Int, ridge: Double = 0, bbar: Double = 0, zbar: Double = 0, bigM: Double? = nil) {
        self.sparsity = sparsity
        self.ridge = ridge
        self.bbar = bbar
        self.zbar = zbar
        self.bigM = bigM
    }

    /// Checks every field; `source` (a file, or "command line") is named in the message.
    /// - Throws: `InputError` for s < 1, a negative or non-finite weight, or M ≤ 0.
    public func validate(source: String) throws {
        if sparsity < 1 { throw InputError(file: source, "sparsity s = \(sparsity): must be at least 1") }
        for (name, value) in [("ridge", ridge), ("bbar", bbar), ("zbar", zbar)] {
            guard value.isFinite else { throw InputError(file: source, "\(name) = \(value): must be a finite number") }
            if value < 0 { throw InputError(file: source, "\(name) = \(value): penalties must be non-negative") }
        }
        if let m = bigM, !(m.isFinite && m > 0) {
            throw InputError(file: source, "big_m = \(m): must be a positive finite number")
        }
    }
}
