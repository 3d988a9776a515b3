/// The picture of an exact solve (`solve --method exact --plot`): the incumbent F (UB) and the
/// certified lower bound against time, from the solver's trace; a second panel shows the gap.
public enum TraceFigure {
    /// The figure for `points` (time order).
    public static func figure(_ points: [TracePoint], title: String) -> SVGFigure {
        let upper = SVGFigure.Series(name: "incumbent (UB)", x: points.map(\.seconds), y: points.map(\.incumbent))
        let bounded = points.filter { $0.bound != nil }
        let lower = SVGFigure.Series(name: "lower bound", x: bounded.map(\.seconds), y: bounded.map { $0.bound! })
        let gaps = bounded.map { max(0, $0.incumbent - $0.bound!) / max(abs($0.incumbent), 1e-10) }
        let gap = SVGFigure.Series(name: "relative gap", x: bounded.map(\.seconds), y: gaps)
        var figure = SVGFigure(title: title, panels: [
            .lines(title: "bound and incumbent", xLabel: "seconds", yLabel: "F", series: [upper, lower], logY: false),
            .lines(title: "gap", xLabel: "seconds", yLabel: "(UB − LB) / UB", series: [gap], logY: true),
        ])
        figure.legendWidth = 100
        figure.legendOutside = true
        return figure
    }
}
