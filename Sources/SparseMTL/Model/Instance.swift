/// A problem ready to solve: the centred (and possibly standardised) per-task data, the penalty
/// and the task graph. Everything a solver or the objective needs, on the model's scale.
public struct Instance: MultiTaskData, Sendable {
    /// A short name (the instance file's name, or the data file's).
    public var name: String
    /// The data file.
    public var dataSource: String
    /// Task labels in order of first appearance.
    public var taskLabels: [String]
    /// Feature names.
    public var featureNames: [String]
    /// X̃_k: centred (and scaled) designs, n_k × p.
    public var designs: [Matrix]
    /// ỹ_k: centred responses.
    public var responses: [[Double]]
    /// The penalty (s, α, λ, δ, M).
    public var penalty: Penalty
    /// The task graph w.
    public var graph: TaskGraph
    /// Means and scales, to map coefficients back to original units and report intercepts.
    public var preprocessing: Preprocessing
    /// The truth coefficient file of a synthetic instance, if any.
    public var truthPath: String?
    /// The SHA-256 of the data file (nil for data not read from a file), and the names of its task
    /// and response columns: what a model file records of the data it was fitted on.
    public var dataSHA256: String?
    public var taskColumn = "task", responseColumn = "y"
    /// d_k per task: the exact solver's split of each task's Gram matrix for its relaxation
    /// (`PerspectiveShift`, shifted cuts of `DualPoint`). It does not change F; nil for none.
    public var perspectiveShifts: [Double]? = nil
    /// M̂: a box |β_jk| ≤ M̂ the exact solver's dual bounds may assume (`ImpliedBox`), because every B
    /// at least as good as a known incumbent lies in it. It does not change F or the fits; nil for none.
    public var impliedBox: Double? = nil

    /// The box the dual bounds use (φ of `CutBuilder`): the smaller of the penalty's M and M̂, nil for neither.
    public var boundBox: Double? {
        switch (penalty.bigM, impliedBox) {
        case let (m?, implied?): return min(m, implied)
        case let (m, implied): return m ?? implied
        }
    }

    /// Builds an instance from raw data: centres (and standardises) it and checks the penalty
    /// and the graph fit the data.
    /// - Throws: `InputError` for an invalid penalty or a graph over another number of tasks.
    public init(name: String, dataset: Dataset, penalty: Penalty, graph: TaskGraph? = nil,
                standardize: Bool = false, truthPath: String? = nil, penaltySource: String) throws {
        try penalty.validate(source: penaltySource)
        // s ≥ p constrains nothing: s = p is the same problem, and no size computed from s can overflow.
        var penalty = penalty
        penalty.sparsity = min(penalty.sparsity, dataset.featureCount)
        let graph = graph ?? .complete(taskCount: dataset.taskCount)
        guard graph.taskCount == dataset.taskCount else {
            throw InputError(file: graph.origin, "task graph has \(graph.taskCount) tasks, the data has \(dataset.taskCount)")
        }
        let (pre, designs, responses) = Preprocessing.fit(dataset, standardize: standardize)
        self.name = name
        self.dataSource = dataset.source
        self.taskLabels = dataset.taskLabels
        self.featureNames = dataset.featureNames
        self.designs = designs
        self.responses = responses
        self.penalty = penalty
        self.graph = graph
        self.preprocessing = pre
        self.truthPath = truthPath
        self.dataSHA256 = dataset.sha256
        self.taskColumn = dataset.taskColumn
        self.responseColumn = dataset.responseColumn
    }
}

extension Instance {
    /// Task k alone, with λ = δ = 0: the K = 1 problem min g_k(z_k) over |z_k| ≤ s that the exact
    /// solver's task decomposition bounds (`TaskDecomposition`).
    public func task(_ k: Int) -> Instance {
        var single = self
        single.name = "\(name)[\(taskLabels[k])]"
        single.taskLabels = [taskLabels[k]]
        single.designs = [designs[k]]
        single.responses = [responses[k]]
        single.penalty.bbar = 0
        single.penalty.zbar = 0
        single.graph = .complete(taskCount: 1)
        single.preprocessing.featureMeans = [preprocessing.featureMeans[k]]
        single.preprocessing.responseMeans = [preprocessing.responseMeans[k]]
        single.perspectiveShifts = perspectiveShifts.map { [$0[k]] }
        return single
    }
}

extension Instance {
    /// F₀ = F(B = 0) = Σ_k ‖ỹ_k‖²/n_k: the problem's scale, the floor of relative tolerances.
    public var nullObjective: Double {
        zip(responses, designs).reduce(0.0) { $0 + Vector.dot($1.0, $1.0) / Double($1.1.rows) }
    }
}
