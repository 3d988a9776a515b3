import Foundation

/// What an exact solve proves, in a form anyone can recheck (DESIGN.md section 5): the problem,
/// the incumbent (B, Z) with its F (the upper bound), the lower bound, and every cut with the dual
/// point it came from. `Verifier` recomputes all of it from the data; the master MILP with every cut
/// is also written as MPS beside the certificate for any MILP solver.
public struct Certificate: Sendable {
    public static let format = "sparsemtl-certificate-1"

    /// The problem: data file (absolute path here; written relative to the certificate's folder),
    /// its SHA-256, columns, standardisation, penalty, task graph.
    public var dataPath: String
    public var dataSHA256: String?
    public var taskColumn: String
    public var responseColumn: String
    /// Shared-design response columns, chosen and dropped feature columns, when the data was read so.
    public var responseColumns: [String]?, featureColumns: [String]?, droppedColumns: [String] = []
    public var standardize: Bool
    public var penalty: Penalty
    /// The graph's edges by task label (embedded, so the graph file is not needed).
    public var edges: [(String, String, Double)]
    public var graphOrigin: String
    public var taskLabels: [String]
    /// Z and B (original units) of the incumbent.
    public var support: Support
    public var coefficients: Matrix
    public var upperBound: Double
    public var lowerBound: Double
    public var status: String
    public var zbarEncoding: ZbarEncoding?
    /// The δ of the master's Zbar term (at most the penalty's, in the master's units).
    public var masterZbarWeight: Double
    /// Every cut: the task (nil for aggregated), the constant, the φ-coefficients and the dual point.
    public var cuts: [Cut]
    /// The task-bound rows of the master (task decomposition), each proved by its task's cuts.
    public var taskBounds: [TaskBound]
    /// The units of the cuts, task bounds and master (`ProblemScaling`): the bounds are stated in the
    /// data's units, the master's values are theirs divided by t².
    public var scaling: ProblemScaling
    /// d_k of the shifted cuts, in the master's units (`PerspectiveShift`); nil for none.
    public var perspectiveShifts: [Double]?
    /// M̂ of the dual bounds, in the master's units (`ImpliedBox`); nil for none.
    public var impliedBox: Double?
    /// The MPS file of the final master, relative to the certificate's folder.
    public var masterFile: String?
    public var versions: [(String, String)]

    /// The certificate of an exact solve of `instance` (read from `definition`).
    public init(definition: ProblemDefinition, instance: Instance, outcome: ExactSolver.Outcome, masterFile: String?,
                versions: [(String, String)]) {
        dataPath = URL(fileURLWithPath: definition.dataset.source).standardizedFileURL.path
        dataSHA256 = definition.dataset.sha256
        taskColumn = definition.taskColumn
        responseColumn = definition.responseColumn
        responseColumns = definition.reader.responseColumns
        featureColumns = definition.reader.featureColumns
        droppedColumns = definition.reader.droppedColumns
        standardize = definition.standardize
        penalty = instance.penalty
        edges = instance.graph.edges.map { (instance.taskLabels[$0.k], instance.taskLabels[$0.l], $0.weight) }
        graphOrigin = instance.graph.origin
        taskLabels = instance.taskLabels
        support = outcome.result.support
        coefficients = instance.preprocessing.toOriginalUnits(outcome.result.coefficients)
        upperBound = outcome.result.objective.objective
        lowerBound = outcome.result.lowerBound ?? -.infinity
        status = outcome.result.status.rawValue
        zbarEncoding = outcome.zbarEncoding
        masterZbarWeight = outcome.masterZbarWeight
        cuts = outcome.cuts
        taskBounds = outcome.taskBounds
        scaling = outcome.scaling
        perspectiveShifts = outcome.perspectiveShifts
        impliedBox = outcome.impliedBox
        self.masterFile = masterFile
        self.versions = versions
    }

    /// Writes the certificate to `path` and the final master (every cut as a row) as free MPS beside
    /// it, `path` without `.json` + `.master.mps`; both are written whole or not at all.
    public static func write(definition: ProblemDefinition, instance: Instance, outcome: ExactSolver.Outcome,
                             versions: [(String, String)], to path: String) throws {
        let base = path.hasSuffix(".json") ? String(path.dropLast(5)) : path
        let mpsPath = base + ".master.mps"
        let master = try Master.final(outcome.scaling.apply(to: instance), encoding: outcome.zbarEncoding, cuts: outcome.cuts, taskBounds: outcome.taskBounds,
                                      zbarWeight: outcome.masterZbarWeight)
        // No master without its certificate: until the certificate is in place, the master is
        // removed if its write fails and, like a temporary file, on a second Ctrl-C or SIGTERM.
        // It is registered before it is written: registered after, a signal in between (the test
        // sends it the moment the file appears) left the master without its certificate.
        let pending = TemporaryFiles.register(mpsPath)
        defer { TemporaryFiles.unregister(pending) }
        try master.problem.writeMPS(to: mpsPath)
        let certificate = Certificate(definition: definition, instance: instance, outcome: outcome,
                                      masterFile: (mpsPath as NSString).lastPathComponent, versions: versions)
        do {
            try FileIO.writeAtomically(certificate.json(folder: (path as NSString).deletingLastPathComponent).text, to: path)
        } catch {
            unlink(mpsPath)
            throw error
        }
    }

