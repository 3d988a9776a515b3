/// One line of the exact solver's machine-readable trace (`solve --trace FILE.jsonl`): the state
/// of the search when the log writes a line (every new incumbent and every log interval), in the
/// data's own units (the solver's internal scaling undone).
public struct TracePoint: Sendable, Equatable {
    /// Seconds since the solve started.
    public var seconds: Double
    /// Branch-and-bound nodes so far, and open nodes.
    public var nodes: Int, open: Int
    /// Cuts in the pool.
    public var cuts: Int
    /// F of the incumbent (UB).
    public var incumbent: Double
    /// The certified lower bound, if any yet.
    public var bound: Double?
    /// Where a new incumbent came from (the log's letter), nil for a progress line.
    public var source: String?

    public init(seconds: Double, nodes: Int, open: Int, cuts: Int, incumbent: Double, bound: Double? = nil, source: String? = nil) {
        self.seconds = seconds
        self.nodes = nodes
        self.open = open
        self.cuts = cuts
        self.incumbent = incumbent
        self.bound = bound
        self.source = source
    }

    /// The point with F values multiplied by `factor` (back to the data's units).
    func scaled(by factor: Double) -> TracePoint {
        var point = self
        point.incumbent *= factor
        point.bound = bound.map { $0 * factor }
        return point
    }

    /// The point as one JSON object (a line of JSONL).
    public var json: JSONValue {
        .object([("seconds", .number(seconds)), ("nodes", .int(nodes)), ("open", .int(open)), ("cuts", .int(cuts)),
                 ("incumbent", .number(incumbent)), ("bound", .number(bound)), ("source", source.map { .string($0) } ?? .null)])
    }
}
