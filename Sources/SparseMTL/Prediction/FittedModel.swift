import Foundation

/// A fitted model as `predict` reads it (DESIGN.md section 5, model file): for every task k an
/// intercept b0_k and coefficients β_k in the data's original units, so a row x of task k is
/// predicted as ŷ = b0_k + xᵀβ_k. Nothing is re-estimated from the data predicted.
///
/// Any fit's result is a model: a `solve` or `relax` result, a `cv` result (its refitted
/// `model`), or one point of a `path` result or of a `relax` γ path (chosen by index).
public struct FittedModel: Sendable {
    /// Task labels, in the training data's order.
    public var taskLabels: [String]
    /// Feature names, in the order of the coefficient rows.
    public var featureNames: [String]
    /// B (p × K), original units.
    public var coefficients: Matrix
    /// b0_k, one per task.
    public var intercepts: [Double]
    /// The training data's task and response column names (the defaults for new data).
    public var taskColumn: String, responseColumn: String
    /// What fitted it, for summaries: method, status and penalty as the file gives them.
    public var summary: String
    /// A tensor-form GenGL fit's feature map: the coefficients are over its q² cells, and new rows
    /// give the base features it maps (nil: the coefficients are over the data's own features).
    public var interactions: InteractionFeatures? = nil

    /// The columns new data must have: the base features of a tensor-form fit, else `featureNames`.
    public var inputFeatures: [String] { interactions?.baseNames ?? featureNames }

    public init(taskLabels: [String], featureNames: [String], coefficients: Matrix, intercepts: [Double],
                taskColumn: String = "task", responseColumn: String = "y", summary: String = "") {
        precondition(coefficients.rows == featureNames.count && coefficients.columns == taskLabels.count
                     && intercepts.count == taskLabels.count, "FittedModel: shapes disagree")
        self.taskLabels = taskLabels
        self.featureNames = featureNames
        self.coefficients = coefficients
        self.intercepts = intercepts
        self.taskColumn = taskColumn
        self.responseColumn = responseColumn
        self.summary = summary
    }

    /// Reads a model file. `point` picks one point (0-based) of a path result, and is refused
    /// for files that hold a single model.
    /// - Throws: `InputError` naming the file and the key that is missing or malformed.
    public static func read(_ path: String, point: Int? = nil) throws -> FittedModel {
        try FittedModel(json: JSONValue.read(path), file: path, point: point)
    }

    /// The model held by a result document (see the type's description).
    public init(json document: JSONValue, file: String, point: Int? = nil) throws {
        // Where the model sits: the document itself, a cv result's "model", or a path's point.
        var object = document
        var location = ""
        if case .object? = document["model"] {
            object = document["model"]!
            location = "\"model\"."
        } else if let key = ["points", "path"].first(where: { document[$0] != nil }), case .array(let points)? = document[key] {
            guard let point else {
                throw InputError(file: file, "a path result holds \(points.count) models: choose one with --point (0 … \(points.count - 1))")
            }
            guard points.indices.contains(point) else {
                throw InputError(file: file, "--point \(point): the path has points 0 … \(points.count - 1)")
            }
            object = points[point]
            location = "\"\(key)\"[\(point)]."
        } else if point != nil {
            throw InputError(file: file, "--point is for path results; this file holds one model")
        }
        func fail(_ key: String, _ why: String) -> InputError { InputError(file: file, "\(location)\(key): \(why)") }
        func strings(_ key: String) throws -> [String] {
            guard case .array(let items)? = object[key] ?? document[key] else {
                throw fail(key, "missing (a model file is the JSON result of solve, relax, path or cv)")
            }
            return try items.enumerated().map { i, item in
                guard case .string(let s) = item else { throw fail("\(key)[\(i)]", "not a string") }
                return s
            }
        }
        let tasks = try strings("tasks")
        let features = try strings("features")
        let kCount = tasks.count, p = features.count
        guard kCount > 0 else { throw fail("tasks", "empty") }
        guard case .array(let rows)? = object["coefficients"] else { throw fail("coefficients", "missing or not an array of p rows") }
        guard rows.count == p else { throw fail("coefficients", "has \(rows.count) rows, the model has p = \(p) features") }
        var b = Matrix(rows: p, columns: kCount)
        for (j, row) in rows.enumerated() {
            guard case .array(let values) = row, values.count == kCount else {
                throw fail("coefficients[\(j)]", "expected \(kCount) numbers (one per task)")
            }
            for (k, value) in values.enumerated() {
                guard let x = value.doubleValue, x.isFinite else { throw fail("coefficients[\(j)][\(k)]", "not a finite number") }
                b[j, k] = x
            }
        }
        guard case .array(let values)? = object["intercepts"], values.count == kCount else {
            throw fail("intercepts", "missing or not \(kCount) numbers (one per task)")
        }
        let intercepts = try values.enumerated().map { k, value -> Double in
            guard let x = value.doubleValue, x.isFinite else { throw fail("intercepts[\(k)]", "not a finite number") }
            return x
        }
        func text(_ key: String) -> String? {
            if case .string(let s)? = object[key] ?? document[key] { return s }
            return nil
        }
        var described = [text("method") ?? (object["gengl"] != nil ? "gengl" : nil), text("status")].compactMap { $0 }
        if case .object(let fields)? = object["penalty"] {
            described.append(fields.filter { $0.1 != .null }.map { "\($0.0) \($0.1.compactText)" }.joined(separator: ", "))
        }
        self.init(taskLabels: tasks, featureNames: features, coefficients: b, intercepts: intercepts,
                  taskColumn: text("task_column") ?? "task", responseColumn: text("response_column") ?? "y",
                  summary: described.joined(separator: "; "))
        if let record = object["interactions"] {
            let map = try InteractionFeatures(json: record, taskCount: kCount, fail: fail)
            guard map.names == features else { throw fail("interactions", "its cells are not the model's features") }
            interactions = map
        }
    }