    /// The certificate as JSON, with the data's path relative to `folder` (the certificate's).
    public func json(folder: String) -> JSONValue {
        func numbers(_ values: [Double]) -> JSONValue { .array(values.map { .number($0) }) }
        return .object([
            ("format", .string(Self.format)),
            ("versions", .object(versions.map { ($0.0, .string($0.1)) })),
            ("problem", .object([
                ("data", .string(FileIO.relativePath(dataPath, from: folder))), ("data_sha256", dataSHA256.map { .string($0) } ?? .null),
                ("task_column", .string(taskColumn)), ("response_column", .string(responseColumn)),
                ("responses", responseColumns.map { .array($0.map { .string($0) }) } ?? .null),
                ("features", featureColumns.map { .array($0.map { .string($0) }) } ?? .null),
                ("drop", .array(droppedColumns.map { .string($0) })),
                ("standardize", .bool(standardize)),
                ("penalty", .object([("sparsity", .int(penalty.sparsity)), ("ridge", .number(penalty.ridge)), ("bbar", .number(penalty.bbar)),
                                     ("zbar", .number(penalty.zbar)), ("big_m", .number(penalty.bigM))])),
                ("task_graph", .object([("origin", .string(graphOrigin)),
                                        ("edges", .array(edges.map { .array([.string($0.0), .string($0.1), .number($0.2)]) }))])),
                ("tasks", .array(taskLabels.map { .string($0) })),
            ])),
            ("status", .string(status)),
            ("upper_bound", .number(upperBound)),
            ("lower_bound", .number(lowerBound)),
            ("incumbent", .object([("support", .array(support.indices.map { .array($0.map { .int($0) }) })),
                                   ("coefficients", .rows(coefficients))])),
            ("scaling", .object([("response", .number(scaling.response)), ("features", .number(scaling.features))])),
            ("perspective_shifts", perspectiveShifts.map(numbers) ?? .null),
            ("implied_box", .number(impliedBox)),
            ("master", .object([("zbar_encoding", zbarEncoding.map { .string($0.rawValue) } ?? .null),
                                ("zbar_weight", .number(masterZbarWeight)),
                                ("mps", masterFile.map { .string($0) } ?? .null),
                                ("objective_sense", .string("minimize"))])),
            ("cuts", .array(cuts.map { Self.json($0) })),
            ("task_bounds", .array(taskBounds.map { bound in
                .object([("task", .int(bound.task)), ("bound", .number(bound.bound)), ("costs", numbers(bound.costs))])
            })),
        ])
    }

    /// One cut as the certificate lists it: its numbers and the dual point they come from.
    static func json(_ cut: Cut) -> JSONValue {
        func numbers(_ values: [Double]) -> JSONValue { .array(values.map { .number($0) }) }
        let p = cut.coefficients.rows
        let restriction: JSONValue = cut.dual.restriction.map { r in
            .object([("features", .array(r.features.map { .int($0) })), ("shift", .number(r.shift))])
        } ?? .null
        let dual: JSONValue = .object([("tasks", .array(cut.dual.tasks.map { .int($0) })),
                                       // An anchored point's u is recomputed from its anchor (`DualPoint`).
                                       ("u", cut.dual.anchor == nil ? .array(cut.dual.u.map(numbers)) : .null),
                                       ("b_hat", cut.dual.bHat.map { JSONValue.rows($0) } ?? .null),
                                       ("anchor", cut.dual.anchor.map { .array($0.map(numbers)) } ?? .null),
                                       ("restriction", restriction)])
        return .object([
            ("task", cut.task.map { .int($0) } ?? .null),
            ("constant", .number(cut.constant)),
            ("coefficients", .array((0..<cut.coefficients.columns).filter { k in cut.task == nil || cut.task == k }
                .map { k in numbers((0..<p).map { cut.coefficients[$0, k] }) })),
            ("dual", dual),
        ])
    }
}
