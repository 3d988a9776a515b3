import Foundation
import Testing
@testable import SparseMTL

/// Paths and cross-validation.
@Suite struct SelectionTests {
    static func definition(tasks: Int = 3, features: Int = 25, samples: Int = 40, trueSparsity: Int = 3, snr: Double = 20,
                           penalty: Penalty = Penalty(sparsity: 3, ridge: 0.05, zbar: 0.1)) -> ProblemDefinition {
        var settings = SyntheticSettings()
        settings.tasks = tasks; settings.features = features; settings.samplesPerTask = samples
        settings.sparsity = trueSparsity; settings.snr = snr; settings.seed = 4; settings.commonFraction = 1
        return ProblemDefinition(name: "t", dataset: SyntheticInstance(settings).dataset, penalty: penalty,
                                 graph: .complete(taskCount: tasks), standardize: false, truthPath: nil)
    }

    /// The s − 1 solution is feasible for s and each fit starts from it, so F never rises along s.
    @Test func pathObjectiveNeverRisesWithS() throws {
        let def = Self.definition(penalty: Penalty(sparsity: 3, ridge: 0.05, bbar: 0.2, zbar: 0.3))
        let grid = try PenaltyGrid(maxSparsity: 7, zbars: [0, 0.3], bbars: [0.2])
        let instance = try def.instance()
        let points = SolutionPath().run(instance, grid: grid)
        #expect(points.count == 14)
        for i in 1..<points.count where points[i].penalty.zbar == points[i - 1].penalty.zbar {
            #expect(points[i].result.objective.objective <= points[i - 1].result.objective.objective * (1 + 1e-12),
                    "s=\(points[i].penalty.sparsity) δ=\(points[i].penalty.zbar)")
        }
        for point in points {
            var at = instance
            at.penalty = point.penalty
            let again = Objective.evaluate(at, coefficients: point.result.coefficients, support: point.result.support)
            #expect(close(again.objective, point.result.objective.objective, relative: 1e-12))
            #expect(again.feasible)
        }
    }

    @Test func foldsPartitionEveryTaskEvenlyAndReproducibly() throws {
        let data = Self.definition(samples: 23).dataset
        let cv = CrossValidation(folds: 4, seed: 9)
        let folds = try cv.assignFolds(data)
        #expect(try cv.assignFolds(data) == folds)
        #expect(try CrossValidation(folds: 4, seed: 10).assignFolds(data) != folds)
        for task in folds.fold[0] {
            let sizes = (0..<4).map { f in task.filter { $0 == f }.count }
            #expect(sizes.reduce(0, +) == 23 && sizes.max()! - sizes.min()! <= 1, "\(sizes)")
        }
        #expect(throws: InputError.self) { try CrossValidation(folds: 1, seed: 1).assignFolds(data) }
    }

    /// Tasks smaller than k: held out in as many folds as they have rows (each row once), a task
    /// of one row never; every training set keeps a row of every task. Repeats draw new splits.
    @Test func smallTasksTakePartInAsManyFoldsAsTheyHaveRows() throws {
        let assignment = try FoldAssignment(sampleCounts: [12, 3, 1, 2], folds: 5, repeats: 3, seed: 4)
        #expect(assignment.validatedFolds == [5, 3, 0, 2])
        #expect(assignment.units.count == 15)
        for r in 0..<3 {
            for (k, n) in [12, 3, 1, 2].enumerated() {
                let heldOut = (0..<5).flatMap { assignment.validation(repeat: r, fold: $0)[k] }
                #expect(heldOut.sorted() == (n == 1 ? [] : Array(0..<n)), "every row once, task \(k)")
                for f in 0..<5 { #expect(!assignment.training(repeat: r, fold: f)[k].isEmpty) }
            }
        }
        #expect(assignment.fold[0] != assignment.fold[1])
        let smallest = (0..<4).map { k in assignment.units.map { assignment.training(repeat: $0.repeat, fold: $0.fold)[k].count }.min()! }
        #expect(assignment.smallestTrainingRows == smallest && smallest == [9, 2, 1, 1])
    }

    @Test func meanSquaredErrorsMatchDirectComputation() {
        let data = Self.definition(tasks: 2, features: 4, samples: 6).dataset
        var b = Matrix(rows: 4, columns: 2)
        b[1, 0] = 0.5; b[3, 1] = -2
        let intercepts = [0.25, -1.0]
        let errors = data.meanSquaredErrors(coefficients: b, intercepts: intercepts)
        for k in 0..<2 {
            var sum = 0.0
            for i in 0..<6 {
                var fit = intercepts[k]
                for j in 0..<4 { fit += data.designs[k][i, j] * b[j, k] }
                sum += (data.responses[k][i] - fit) * (data.responses[k][i] - fit)
            }
            #expect(close(errors[k], sum / 6, relative: 1e-13))
        }
    }

    /// A strong signal on 3 shared features: cross-validation must not choose fewer than 3,
    /// and the chosen model's supports must contain the true ones.
    @Test func crossValidationRecoversAStrongSignal() throws {
        var settings = SyntheticSettings()
        settings.tasks = 3; settings.features = 25; settings.samplesPerTask = 60; settings.sparsity = 3
        settings.snr = 50; settings.seed = 4; settings.commonFraction = 1
        let generated = SyntheticInstance(settings)
        let def = ProblemDefinition(name: "t", dataset: generated.dataset, penalty: Penalty(sparsity: 3, ridge: 0.01, zbar: 0.05),
                                    graph: .complete(taskCount: 3), standardize: false, truthPath: nil)
        let grid = try PenaltyGrid(maxSparsity: 6, ridge: 0.01, zbars: [0.05], bbars: [0])
        let scores = try CrossValidation(folds: 5, seed: 2).run(def, grid: grid).scores
        let chosen = try #require(SelectionRule.min.choose(scores))
        #expect(scores[chosen].penalty.sparsity >= 3, "chose s = \(scores[chosen].penalty.sparsity)")
        #expect(scores[2].meanError < 0.5 * scores[1].meanError, "s = 3 fits far better than s = 2")
        #expect(scores.allSatisfy { $0.foldErrors.count == 5 })
    }

    /// The 1-SE rule on a fixed table, against a hand computation. Means and standard errors
    /// (sd over √k, k = 4 folds):
    ///   A s=2: errors 1.0 1.2 0.8 1.0 → mean 1.0,  sd √(0.08/3) = 0.16330, se 0.081650
    ///   B s=3: errors 0.9 0.9 0.9 0.9 → mean 0.9,  se 0                       (the minimum)
    ///   C s=1, δ=0:   0.95 0.97 0.93 0.95 → mean 0.95 ≤ 0.9 + 0 ? no
    /// So with se(B) = 0 only B itself is within; min and 1se agree. Giving B spread:
    ///   B' s=3: 0.7 1.1 0.9 0.9 → mean 0.9, sd √(0.08/3), se 0.081650, threshold 0.981650:
    ///   within: B' (0.9), C (0.95), D s=1 δ=0.5 (0.98); not A (1.0). Simplest: s = 1, larger δ → D.
    @Test func oneStandardErrorRuleMatchesAHandComputation() throws {
        func score(_ s: Int, zbar: Double = 0, bbar: Double = 0, ridge: Double = 0, _ errors: [Double]) -> CrossValidation.Score {
            CrossValidation.Score(penalty: Penalty(sparsity: s, ridge: ridge, bbar: bbar, zbar: zbar), foldErrors: errors, folds: 4)
        }
        let a = score(2, [1.0, 1.2, 0.8, 1.0]), b = score(3, [0.9, 0.9, 0.9, 0.9])
        let c = score(1, [0.95, 0.97, 0.93, 0.95]), d = score(1, zbar: 0.5, [0.98, 0.99, 0.97, 0.98])
        #expect(close(a.standardError, (0.08 / 3).squareRoot() / 2, relative: 1e-12))
        #expect(SelectionRule.min.choose([a, b, c, d]) == 1)
        #expect(SelectionRule.oneStandardError.choose([a, b, c, d]) == 1)
        let spread = score(3, [0.7, 1.1, 0.9, 0.9])
        #expect(SelectionRule.min.choose([a, spread, c, d]) == 1)
        #expect(SelectionRule.oneStandardError.choose([a, spread, c, d]) == 3)
        // Same s and δ: the larger λ, then the larger α is simpler.
        let e = score(1, zbar: 0.5, bbar: 0.1, [0.98, 0.99, 0.97, 0.98]), f = score(1, zbar: 0.5, bbar: 0.1, ridge: 0.2, [0.98, 0.99, 0.97, 0.98])
        #expect(SelectionRule.oneStandardError.choose([a, spread, c, d, e, f]) == 5)
        // Five folds with repeats: the pooled sd is divided by √k, not √(R·k).
        let repeated = CrossValidation.Score(penalty: Penalty(sparsity: 1), foldErrors: [1, 2, 1, 2, 1, 2, 1, 2], folds: 4)
        #expect(close(repeated.standardError, (2.0 / 7).squareRoot() / 2, relative: 1e-12))
    }

    /// The automatic grid contains 0 for α, δ and λ and s = 0, stays within the data's limits,
    /// and the point cv picks lies inside it (not on the edge of s).
    @Test func automaticGridContainsZeroAndBracketsTheChoice() throws {
        let def = Self.definition(tasks: 3, features: 15, samples: 24, trueSparsity: 2, snr: 10)
        let instance = try def.instance()
        let auto = AutomaticGrid(instance, trainingRows: [18, 18, 18])
        let grid = try PenaltyGrid(sparsities: auto.sparsities(cap: 5), ridges: auto.ridges, zbars: auto.zbars, bbars: auto.bbars)
        #expect(grid.sparsities == Array(0...5))
        #expect(grid.ridges.first == 0 && grid.zbars.first == 0 && grid.bbars.first == 0)
        #expect(grid.ridges.count == 4 && grid.zbars.count == 3 && grid.bbars.count == 4)
        #expect(AutomaticGrid(instance, trainingRows: [5, 4, 3]).sparsities(cap: 30) == Array(0...4))
        // δ₀ is the largest single-feature loss drop over the mean degree (complete graph: (K − 1)/K).
        var bestGain = 0.0
        for k in 0..<3 {
            let x = instance.designs[k], y = instance.responses[k], n = Double(x.rows)
            for j in 0..<15 {
                let column = x.column(j)
                let xy = zip(column, y).reduce(0) { $0 + $1.0 * $1.1 } / n, xx = column.reduce(0) { $0 + $1 * $1 } / n
                bestGain = max(bestGain, xy * xy / xx)
            }
        }
        #expect(close(auto.zbarScale, bestGain / (2.0 / 3), relative: 1e-10))
        let outcome = try CrossValidation(folds: 3, seed: 3).run(def, grid: grid)
        let chosen = try #require(SelectionRule.oneStandardError.choose(outcome.scores))
        let penalty = outcome.scores[chosen].penalty
        #expect(penalty.sparsity >= 1 && penalty.sparsity < 5, "chose s = \(penalty.sparsity)")
        #expect(grid.ridges.contains(penalty.ridge) && grid.zbars.contains(penalty.zbar) && grid.bbars.contains(penalty.bbar))
        #expect(grid.edges(of: Penalty(sparsity: 5), featureCount: 15).count == 1)
    }

    /// With α = 0 (no box) the heuristic's coefficients on its support are the least-squares fit
    /// on that support, computed here independently by Householder QR and back substitution.
    @Test func ridgeZeroFitsAreUnpenalisedLeastSquaresOnTheSupport() throws {
        let def = Self.definition(tasks: 2, features: 12, samples: 25, penalty: Penalty(sparsity: 4))
        let instance = try def.instance()
        let grid = try PenaltyGrid(sparsities: [0, 2, 4], ridges: [0], zbars: [0], bbars: [0])
        let points = SolutionPath().run(instance, grid: grid)
        #expect(points[0].result.coefficients.storage.allSatisfy { $0 == 0 })
        for point in points.dropFirst() {
            for k in 0..<2 {
                let support = point.result.support.indices[k]
                let x = instance.designs[k], n = x.rows, m = support.count
                var augmented = Matrix(rows: n, columns: m + 1)
                for (c, j) in support.enumerated() { for i in 0..<n { augmented[i, c] = x[i, j] } }
                for i in 0..<n { augmented[i, m] = instance.responses[k][i] }
                let r = QR.r(augmented)
                var beta = [Double](repeating: 0, count: m)
                for i in stride(from: m - 1, through: 0, by: -1) {
                    beta[i] = (r[i, m] - ((i + 1)..<m).reduce(0) { $0 + r[i, $1] * beta[$1] }) / r[i, i]
                }
                for (c, j) in support.enumerated() {
                    #expect(close(point.result.coefficients[j, k], beta[c], relative: 1e-8), "s=\(point.penalty.sparsity) task \(k) feature \(j)")
                }
            }
        }
    }

    /// The compressed instance (p + 1 rows per task) gives the same F as the full rows for any B,
    /// computed directly from the residuals.
    @Test func compressionKeepsTheObjective() throws {
        let def = Self.definition(tasks: 3, features: 6, samples: 50, penalty: Penalty(sparsity: 6, ridge: 0.1, bbar: 0.2, zbar: 0.3))
        let instance = try def.instance()
        let compressed = instance.compressed()
        #expect(compressed.designs.allSatisfy { $0.rows == 7 })
        var random = SeededRandom(seed: 12)
        for _ in 0..<5 {
            var b = Matrix(rows: 6, columns: 3)
            for i in b.storage.indices { b.storage[i] = random.normal() }
            let support = Support(of: b)
            var loss = 0.0
            for k in 0..<3 {
                let x = instance.designs[k]
                for i in 0..<x.rows {
                    let fit = (0..<6).reduce(0) { $0 + x[i, $1] * b[$1, k] }
                    loss += (instance.responses[k][i] - fit) * (instance.responses[k][i] - fit) / Double(x.rows)
                }
            }
            let full = Objective.evaluate(instance, coefficients: b, support: support)
            let small = Objective.evaluate(compressed, coefficients: b, support: support)
            #expect(close(full.loss, loss, relative: 1e-12))
            #expect(close(small.loss, loss, relative: 1e-10))
            #expect(close(small.objective, full.objective, relative: 1e-10))
        }
    }
}
