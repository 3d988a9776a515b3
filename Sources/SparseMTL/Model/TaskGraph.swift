import Foundation

/// The task graph w of DESIGN.md section 1: symmetric non-negative weights w_kl between tasks,
/// used by the Bbar and Zbar terms. The default is the complete graph with w_kl = 1/K.
public struct TaskGraph: Equatable, Sendable {
    /// One undirected edge k < l with weight w_kl > 0.
    public struct Edge: Equatable, Sendable {
        public var k: Int
        public var l: Int
        public var weight: Double
    }

    /// Number of tasks K.
    public let taskCount: Int
    /// The edges with positive weight, each once with k < l, in (k, l) order.
    public let edges: [Edge]
    /// Where the graph came from: "complete graph, w = 1/K" or a file path.
    public let origin: String

    /// A graph over K tasks from its edges (k ≠ l, weights ≥ 0; zero weights are dropped,
    /// an edge given twice is an error caught by `read`).
    public init(taskCount: Int, edges: [Edge], origin: String) {
        self.taskCount = taskCount
        self.edges = edges
            .map { $0.k < $0.l ? $0 : Edge(k: $0.l, l: $0.k, weight: $0.weight) }
            .filter { $0.weight > 0 }
            .sorted { ($0.k, $0.l) < ($1.k, $1.l) }
        self.origin = origin
    }

    /// The complete graph with w_kl = 1/K, which makes Σ_{k<l} w_kl‖β_k − β_l‖² = Σ_k‖β_k − β̄‖².
    public static func complete(taskCount: Int) -> TaskGraph {
        let w = 1.0 / Double(max(taskCount, 1))
        var edges: [Edge] = []
        for k in 0..<taskCount { for l in (k + 1)..<taskCount { edges.append(Edge(k: k, l: l, weight: w)) } }
        return TaskGraph(taskCount: taskCount, edges: edges, origin: "complete graph, w = 1/K")
    }

    /// The K × K weight matrix W (symmetric, zero diagonal).
    public var weightMatrix: Matrix {
        var w = Matrix(rows: taskCount, columns: taskCount)
        for e in edges { w[e.k, e.l] = e.weight; w[e.l, e.k] = e.weight }
        return w
    }

    /// The graph Laplacian L = diag(W·1) − W, so that tr(B L Bᵀ) = Σ_{k<l} w_kl‖β_k − β_l‖².
    public var laplacian: Matrix { Self.laplacian(of: weightMatrix) }

    /// L = diag(W·1) − W for a symmetric weight matrix W with zero diagonal.
    public static func laplacian(of weights: Matrix) -> Matrix {
        var lap = Matrix(rows: weights.rows, columns: weights.columns)
        for k in 0..<weights.rows {
            for l in 0..<weights.columns where l != k {
                lap[k, l] = -weights[k, l]
                lap[k, k] += weights[k, l]
            }
        }
        return lap
    }

    /// The graph of a symmetric weight matrix (upper triangle read; zero weights are no edge).
    public init(weights: Matrix, origin: String) {
        var edges: [Edge] = []
        for k in 0..<weights.rows { for l in (k + 1)..<weights.columns { edges.append(Edge(k: k, l: l, weight: weights[k, l])) } }
        self.init(taskCount: weights.rows, edges: edges, origin: origin)
    }

    /// Reads a graph CSV with header `task_a,task_b,weight` (columns in any order), one edge a row,
    /// tasks named by the data's labels.
    /// - Throws: `InputError` naming line and column for an unknown task, a self-loop, an edge given
    ///   twice, or a negative, non-numeric or non-finite weight.
    public static func read(_ path: String, taskLabels: [String]) throws -> TaskGraph {
        let data = try FileIO.read(path)
        return try data.withUnsafeBytes { raw in
            try parse(raw.bindMemory(to: UInt8.self), file: path, taskLabels: taskLabels)
        }
    }

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, file: String, taskLabels: [String]) throws -> TaskGraph {
        var scanner = CSVScanner(bytes: bytes, file: file)
        var fields: [CSVScanner.Field] = []
        guard let headerLine = try scanner.nextRecord(into: &fields) else {
            throw InputError(file: file, "file is empty (expected a header row task_a,task_b,weight)")
        }
        let header = fields.map { scanner.string($0) }
        guard let ca = header.firstIndex(of: "task_a"), let cb = header.firstIndex(of: "task_b"),
              let cw = header.firstIndex(of: "weight") else {
            throw InputError(file: file, line: headerLine, "the header must name the columns task_a, task_b and weight")
        }
        let index = Dictionary(taskLabels.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var seen: [Int: Int] = [:]  // k * K + l → line
        var edges: [Edge] = []
        let kCount = taskLabels.count
        while let line = try scanner.nextRecord(into: &fields) {
            guard fields.count == header.count else {
                throw InputError(file: file, line: line, "row has \(fields.count) fields, the header has \(header.count)")
            }
            var ends: [Int] = []
            for c in [ca, cb] {
                let label = scanner.string(fields[c])
                guard let k = index[label] else {
                    throw InputError(file: file, line: line, column: c + 1, "unknown task '\(label)' (not a task label in the data)")
                }
                ends.append(k)
            }
            guard ends[0] != ends[1] else {
                throw InputError(file: file, line: line, "edge from task '\(taskLabels[ends[0]])' to itself")
            }
            let weight: Double
            switch NumberParser.parse(bytes, fields[cw].start, fields[cw].end) {
            case .number(let w) where w >= 0: weight = w
            case .number(let w): throw InputError(file: file, line: line, column: cw + 1, "negative weight \(w)")
            default: throw InputError(file: file, line: line, column: cw + 1, "weight '\(scanner.string(fields[cw]))' is not a finite number")
            }
            let key = min(ends[0], ends[1]) * kCount + max(ends[0], ends[1])
            if let first = seen[key] {
                throw InputError(file: file, line: line, "edge '\(taskLabels[ends[0]])'–'\(taskLabels[ends[1]])' was already given on line \(first)")
            }
            seen[key] = line
            edges.append(Edge(k: ends[0], l: ends[1], weight: weight))
        }
        return TaskGraph(taskCount: kCount, edges: edges, origin: file)
    }

    /// The graph as CSV `task_a,task_b,weight`, readable by `read`.
    public func csv(taskLabels: [String]) -> String {
        var out = "task_a,task_b,weight\n"
        for e in edges { out += "\(CSVWriter.field(taskLabels[e.k])),\(CSVWriter.field(taskLabels[e.l])),\(e.weight)\n" }
        return out
    }
}
