import Foundation

/// The picture of a path (`path --plot`): for the first (α, δ, λ) combination of the grid, one
/// panel per task (the first `maxTasks`) with each feature's coefficient (original units) against
/// s, for the `maxFeatures` features of that task with the largest |β| anywhere on the path.
public enum PathFigure {
    /// The figure for `points` (path order) of `instance`.
    public static func figure(_ points: [PathPoint], instance: Instance, maxTasks: Int = 4, maxFeatures: Int = 8) -> SVGFigure {
        guard let first = points.first else { return SVGFigure(title: "path of \(instance.name): no point", panels: []) }
        let combination = points.filter {
            $0.penalty.ridge == first.penalty.ridge && $0.penalty.zbar == first.penalty.zbar && $0.penalty.bbar == first.penalty.bbar
        }
        let s = combination.map { Double($0.penalty.sparsity) }
        let original = combination.map { instance.preprocessing.toOriginalUnits($0.result.coefficients) }
        var panels: [SVGFigure.Panel] = []
        for k in 0..<min(maxTasks, instance.taskCount) {
            var sizes: [(feature: Int, size: Double)] = []
            for j in 0..<instance.featureCount {
                let size: Double = original.reduce(0.0) { max($0, abs($1[j, k])) }
                if size > 0 { sizes.append((j, size)) }
            }
            sizes.sort { $0.size > $1.size }
            let series: [SVGFigure.Series] = sizes.prefix(maxFeatures).map { item in
                SVGFigure.Series(name: instance.featureNames[item.feature], x: s, y: original.map { $0[item.feature, k] })
            }
            panels.append(.lines(title: "task \(instance.taskLabels[k])", xLabel: "s (features per task)", yLabel: "coefficient",
                                 series: series, logY: false))
        }
        let p = first.penalty
        var figure = SVGFigure(title: String(format: "Coefficient paths of %@ (α = %.3g, δ = %.3g, λ = %.3g; at most %d features per task shown)",
                                             instance.name, p.ridge, p.zbar, p.bbar, maxFeatures), panels: panels)
        figure.panelWidth = 300
        figure.legendWidth = 60
        figure.legendOutside = true
        return figure
    }
}
