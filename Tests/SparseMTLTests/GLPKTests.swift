import Foundation
import Testing
@testable import SparseMTL

/// The GLPK wrapper against brute-force enumeration.
@Suite struct GLPKTests {
    @Test(arguments: [1, 2, 3, 4])
    func knapsackMatchesEnumeration(seed: Int) throws {
        var random = SeededRandom(seed: UInt64(seed))
        let n = 10
        let value = (0..<n).map { _ in random.uniform(1, 10) }
        let weight = (0..<n).map { _ in random.uniform(1, 10) }
        let capacity = weight.reduce(0, +) / 2.5
        var best = 0.0
        for mask in 0..<(1 << n) {
            var w = 0.0, v = 0.0
            for j in 0..<n where (mask >> j) & 1 == 1 {
                w += weight[j]
                v += value[j]
            }
            if w <= capacity { best = max(best, v) }
        }
        let mip = GLPKProblem()
        mip.setMaximize(true)
        for j in 0..<n { mip.addColumn(name: "x\(j)", kind: .binary, cost: value[j]) }
        mip.addRow(name: "capacity", columns: Array(0..<n), coefficients: weight, upper: capacity)
        #expect(mip.solveMIP() == .optimal)
        #expect(abs(mip.mipObjective - best) < 1e-7, "GLPK \(mip.mipObjective) vs enumeration \(best)")
        let chosen = (0..<n).map { mip.mipValue($0) }
        #expect(zip(chosen, weight).map { $0 * $1 }.reduce(0, +) <= capacity + 1e-9)
    }

    /// min Σ x_j s.t. x_j ≥ b_j (rows), x ≥ 0: optimum Σ b_j, one pivot per row from the slack
    /// basis. One iteration is not enough for either simplex run (the second from a fresh basis),
    /// and the outcome says so; the default limit solves it.
    @Test func simplexIterationLimitIsReported() {
        let b = [1.0, 2.5, 0.5, 4.0, 3.0]
        func lp() -> GLPKProblem {
            let problem = GLPKProblem()
            for (j, bound) in b.enumerated() {
                let x = problem.addColumn(name: "x\(j)", lower: 0, cost: 1)
                problem.addRow(name: "r\(j)", columns: [x], coefficients: [1], lower: bound)
            }
            return problem
        }
        #expect(lp().solveLP(timeLimitSeconds: nil, iterationLimit: 1) == .iterationLimit)
        let outcome = lp().solveLP(timeLimitSeconds: nil)
        #expect(abs((outcome.value ?? .nan) - b.reduce(0, +)) < 1e-9, "\(outcome)")
    }

    @Test func infeasibleProblemIsReported() {
        let mip = GLPKProblem()
        let x = mip.addColumn(name: "x", kind: .integer, lower: 0, upper: 10)
        mip.addRow(name: "odd", columns: [x], coefficients: [2], lower: 3, upper: 3)
        #expect(mip.solveMIP() == .infeasible)
    }

    @Test func writesMPSAtomically() throws {
        let f = TemporaryFolder()
        let mip = GLPKProblem(name: "tiny")
        let x = mip.addColumn(name: "x", kind: .binary, cost: -1)
        mip.addRow(name: "r", columns: [x], coefficients: [1], upper: 1)
        try mip.writeMPS(to: f.path("tiny.mps"))
        let text = try String(contentsOfFile: f.path("tiny.mps"), encoding: .utf8)
        #expect(text.contains("COLUMNS") && text.contains("x"))
        #expect(throws: InputError.self) { try mip.writeMPS(to: f.path("no/such/folder/tiny.mps")) }
        #expect(!FileManager.default.fileExists(atPath: f.path("no/such/folder/tiny.mps")))
    }
}
