import Foundation
import SparseMTL

/// The few lines a person reads after a solve.
struct ResultSummary {
    let instance: Instance
    let result: SolveResult

    var lines: [String] {
        var out = [InstanceSummary(instance).headline]
        let o = result.objective
        out.append(String(format: "%@: %@ in %.3f s, F = %.10g (loss %.6g, ridge %.6g, bbar %.6g, zbar %.6g)",
                          result.method, result.status.rawValue, result.seconds, o.objective, o.loss, o.ridge, o.bbar, o.zbar))
        if let message = result.message { out.append("why: \(message)") }
        if let lb = result.lowerBound, let gap = result.gap {
            out.append(String(format: "lower bound %.10g, gap %.3g%%", lb, 100 * gap))
        }
        out.append(result.counters.map { "\($0.0.replacingOccurrences(of: "_", with: " ")) \($0.1)" }.joined(separator: ", "))
        for (k, label) in instance.taskLabels.enumerated() {
            let names = result.support.indices[k].map { instance.featureNames[$0] }
            let shown = names.prefix(12).joined(separator: " ") + (names.count > 12 ? " … (\(names.count))" : "")
            out.append("  \(label): \(shown.isEmpty ? "(none)" : shown)")
        }
        return out
    }
}
