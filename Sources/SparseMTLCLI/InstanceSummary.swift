import Foundation
import SparseMTL

/// Readable one-line and multi-line descriptions of an instance for the terminal.
struct InstanceSummary {
    let instance: Instance

    init(_ instance: Instance) { self.instance = instance }

    /// "instance NAME: K tasks, p features, n = …; s = …, α = …, λ = …, δ = …, M = …; graph".
    var headline: String {
        let n = instance.sampleCounts
        let sizes = Set(n).count == 1 ? "n = \(n[0]) per task" : "n = \(n.min()!)…\(n.max()!) per task (\(n.reduce(0, +)) rows)"
        return "instance \(instance.name): K = \(instance.taskCount) task\(instance.taskCount == 1 ? "" : "s"), "
            + "p = \(instance.featureCount), \(sizes); \(penalty); \(instance.graph.origin)"
            + (instance.preprocessing.standardized ? "; standardised" : "")
    }

    /// "s = 5, α = 0.1, λ = 0, δ = 0.1" (and "M = …" with a box).
    var penalty: String {
        let p = instance.penalty
        return "s = \(p.sparsity), α = \(g(p.ridge)), λ = \(g(p.bbar)), δ = \(g(p.zbar))" + (p.bigM.map { ", M = \(g($0))" } ?? "")
    }

    private func g(_ x: Double) -> String { String(format: "%g", x) }
}
