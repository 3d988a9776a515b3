/// How well a selection recovers the true one — a support entry by entry over (j, k), or a graph's
/// edges (`GraphComparison`): precision, recall and F1 = 2·precision·recall / (precision + recall).
public struct SupportRecovery: Sendable, Equatable {
    public var truePositives: Int
    public var selected: Int
    public var relevant: Int

    /// From counts: `truePositives` of `selected` items are among the `relevant` ones.
    public init(truePositives: Int, selected: Int, relevant: Int) {
        self.truePositives = truePositives
        self.selected = selected
        self.relevant = relevant
    }

    /// Compares `support` with `truth` (same K).
    public init(_ support: Support, truth: Support) {
        precondition(support.taskCount == truth.taskCount, "SupportRecovery: supports over different task counts")
        truePositives = zip(support.indices, truth.indices).reduce(0) { $0 + Set($1.0).intersection($1.1).count }
        selected = support.indices.reduce(0) { $0 + $1.count }
        relevant = truth.indices.reduce(0) { $0 + $1.count }
    }

    /// TP / selected (1 when nothing is selected).
    public var precision: Double { selected == 0 ? 1 : Double(truePositives) / Double(selected) }
    /// TP / relevant (1 when nothing is relevant).
    public var recall: Double { relevant == 0 ? 1 : Double(truePositives) / Double(relevant) }
    /// The harmonic mean of precision and recall (0 when both are 0).
    public var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }
}
