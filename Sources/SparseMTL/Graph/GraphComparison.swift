/// How well a learned task graph matches a true one: edge recovery (an edge is a positive weight)
/// and the relative error of the Laplacian, ‖L̂ − L‖_F / ‖L‖_F.
public struct GraphComparison: Sendable {
    /// Edge recovery: learned edges are the selection, true edges the relevant ones.
    public var edges: SupportRecovery
    public var relativeError: Double

    public var truePositives: Int { edges.truePositives }
    public var learnedEdges: Int { edges.selected }
    public var trueEdges: Int { edges.relevant }
    /// Fraction of learned edges that are true edges (1 when nothing is learned).
    public var precision: Double { edges.precision }
    /// Fraction of true edges that are learned (1 when there are none).
    public var recall: Double { edges.recall }

    /// Compares `learned` with `truth` (same K).
    public init(learned: TaskGraph, truth: TaskGraph) {
        precondition(learned.taskCount == truth.taskCount, "GraphComparison: graphs over different task counts")
        let a = learned.weightMatrix, b = truth.weightMatrix
        var tp = 0, nl = 0, nt = 0
        for k in 0..<a.rows {
            for l in (k + 1)..<a.columns {
                let (x, y) = (a[k, l] > 0, b[k, l] > 0)
                if x { nl += 1 }
                if y { nt += 1 }
                if x && y { tp += 1 }
            }
        }
        let la = learned.laplacian, lb = truth.laplacian
        var diff = 0.0, norm = 0.0
        for (x, y) in zip(la.storage, lb.storage) { diff += (x - y) * (x - y); norm += y * y }
        edges = SupportRecovery(truePositives: tp, selected: nl, relevant: nt)
        relativeError = norm > 0 ? (diff / norm).squareRoot() : diff.squareRoot()
    }
}
