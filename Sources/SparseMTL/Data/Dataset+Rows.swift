extension Dataset {
    /// The dataset restricted to the given rows of each task (0-based, per task), in that order.
    public func rows(_ selected: [[Int]]) -> Dataset {
        precondition(selected.count == taskCount, "Dataset.rows: one row list per task")
        var designs: [Matrix] = [], responses: [[Double]] = []
        for k in 0..<taskCount {
            let x = self.designs[k]
            var part = Matrix(rows: selected[k].count, columns: featureCount)
            for j in 0..<featureCount { for (r, i) in selected[k].enumerated() { part[r, j] = x[i, j] } }
            designs.append(part)
            responses.append(selected[k].map { self.responses[k][$0] })
        }
        return Dataset(source: source, taskLabels: taskLabels, featureNames: featureNames, designs: designs, responses: responses)
    }

    /// Mean squared prediction error per task, (1/n_k)‖y_k − b0_k − X_k β_k‖², for coefficients B
    /// (p × K) and intercepts b0 in original units; only the columns of nonzero β_jk are read.
    /// A task without rows gets 0.
    public func meanSquaredErrors(coefficients b: Matrix, intercepts: [Double]) -> [Double] {
        (0..<taskCount).map { k in
            let n = designs[k].rows
            guard n > 0 else { return 0 }
            var residual = responses[k].map { $0 - intercepts[k] }
            for j in 0..<featureCount where b[j, k] != 0 {
                Vector.axpy(-b[j, k], designs[k].storage, from: n * j, &residual)
            }
            return Vector.dot(residual, residual) / Double(n)
        }
    }
}
