/// Anything holding per-task designs X_k (n_k × p) with task labels and feature names.
public protocol MultiTaskData {
    /// Task labels, in order of first appearance.
    var taskLabels: [String] { get }
    /// Feature names.
    var featureNames: [String] { get }
    /// Per task: the design X_k.
    var designs: [Matrix] { get }
}

extension MultiTaskData {
    /// Number of tasks K.
    public var taskCount: Int { taskLabels.count }
    /// Number of features p.
    public var featureCount: Int { featureNames.count }
    /// Sample sizes n_k.
    public var sampleCounts: [Int] { designs.map(\.rows) }
}
