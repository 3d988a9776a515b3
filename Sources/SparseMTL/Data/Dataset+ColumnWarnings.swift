import Foundation

extension Dataset {
    /// Warnings about feature columns that look like identifiers rather than measurements: a name
    /// such as `id` or `…_id`, or whole numbers that never repeat within any task (row numbers,
    /// record ids). Such a column would silently become a feature; `--drop` or `--features` say so.
    public func identifierWarnings() -> [String] {
        var warnings: [String] = []
        for (j, name) in featureNames.enumerated() {
            let lower = name.lowercased()
            if lower == "id" || lower.hasSuffix("_id") || lower == "index" || lower == "row" {
                warnings.append("feature column '\(name)' is named like an identifier; use --drop \(name) if it is not a measurement")
                continue
            }
            guard sampleCounts.allSatisfy({ $0 >= 10 }) else { continue }
            let distinctWholeNumbers = designs.allSatisfy { x in
                var seen = Set<Double>()
                for i in 0..<x.rows {
                    let v = x[i, j]
                    if v != v.rounded() || !seen.insert(v).inserted { return false }
                }
                return true
            }
            if distinctWholeNumbers {
                warnings.append("feature column '\(name)' holds whole numbers that never repeat within a task, like an identifier; use --drop \(name) if it is not a measurement")
            }
        }
        return warnings
    }
}
