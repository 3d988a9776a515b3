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
        for task in folds {
            let sizes = (0..<4).map { f in task.filter { $0 == f }.count }
            #expect(sizes.reduce(0, +) == 23 && sizes.max()! - sizes.min()! <= 1, "\(sizes)")
        }
        #expect(throws: InputError.self) { try CrossValidation(folds: 25, seed: 1).assignFolds(Self.definition(samples: 21).dataset) }
        #expect(throws: InputError.self) { try CrossValidation(folds: 1, seed: 1).assignFolds(data) }
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
        let grid = try PenaltyGrid(maxSparsity: 6, zbars: [0.05], bbars: [0])
        let scores = try CrossValidation(folds: 5, seed: 2).run(def, grid: grid)
        let chosen = try #require(CrossValidation.best(scores))
        #expect(scores[chosen].penalty.sparsity >= 3, "chose s = \(scores[chosen].penalty.sparsity)")
        #expect(scores[2].meanError < 0.5 * scores[1].meanError, "s = 3 fits far better than s = 2")
        #expect(scores.allSatisfy { $0.foldErrors.count == 5 })
    }
}
