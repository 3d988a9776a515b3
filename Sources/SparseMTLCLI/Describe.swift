import ArgumentParser
import Foundation
import SparseMTL

/// `sparsemtl describe`: reads a problem and summarises it (and how fast it was read).
struct Describe: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read a problem and summarise it: tasks, sizes, constant features, penalty, task graph, read speed."
    )

    @OptionGroup var problem: ProblemOptions

    func run() throws {
        let start = Date()
        let definition = try problem.problemDefinition()
        let seconds = Date().timeIntervalSince(start)  // the reader alone: file to data, checksum included
        let instance = try problem.instance(of: definition)
        let centring = Date().timeIntervalSince(start) - seconds
        let summary = InstanceSummary(instance)
        print(summary.headline)
        print("task".padding(toLength: 16, withPad: " ", startingAt: 0) + "      n       mean y   constant features")
        for k in 0..<instance.taskCount {
            let x = instance.designs[k]
            let constant = (0..<instance.featureCount).filter { j in (0..<x.rows).allSatisfy { x[$0, j] == 0 } }
            let label = instance.taskLabels[k]
            print(label.padding(toLength: 16, withPad: " ", startingAt: 0)
                  + String(format: "%7d %12.6g   ", x.rows, instance.preprocessing.responseMeans[k])
                  + (constant.isEmpty ? "none" : constant.prefix(8).map { instance.featureNames[$0] }.joined(separator: ", ")
                     + (constant.count > 8 ? " … (\(constant.count))" : "")))
        }
        print("task graph: \(instance.graph.origin), \(instance.graph.edges.count) edge\(instance.graph.edges.count == 1 ? "" : "s")")
        let numbers = instance.sampleCounts.reduce(0, +) * (instance.featureCount + 1)
        let bytes = (try? FileManager.default.attributesOfItem(atPath: instance.dataSource)[.size] as? Int) ?? 0
        print(String(format: "read %d numbers (%.1f MB) in %.3f s: %.1f million numbers/s, %.0f MB/s; centred in %.3f s",
                     numbers, Double(bytes) / 1e6, seconds, Double(numbers) / seconds / 1e6, Double(bytes) / seconds / 1e6, centring))
    }
}
