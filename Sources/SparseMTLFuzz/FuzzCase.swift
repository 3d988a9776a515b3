import Foundation
import SparseMTL

/// One seeded tiny problem of the robustness check: long-form CSV data (and a task graph CSV when
/// the graph is not the default), a penalty, standardisation, and the exact solver's gap. Cases
/// range over the whole space the certificate core must handle:
///
/// - K = 1…3 tasks, p = 2…9 features, s = 1…3, n_k = 3…20 rows (often n_k < p);
/// - every penalty mix: α ∈ {0 (with a box), 10⁻³, 10⁻², 0.1, 1}, λ and δ zero or not, boxes
///   M ∈ {none, 0.5, 5}, weighted graphs with missing edges;
/// - defective columns: exact duplicates, exact linear combinations, constant columns, columns
///   equal up to 10⁻⁸, responses fitted exactly (an optimum of 0 with α = 0), y = 0;
/// - data scales: y and X multiplied by 10^e, e ∈ {−6, −3, 0, 3, 6};
/// - gaps 10⁻⁴, 10⁻⁶ and 10⁻⁹.
///
/// Sizes are kept where brute force stays quick (`BruteForce` with λ > 0 fits every joint Z,
/// and with a box tries 3^m sign patterns).
public struct FuzzCase: Sendable, CustomStringConvertible {
    public var index: Int
    public var seed: UInt64
    public var tasks: Int
    public var features: Int
    public var penalty: Penalty
    public var standardize: Bool
    public var gap: Double
    /// The data as long CSV (task,y,x1,…).
    public var csv: String
    /// A task graph CSV (task_a,task_b,weight), nil for the default complete graph.
    public var graphCSV: String?
    /// What is special about the data, for the report ("duplicate column", "y × 1e-06", …).
    public var traits: [String]

    public var description: String {
        let p = penalty
        return "case \(index) (seed \(seed)): K = \(tasks), p = \(features), s = \(p.sparsity), α = \(p.ridge), λ = \(p.bbar), "
            + "δ = \(p.zbar), M = \(p.bigM.map { "\($0)" } ?? "none"), standardize \(standardize), gap \(gap)"
            + (graphCSV == nil ? "" : ", weighted graph") + (traits.isEmpty ? "" : ", " + traits.joined(separator: ", "))
    }

    /// The `sparsemtl solve` command line that solves this case from `data.csv` (and `graph.csv`).
    public var commandLine: String {
        let p = penalty
        return "sparsemtl solve --data data.csv --sparsity \(p.sparsity) --ridge \(p.ridge) --bbar \(p.bbar) --zbar \(p.zbar)"
            + (p.bigM.map { " --big-m \($0)" } ?? "") + (standardize ? " --standardize" : "") + (graphCSV == nil ? "" : " --task-graph graph.csv")
            + " --method exact --gap \(gap) --certificate c.json"
    }