    /// ŷ for every row of `data` (whose columns follow this model's features), in the data's order.
    /// A tensor-form fit maps each row through `interactions` first.
    public func predict(_ data: PredictionData) -> [Double] {
        let p = inputFeatures.count
        var out = [Double](repeating: 0, count: data.rowCount)
        data.features.withUnsafeBufferPointer { x in
            for i in 0..<data.rowCount {
                let k = data.tasks[i]
                let row = data.rows[i] * p
                if let interactions {
                    out[i] = intercepts[k] + interactions.predict(x, start: row, task: k, coefficients: coefficients)
                    continue
                }
                var value = intercepts[k]
                for j in 0..<p { value += x[row + j] * coefficients[j, k] }
                out[i] = value
            }
        }
        return out
    }
}

/// The test error of predictions: the mean squared error per task, pooled over all rows, and
/// the mean of the per-task errors (the cv criterion of DESIGN.md section 7).
public struct PredictionScore: Sendable {
    /// Per task of the model: (rows, MSE); tasks without rows in the data have 0 rows and MSE nil.
    public var perTask: [(rows: Int, mse: Double?)]
    /// Σ_i (y_i − ŷ_i)² / n over every row.
    public var pooled: Double
    /// The mean over the tasks that have rows of their MSE.
    public var meanOverTasks: Double

    /// Scores `predictions` of `data`, whose responses must be known.
    public init(_ data: PredictionData, predictions: [Double], taskCount: Int) {
        precondition(data.responses != nil && predictions.count == data.rowCount, "PredictionScore: responses needed")
        var sums = [Double](repeating: 0, count: taskCount), counts = [Int](repeating: 0, count: taskCount)
        for (i, y) in data.responses!.enumerated() {
            let e = y - predictions[i]
            sums[data.tasks[i]] += e * e
            counts[data.tasks[i]] += 1
        }
        perTask = zip(sums, counts).map { ($1, $1 > 0 ? $0 / Double($1) : nil) }
        pooled = sums.reduce(0, +) / Double(max(data.rowCount, 1))
        let present = perTask.compactMap(\.mse)
        meanOverTasks = present.reduce(0, +) / Double(max(present.count, 1))
    }
}

extension Instance {
    /// What a result records of the data and build it came from, so that the result is a model
    /// file (DESIGN.md section 5): the sparsemtl version, the data file and its SHA-256, its task
    /// and response columns, and the standardisation (the scales d_j of section 1, when used).
    public var modelRecord: [(String, JSONValue)] {
        [("sparsemtl_version", .string(SparseMTLVersion.string)), ("data", .string(dataSource)),
         ("data_sha256", dataSHA256.map { .string($0) } ?? .null),
         ("task_column", .string(taskColumn)), ("response_column", .string(responseColumn)),
         ("feature_scales", preprocessing.standardized ? .array(preprocessing.featureScales.map { .number($0) }) : .null)]
    }
}
