extension Instance {
    /// The same problem with at most p + 1 rows per task: for every task with n_k > p + 1, the
    /// centred data [X̃_k ỹ_k] (n_k × (p + 1)) is replaced by √((p + 1)/n_k)·R_k, where R_k is the
    /// (p + 1) × (p + 1) triangular factor of its QR factorisation, the last column becoming the
    /// response. Since [X̃_k ỹ_k]ᵀ[X̃_k ỹ_k] = R_kᵀR_k,
    ///
    ///     (1/n_k)‖ỹ_k − X̃_kβ‖² = (1/(p + 1))‖r_k − R̂_kβ‖²   for every β,
    ///
    /// so F, g(Z) and every fit are unchanged (to rounding), while each pass over a task's rows
    /// costs p + 1 instead of n_k. Means and scales (`preprocessing`) are kept, so coefficients and
    /// intercepts map back to original units as before. Use it for the many fits of a path or a
    /// cross-validation when n_k ≫ p; row-level quantities (residuals, predictions) are not kept.
    public func compressed() -> Instance {
        let p = featureCount
        var out = self
        for k in 0..<taskCount where designs[k].rows > p + 1 {
            let n = designs[k].rows
            var augmented = Matrix(rows: n, columns: p + 1)
            augmented.storage.replaceSubrange(0..<(n * p), with: designs[k].storage)
            augmented.storage.replaceSubrange((n * p)..<(n * (p + 1)), with: responses[k])
            var r = QR.r(augmented)
            Vector.scale((Double(p + 1) / Double(n)).squareRoot(), &r.storage)
            out.designs[k] = Matrix(rows: p + 1, columns: p, columnMajor: Array(r.storage[0..<((p + 1) * p)]))
            out.responses[k] = r.column(p)
        }
        return out
    }
}
