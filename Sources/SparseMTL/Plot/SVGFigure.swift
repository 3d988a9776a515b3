import Foundation

/// A small SVG figure: panels of heat maps (matrices) and line charts laid out left to right, for
/// the pictures the commands draw (true and learned graphs, coefficient matrices, deviation curves).
/// No dependencies; the file opens in any browser.
public struct SVGFigure: Sendable {
    /// One panel of the figure.
    public enum Panel: Sendable {
        /// A matrix as coloured cells: diverging blue–white–red around 0 when it has negative entries,
        /// white to dark blue otherwise; `scale` fixes the colour range (default: the largest |entry|).
        case heatmap(title: String, matrix: Matrix, rowLabels: [String], columnLabels: [String], scale: Double?)
        /// Curves y(x); `logY` draws y on a log₁₀ axis (non-positive values are skipped).
        case lines(title: String, xLabel: String, yLabel: String, series: [Series], logY: Bool)
    }

    /// One curve of a line chart.
    public struct Series: Sendable {
        public var name: String
        public var x: [Double]
        public var y: [Double]
        /// Half-widths of vertical error bars at each point (y ± e), if any.
        public var errors: [Double]?
        /// Drawn dashed (reference lines).
        public var dashed = false
        /// Drawn as markers only (no line), e.g. chosen points.
        public var markersOnly = false
        /// A fixed colour (default: the palette, by position).
        public var colour: String?
        public init(name: String, x: [Double], y: [Double], errors: [Double]? = nil) {
            self.name = name
            self.x = x
            self.y = y
            self.errors = errors
        }
    }

    public var title: String
    public var panels: [Panel]
    public var panelWidth = 360.0
    public var panelHeight = 360.0
    /// Room for the legend inside the top right of a line chart (or right of it).
    public var legendWidth = 150.0
    /// Draw line charts' legends right of the panel, outside the data.
    public var legendOutside = false

    public init(title: String, panels: [Panel]) {
        self.title = title
        self.panels = panels
    }

