/// The picture of a cross-validation (`cv --plot`): mean cv error ± one standard error against s,
/// one line per (α, δ, λ) combination (the chosen one, the minimum's, and the best others, at most
/// `maxLines`), the 1-SE threshold as a dashed line, and the chosen and minimum points circled.
public enum CrossValidationFigure {
    /// The figure for `scores` (path order, as `CrossValidation.run` returns them).
    public static func figure(_ scores: [CrossValidation.Score], chosen: Int, minimum: Int, rule: SelectionRule,
                              title: String, maxLines: Int = 6) -> SVGFigure {
        struct Key: Hashable { let ridge: Double, zbar: Double, bbar: Double }
        func key(_ p: Penalty) -> Key { Key(ridge: p.ridge, zbar: p.zbar, bbar: p.bbar) }
        var groups: [Key: [Int]] = [:]
        var order: [Key] = []
        for (i, score) in scores.enumerated() where !score.foldErrors.isEmpty {
            let k = key(score.penalty)
            if groups[k] == nil { order.append(k) }
            groups[k, default: []].append(i)
        }
        let best = order.sorted { a, b in
            groups[a]!.map { scores[$0].meanError }.min()! < groups[b]!.map { scores[$0].meanError }.min()!
        }
        var shown = [key(scores[chosen].penalty)]
        for k in [key(scores[minimum].penalty)] + best where !shown.contains(k) && shown.count < maxLines { shown.append(k) }
        var series: [SVGFigure.Series] = shown.map { k in
            let points = groups[k]!.sorted { scores[$0].penalty.sparsity < scores[$1].penalty.sparsity }
            return SVGFigure.Series(name: "α \(short(k.ridge)), δ \(short(k.zbar)), λ \(short(k.bbar))",
                                    x: points.map { Double(scores[$0].penalty.sparsity) }, y: points.map { scores[$0].meanError },
                                    errors: points.map { scores[$0].standardError })
        }
        let sValues = scores.map { Double($0.penalty.sparsity) }
        var threshold = SVGFigure.Series(name: "minimum + 1 SE", x: [sValues.min()!, sValues.max()!],
                                         y: Array(repeating: scores[minimum].meanError + scores[minimum].standardError, count: 2))
        threshold.dashed = true
        threshold.colour = "#555555"
        series.append(threshold)
        var marks: [(String, Int, String)] = [("chosen (\(rule.rawValue))", chosen, "#000000")]
        if minimum != chosen { marks.append(("minimum", minimum, "#17becf")) }
        for (name, index, colour) in marks {
            var mark = SVGFigure.Series(name: "\(name): s = \(scores[index].penalty.sparsity)", x: [sValues[index]], y: [scores[index].meanError])
            mark.markersOnly = true
            mark.colour = colour
            series.append(mark)
        }
        var figure = SVGFigure(title: title, panels: [.lines(title: "cv error (mean ± 1 SE over folds)", xLabel: "s (features per task)",
                                                             yLabel: "mean validation MSE", series: series, logY: false)])
        figure.panelWidth = 560
        figure.panelHeight = 400
        figure.legendWidth = 190
        return figure
    }

    static func short(_ x: Double) -> String { x == 0 ? "0" : String(format: "%.3g", x) }
}
