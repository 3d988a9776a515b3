import Foundation
import Testing
@testable import SparseMTL

/// F against an independent computation from the raw rows: centring by hand, the loss by plain
/// loops, and the Bbar and Zbar terms by other formulas than the code's edge sums (tr(B L Bᵀ) with
/// a Laplacian built here; Σ_k‖β_k − β̄‖² and Σ_j (m_j − m_j²/K) on the complete graph).
@Suite struct ObjectiveTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var tasks: Int
        var customGraph: Bool
        var testDescription: String { "K=\(tasks) \(customGraph ? "custom" : "complete") graph" }
    }

    /// Raw rows of a random problem with unequal n_k and a constant feature in task 0.
    static func rawProblem(tasks kCount: Int, features p: Int, seed: UInt64) -> (rows: [[(y: Double, x: [Double])]], csv: String) {
        var random = SeededRandom(seed: seed)
        var rows: [[(y: Double, x: [Double])]] = []
        var csv = "task,y," + (1...p).map { "f\($0)" }.joined(separator: ",") + "\n"
        for k in 0..<kCount {
            var task: [(y: Double, x: [Double])] = []
            for i in 0..<(6 + 3 * k) {
                var x = (0..<p).map { _ in (random.normal() * 1000).rounded() / 1000 }
                if k == 0 { x[2] = 0.1 }
                let y = (random.normal() * 1000).rounded() / 1000 + Double(i % 3)
                task.append((y, x))
                csv += "task\(k),\(y)," + x.map { "\($0)" }.joined(separator: ",") + "\n"
            }
            rows.append(task)
        }
        return (rows, csv)
    }

    static func oracle(rows: [[(y: Double, x: [Double])]], b: Matrix, z: [[Bool]], weights: [[Double]],
                       penalty: Penalty) -> (loss: Double, ridge: Double, bbar: Double, zbar: Double) {
        let kCount = rows.count, p = b.rows
        var loss = 0.0
        for k in 0..<kCount {
            let n = Double(rows[k].count)
            let yMean = rows[k].map(\.y).reduce(0, +) / n
            let xMean = (0..<p).map { j in rows[k].map { $0.x[j] }.reduce(0, +) / n }
            for r in rows[k] {
                var fit = 0.0
                for j in 0..<p { fit += (r.x[j] - xMean[j]) * b[j, k] }
                loss += (r.y - yMean - fit) * (r.y - yMean - fit) / n
            }
        }
        var ridge = 0.0
        for v in b.storage { ridge += v * v }
        // Laplacian form: tr(B L Bᵀ) = Σ_j Σ_kl β_jk L_kl β_jl.
        var lap = [[Double]](repeating: [Double](repeating: 0, count: kCount), count: kCount)
        for k in 0..<kCount { for l in 0..<kCount where l != k { lap[k][l] = -weights[k][l]; lap[k][k] += weights[k][l] } }
        var trace = 0.0, ztrace = 0.0
        for j in 0..<p { for k in 0..<kCount { for l in 0..<kCount {
            trace += b[j, k] * lap[k][l] * b[j, l]
            ztrace += (z[k][j] ? 1 : 0) * lap[k][l] * (z[l][j] ? 1 : 0)
        } } }
        return (loss, penalty.ridge * ridge, penalty.bbar * trace, penalty.zbar * ztrace)
    }

    @Test(arguments: [Case(tasks: 1, customGraph: false), Case(tasks: 3, customGraph: false),
                      Case(tasks: 4, customGraph: true), Case(tasks: 2, customGraph: true)])
    func matchesIndependentComputation(_ c: Case) throws {
        let p = 6
        let (rows, csv) = Self.rawProblem(tasks: c.tasks, features: p, seed: UInt64(c.tasks * 17 + (c.customGraph ? 1 : 0)))
        let data = try dataset(csv)
        var weights = [[Double]](repeating: [Double](repeating: c.customGraph ? 0 : 1 / Double(c.tasks), count: c.tasks), count: c.tasks)
        var graph: TaskGraph? = nil
        if c.customGraph {
            var edges: [TaskGraph.Edge] = []
            for k in 0..<(c.tasks - 1) {  // a weighted path
                let w = 0.5 + Double(k)
                edges.append(.init(k: k + 1, l: k, weight: w))
                weights[k][k + 1] = w; weights[k + 1][k] = w
            }
            graph = TaskGraph(taskCount: c.tasks, edges: edges, origin: "test")
        }
        let penalty = Penalty(sparsity: 3, ridge: 0.37, bbar: 0.81, zbar: 0.29)
        let instance = try Instance(name: "t", dataset: data, penalty: penalty, graph: graph, penaltySource: "test")
        var random = SeededRandom(seed: 5)
        var b = Matrix(rows: p, columns: c.tasks)
        var z = [[Bool]](repeating: [Bool](repeating: false, count: p), count: c.tasks)
        for k in 0..<c.tasks {
            for j in random.sample(3, from: 0..<p) { b[j, k] = random.normal(); z[k][j] = true }
        }
        let value = Objective.evaluate(instance, coefficients: b)
        let expected = Self.oracle(rows: rows, b: b, z: z, weights: weights, penalty: penalty)
        #expect(close(value.loss, expected.loss, relative: 1e-9), "loss \(value.loss) vs \(expected.loss)")
        #expect(close(value.ridge, expected.ridge, relative: 1e-9))
        #expect(close(value.bbar, expected.bbar, relative: 1e-9), "bbar \(value.bbar) vs \(expected.bbar)")
        #expect(close(value.zbar, expected.zbar, relative: 1e-9), "zbar \(value.zbar) vs \(expected.zbar)")
        let total = expected.loss + expected.ridge + expected.bbar + expected.zbar
        #expect(close(value.objective, total, relative: 1e-9))
        #expect(value.feasible)
        if c.tasks > 1 {
            #expect(value.bbar > 0 && value.zbar > 0, "all four terms active")
        }
        if !c.customGraph && c.tasks > 1 {
            // Published forms on the complete graph: Σ_k‖β_k − β̄‖² and Σ_j (m_j − m_j²/K).
            var deviation = 0.0, zbarForm = 0.0
            for j in 0..<p {
                let mean = (0..<c.tasks).map { b[j, $0] }.reduce(0, +) / Double(c.tasks)
                for k in 0..<c.tasks { deviation += (b[j, k] - mean) * (b[j, k] - mean) }
                let m = Double((0..<c.tasks).filter { z[$0][j] }.count)
                zbarForm += m - m * m / Double(c.tasks)
            }
            #expect(close(value.bbar, penalty.bbar * deviation, relative: 1e-9))
            #expect(close(value.zbar, penalty.zbar * zbarForm, relative: 1e-9))
        }
    }

    @Test func explicitSupportAndViolationsAreReported() throws {
        let (_, csv) = Self.rawProblem(tasks: 2, features: 4, seed: 1)
        let instance = try Instance(name: "t", dataset: try dataset(csv), penalty: Penalty(sparsity: 1, zbar: 1, bigM: 0.5),
                                    penaltySource: "test")
        var b = Matrix(rows: 4, columns: 2)
        b[0, 0] = 0.2; b[1, 0] = 0.9
        // Z selects feature 3 in task 1 with β = 0: it costs Zbar and counts toward s.
        let value = Objective.evaluate(instance, coefficients: b, support: Support([[0], [3]]))
        #expect(value.zbar == 1 * 0.5 * 2, "two differing features, w = 1/2")
        #expect(value.violations.count == 2, "\(value.violations)")  // β outside Z, and |β| > M
        #expect(value.violations.contains { $0.contains("outside the support") })
        #expect(value.violations.contains { $0.contains("above M") })
        let tooMany = Objective.evaluate(instance, coefficients: b)
        #expect(tooMany.violations.contains { $0.contains("more than s = 1") })
    }
}