    static let palette = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]

    /// The SVG text.
    public var svg: String {
        let margin = 72.0, top = 48.0
        let gap = margin + (legendOutside ? legendWidth : 0)
        let width = Double(panels.count) * (panelWidth + gap) + margin
        let height = top + panelHeight + 70
        var out = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(f(width))" height="\(f(height))" font-family="Helvetica, Arial, sans-serif" font-size="11">
        <rect width="100%" height="100%" fill="white"/>
        <text x="\(f(width / 2))" y="22" text-anchor="middle" font-size="15">\(escape(title))</text>

        """
        for (index, panel) in panels.enumerated() {
            let x0 = margin + Double(index) * (panelWidth + gap)
            switch panel {
            case let .heatmap(title, matrix, rowLabels, columnLabels, scale):
                out += heatmap(title, matrix, rowLabels, columnLabels, scale, x0: x0, y0: top)
            case let .lines(title, xLabel, yLabel, series, logY):
                out += lines(title, xLabel, yLabel, series, logY, x0: x0, y0: top)
            }
        }
        return out + "</svg>\n"
    }

    private func heatmap(_ title: String, _ m: Matrix, _ rowLabels: [String], _ columnLabels: [String], _ scale: Double?,
                         x0: Double, y0: Double) -> String {
        var out = panelTitle(title, x0: x0, y0: y0)
        guard m.rows > 0, m.columns > 0 else { return out }
        let signed = m.storage.contains { $0 < 0 }
        let range = scale ?? max(m.storage.map(abs).max() ?? 0, 1e-300)
        let cellW = panelWidth / Double(m.columns), cellH = panelHeight / Double(m.rows)
        for i in 0..<m.rows {
            for j in 0..<m.columns {
                let t = max(-1, min(1, m[i, j] / range))
                out += "<rect x=\"\(f(x0 + Double(j) * cellW))\" y=\"\(f(y0 + Double(i) * cellH))\" width=\"\(f(cellW + 0.3))\" height=\"\(f(cellH + 0.3))\" fill=\"\(color(t, signed: signed))\"/>\n"
            }
        }
        out += "<rect x=\"\(f(x0))\" y=\"\(f(y0))\" width=\"\(f(panelWidth))\" height=\"\(f(panelHeight))\" fill=\"none\" stroke=\"#444\"/>\n"
        if rowLabels.count == m.rows && m.rows <= 40 {
            for (i, label) in rowLabels.enumerated() {
                out += "<text x=\"\(f(x0 - 4))\" y=\"\(f(y0 + (Double(i) + 0.5) * cellH + 4))\" text-anchor=\"end\">\(escape(label))</text>\n"
            }
        }
        if columnLabels.count == m.columns && m.columns <= 40 {
            for (j, label) in columnLabels.enumerated() {
                out += "<text x=\"\(f(x0 + (Double(j) + 0.5) * cellW))\" y=\"\(f(y0 + panelHeight + 14))\" text-anchor=\"middle\">\(escape(label))</text>\n"
            }
        }
        // Colour bar: the scale from its low end to its high end, labelled at the ends (and 0).
        let barWidth = min(panelWidth * 0.8, 240), barX = x0 + (panelWidth - barWidth) / 2, barY = y0 + panelHeight + 22
        let steps = 48
        for i in 0..<steps {
            let t = signed ? -1 + 2 * (Double(i) + 0.5) / Double(steps) : (Double(i) + 0.5) / Double(steps)
            out += "<rect x=\"\(f(barX + Double(i) * barWidth / Double(steps)))\" y=\"\(f(barY))\" width=\"\(f(barWidth / Double(steps) + 0.3))\" height=\"8\" fill=\"\(color(t, signed: signed))\"/>\n"
        }
        out += "<rect x=\"\(f(barX))\" y=\"\(f(barY))\" width=\"\(f(barWidth))\" height=\"8\" fill=\"none\" stroke=\"#888\"/>\n"
        let labels = signed ? [(barX, "−\(g(range))", "start"), (barX + barWidth / 2, "0", "middle"), (barX + barWidth, "+\(g(range))", "end")]
            : [(barX, "0", "start"), (barX + barWidth, g(range), "end")]
        for (x, text, anchor) in labels {
            out += "<text x=\"\(f(x))\" y=\"\(f(barY + 20))\" text-anchor=\"\(anchor)\" fill=\"#444\">\(escape(text))</text>\n"
        }
        return out
    }

    private func color(_ t: Double, signed: Bool) -> String {
        func mix(_ a: (Double, Double, Double), _ b: (Double, Double, Double), _ s: Double) -> String {
            let c = [a.0 + (b.0 - a.0) * s, a.1 + (b.1 - a.1) * s, a.2 + (b.2 - a.2) * s].map { Int(($0 * 255).rounded()) }
            return String(format: "#%02x%02x%02x", c[0], c[1], c[2])
        }
        let white = (1.0, 1.0, 1.0), blue = (0.13, 0.30, 0.65), red = (0.75, 0.12, 0.12)
        if !signed { return mix(white, blue, max(0, t)) }
        return t < 0 ? mix(white, blue, -t) : mix(white, red, t)
    }

    private func lines(_ title: String, _ xLabel: String, _ yLabel: String, _ series: [Series], _ logY: Bool,
                       x0: Double, y0: Double) -> String {
        var out = panelTitle(title, x0: x0, y0: y0)
        func ty(_ y: Double) -> Double? { logY ? (y > 0 ? log10(y) : nil) : (y.isFinite ? y : nil) }
        let xs = series.flatMap(\.x).filter(\.isFinite)
        let ys = series.flatMap { s in s.y.indices.flatMap { i -> [Double] in
            let e = s.errors?[i] ?? 0
            return [s.y[i] - e, s.y[i] + e].compactMap(ty)
        } }
        guard let xMin = xs.min(), let xMax = xs.max(), let yMinRaw = ys.min(), let yMaxRaw = ys.max() else { return out }
        let pad = max((yMaxRaw - yMinRaw) * 0.05, 1e-12)
        let (yMin, yMax) = (yMinRaw - pad, yMaxRaw + pad)
        let xSpan = max(xMax - xMin, 1e-300), ySpan = max(yMax - yMin, 1e-300)
        func px(_ x: Double) -> Double { x0 + (x - xMin) / xSpan * panelWidth }
        func py(_ y: Double) -> Double { y0 + panelHeight - (y - yMin) / ySpan * panelHeight }
        out += "<rect x=\"\(f(x0))\" y=\"\(f(y0))\" width=\"\(f(panelWidth))\" height=\"\(f(panelHeight))\" fill=\"none\" stroke=\"#444\"/>\n"
        let yTicks = logY ? Self.logTicks(yMin, yMax) : Self.ticks(yMin, yMax)
        let yLabels = Self.distinctLabels(yTicks.map { logY ? pow(10, $0) : $0 })
        // The axis label sits left of the widest tick label (about 6.5 px per character at 11 px).
        let labelOffset = 18 + 6.5 * Double(yLabels.map(\.count).max() ?? 4)
        for (yv, yText) in zip(yTicks, yLabels) {
            out += "<line x1=\"\(f(x0))\" x2=\"\(f(x0 + panelWidth))\" y1=\"\(f(py(yv)))\" y2=\"\(f(py(yv)))\" stroke=\"#ddd\"/>\n"
            out += "<text x=\"\(f(x0 - 4))\" y=\"\(f(py(yv) + 4))\" text-anchor=\"end\">\(yText)</text>\n"
        }
        for xv in Self.ticks(xMin, xMax) {
            out += "<text x=\"\(f(px(xv)))\" y=\"\(f(y0 + panelHeight + 14))\" text-anchor=\"middle\">\(g(xv))</text>\n"
        }
        out += "<text x=\"\(f(x0 + panelWidth / 2))\" y=\"\(f(y0 + panelHeight + 32))\" text-anchor=\"middle\">\(escape(xLabel))</text>\n"
        out += "<text transform=\"translate(\(f(x0 - labelOffset)),\(f(y0 + panelHeight / 2))) rotate(-90)\" text-anchor=\"middle\">\(escape(yLabel))\(logY ? " (log scale)" : "")</text>\n"
        for (index, s) in series.enumerated() {
            let colour = s.colour ?? Self.palette[index % Self.palette.count]
            if let errors = s.errors {
                for i in s.x.indices {
                    guard let low = ty(s.y[i] - errors[i]), let high = ty(s.y[i] + errors[i]) else { continue }
                    out += "<line x1=\"\(f(px(s.x[i])))\" x2=\"\(f(px(s.x[i])))\" y1=\"\(f(py(low)))\" y2=\"\(f(py(high)))\" stroke=\"\(colour)\" stroke-opacity=\"0.5\"/>\n"
                }
            }
            let points = zip(s.x, s.y).compactMap { x, y in ty(y).map { "\(f(px(x))),\(f(py($0)))" } }
            if points.count > 1 && !s.markersOnly {
                out += "<polyline fill=\"none\" stroke=\"\(colour)\" stroke-width=\"1.6\"\(s.dashed ? " stroke-dasharray=\"5,4\"" : "") points=\"\(points.joined(separator: " "))\"/>\n"
            } else {
                for point in points {
                    let xy = point.split(separator: ",")
                    out += "<circle cx=\"\(xy[0])\" cy=\"\(xy[1])\" r=\"\(s.markersOnly ? 5 : 3)\" fill=\"\(s.markersOnly ? "none" : colour)\" stroke=\"\(colour)\" stroke-width=\"2\"/>\n"
                }
            }
            let ly = y0 + 14 + Double(index) * 15
            let lx = legendOutside ? x0 + panelWidth + 8 : x0 + panelWidth - legendWidth
            if s.markersOnly {
                out += "<circle cx=\"\(f(lx + 10))\" cy=\"\(f(ly - 4))\" r=\"4\" fill=\"none\" stroke=\"\(colour)\" stroke-width=\"2\"/>\n"
            } else {
                out += "<line x1=\"\(f(lx))\" x2=\"\(f(lx + 20))\" y1=\"\(f(ly - 4))\" y2=\"\(f(ly - 4))\" stroke=\"\(colour)\" stroke-width=\"2\"\(s.dashed ? " stroke-dasharray=\"5,4\"" : "")/>\n"
            }
            out += "<text x=\"\(f(lx + 24))\" y=\"\(f(ly))\">\(escape(s.name))</text>\n"
        }
        return out
    }

    /// A panel's title, centred over it, in a font small enough that it fits the panel and half of
    /// each margin (about 0.55 em per character).
    private func panelTitle(_ title: String, x0: Double, y0: Double) -> String {
        let room = panelWidth + 60
        let size = min(13, max(7, room / (0.55 * Double(max(title.count, 1)))))
        return "<text x=\"\(f(x0 + panelWidth / 2))\" y=\"\(f(y0 - 8))\" text-anchor=\"middle\" font-size=\"\(f(size))\">\(escape(title))</text>\n"
    }

    /// Tick labels with 3 significant digits, or more when fewer would print two ticks alike.
    static func distinctLabels(_ values: [Double]) -> [String] {
        for digits in 3...8 {
            let labels = values.map { String(format: "%.\(digits)g", $0) }
            if Set(labels).count == labels.count { return labels }
        }
        return values.map { String(format: "%.8g", $0) }
    }

    /// Round tick values in [a, b]: multiples of 1, 2 or 5 × 10^k, about `count` of them.
    static func ticks(_ a: Double, _ b: Double, count: Int = 5) -> [Double] {
        guard b > a else { return [a] }
        let raw = (b - a) / Double(count)
        let power = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= raw } ?? 10 * power
        let first = (a / step).rounded(.up)
        // Multiples of the step; a zero that rounding made −0 or 1e-17 is written as 0.
        return stride(from: first, through: (b / step).rounded(.down), by: 1).map { $0 == 0 ? 0 : $0 * step }
    }

    /// Ticks of a log₁₀ axis spanning [a, b] (in log₁₀ units): the powers of 10 inside, with 2× and
    /// 5× added when fewer than three fit, and round linear ticks when even those do not.
    static func logTicks(_ a: Double, _ b: Double) -> [Double] {
        let powers: [Double] = Array(stride(from: ceil(a), through: floor(b), by: 1.0))
        if powers.count >= 3 { return powers }
        let offsets: [Double] = [0, log10(2.0), log10(5.0)]
        var more: [Double] = []
        for k in stride(from: floor(a), through: ceil(b), by: 1.0) {
            for offset in offsets where k + offset >= a && k + offset <= b { more.append(k + offset) }
        }
        if more.count >= 3 { return more }
        return ticks(pow(10, a), pow(10, b)).filter { $0 > 0 }.map { log10($0) }
    }

    private func f(_ x: Double) -> String { String(format: "%.2f", x) }
    private func g(_ x: Double) -> String { String(format: "%.3g", x) }
    private func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
    }
}