    /// The case with this index of the run seeded `seed` (the same pair always gives the same case).
    /// - Parameter scales: factors on y and X instead of the drawn ones (the rest of the case is
    ///   the same), for the scale-invariance batch.
    public init(index: Int, seed: UInt64, scales: (y: Double, x: Double)? = nil) {
        self.index = index
        self.seed = seed
        var random = SeededRandom(seed: seed &* 0x9E37_79B9_7F4A_7C15 &+ UInt64(index))
        func pick<T>(_ items: [T]) -> T { items[Int(random.next() % UInt64(items.count))] }
        func chance(_ probability: Double) -> Bool { random.uniform() < probability }

        let k = pick([1, 2, 2, 3, 3])
        var lambda = chance(0.35) && k > 1 ? pick([0.05, 0.5, 2]) : 0
        let delta = chance(0.5) && k > 1 ? pick([0.02, 0.15, 0.6]) : 0
        var box: Double? = chance(0.35) ? pick([0.5, 5]) : nil
        var alpha = pick([0, 1e-3, 0.01, 0.1, 1])
        if alpha == 0 && box == nil { box = pick([0.5, 5]) }
        // Brute force fits every joint Z when λ > 0 (and 3^(Ks) box patterns): keep those small.
        var p = 2 + Int(random.next() % 8)
        var s = 1 + Int(random.next() % 3)
        if lambda > 0 { p = min(p, k == 3 ? 5 : 7); s = min(s, 2); if box != nil && k * s > 4 { s = 1 } }
        s = min(s, p)
        if lambda > 0 && alpha == 0 && box == nil { alpha = 0.01 }
        if k == 1 { lambda = 0 }
        tasks = k
        features = p
        penalty = Penalty(sparsity: s, ridge: alpha, bbar: lambda, zbar: delta, bigM: box)
        standardize = chance(0.3)
        gap = pick([1e-4, 1e-6, 1e-9])

        // Data: per task X (n_k × p), a sparse truth shared in part, noise.
        var traits: [String] = []
        let n = (0..<k).map { _ in chance(0.3) ? 3 + Int(random.next() % 4) : 6 + Int(random.next() % 15) }
        var designs = n.map { rows in (0..<(rows * p)).map { _ in random.normal() } }  // column-major
        func column(_ t: Int, _ j: Int) -> ArraySlice<Double> { designs[t][(j * n[t])..<((j + 1) * n[t])] }
        func setColumn(_ t: Int, _ j: Int, _ values: [Double]) { for i in 0..<n[t] { designs[t][i + j * n[t]] = values[i] } }
        if p >= 3 && chance(0.45) {
            let kind = pick(["duplicate column", "collinear column", "constant column", "near-duplicate column"])
            traits.append(kind)
            let (a, b, target) = (0, 1, p - 1)
            for t in 0..<k {
                let xa = Array(column(t, a)), xb = Array(column(t, b))
                switch kind {
                case "duplicate column": setColumn(t, target, xa)
                case "collinear column": setColumn(t, target, zip(xa, xb).map { 2 * $0 - $1 })
                case "constant column": setColumn(t, target, [Double](repeating: 1.5, count: n[t]))
                default: setColumn(t, target, xa.map { $0 + 1e-8 * random.normal() })
                }
            }
        }
        let responseKind = chance(0.08) ? pick(["exact fit", "zero response"]) : "noisy"
        if responseKind != "noisy" { traits.append(responseKind) }
        let truth = (0..<p).map { _ in chance(0.4) ? random.uniform(0.5, 2) * random.sign() : 0 }
        let noise = pick([0.05, 0.5, 2.0])
        var responses: [[Double]] = []
        for t in 0..<k {
            let shift = (0..<p).map { _ in chance(0.3) ? random.normal() : 0 }
            responses.append((0..<n[t]).map { i in
                if responseKind == "zero response" { return 0 }
                var y = 0.0
                for j in 0..<p { y += designs[t][i + j * n[t]] * (truth[j] + shift[j]) }
                return y + (responseKind == "exact fit" ? 0 : noise * random.normal())
            })
        }
        let drawnY = pick([1e-6, 1e-3, 1, 1, 1, 1, 1e3, 1e6])
        let drawnX = chance(0.15) ? pick([1e-6, 1e-3, 1e3, 1e6]) : 1
        let yScale = scales?.y ?? drawnY, xScale = scales?.x ?? drawnX
        if yScale != 1 { traits.append("y × \(yScale)") }
        if xScale != 1 { traits.append("X × \(xScale)") }

        var text = "task,y," + (1...p).map { "x\($0)" }.joined(separator: ",") + "\n"
        for t in 0..<k {
            for i in 0..<n[t] {
                text += "t\(t),\(responses[t][i] * yScale)"
                for j in 0..<p { text += ",\(designs[t][i + j * n[t]] * xScale)" }
                text += "\n"
            }
        }
        csv = text
        if k > 1 && chance(0.3) {
            var lines = "task_a,task_b,weight\n"
            for a in 0..<k { for b in (a + 1)..<k where chance(0.8) { lines += "t\(a),t\(b),\(random.uniform(0.1, 2))\n" } }
            graphCSV = lines
        } else {
            graphCSV = nil
        }
        self.traits = traits
    }
}
