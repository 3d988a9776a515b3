import Foundation

/// The exact solver's log, in the shape users know from MIP solvers: a header repeated every
/// 20 lines, fixed-width columns, and a letter saying where each new incumbent came from.
struct SolverLog {
    let write: ((String) -> Void)?
    /// Receives every log line as a `TracePoint` (already in the data's units).
    let trace: ((TracePoint) -> Void)?
    private var lines = 0

    init(_ write: ((String) -> Void)?, trace: ((TracePoint) -> Void)? = nil) {
        self.write = write
        self.trace = trace
    }

    static let legend = "incumbent sources: H heuristic, R rounding of a fractional point, I integer node, D tasks solved alone put together, C the column-generation master's leading columns, E enumeration of every support, blank: progress"
    static let header = "Src      Time    Nodes     Open    Cuts        Incumbent            Bound       Gap"

    mutating func line(source: Character?, seconds: Double, nodes: Int, open: Int, cuts: Int, incumbent: Double, bound: Double?) {
        trace?(TracePoint(seconds: seconds, nodes: nodes, open: open, cuts: cuts, incumbent: incumbent, bound: bound,
                          source: source.map { String($0) }))
        guard let write else { return }
        if lines % 20 == 0 { write(Self.header) }
        lines += 1
        let gapText: String
        if let bound { gapText = String(format: "%8.3f%%", 100 * max(0, incumbent - bound) / max(abs(incumbent), 1e-10)) } else { gapText = "       --" }
        let boundText = bound.map { String(format: "%16.9g", $0) } ?? String(repeating: " ", count: 14) + "--"
        write(String(format: "%@ %9.2fs %8d %8d %7d %16.9g %@ %@", String(source ?? " ").padding(toLength: 3, withPad: " ", startingAt: 0),
                     seconds, nodes, open, cuts, incumbent, boundText, gapText))
    }

    func note(_ text: String) { write?(text) }
}
