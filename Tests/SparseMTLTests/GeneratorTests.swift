import Foundation
import Testing
@testable import SparseMTL

/// The generator: same seed same data, each pattern's structure, and the noise level it promises.
@Suite struct GeneratorTests {
    @Test func sameSeedSameDataOtherSeedOtherData() {
        var settings = SyntheticSettings()
        settings.tasks = 2; settings.features = 12; settings.samplesPerTask = 20
        let a = SyntheticInstance(settings), b = SyntheticInstance(settings)
        #expect(a.csv == b.csv && a.truth == b.truth)
        settings.seed = 2
        #expect(SyntheticInstance(settings).csv != a.csv)
    }

    @Test func writtenCSVReadsBackExactly() throws {
        var settings = SyntheticSettings()
        settings.tasks = 3; settings.features = 7; settings.samplesPerTask = 9
        let g = SyntheticInstance(settings)
        let read = try dataset(g.csv)
        #expect(read.designs == g.dataset.designs && read.responses == g.dataset.responses)
    }

    @Test(arguments: CoefficientPattern.allCases)
    func patternsHaveTheirStructure(_ pattern: CoefficientPattern) {
        var settings = SyntheticSettings()
        settings.pattern = pattern
        settings.tasks = 6; settings.features = 40; settings.sparsity = 6; settings.commonFraction = 0.5
        settings.groups = 2; settings.outlierTasks = 1
        let b = SyntheticInstance(settings).truth
        let support = Support(of: b)
        let rowsUsed = Set(support.indices.flatMap { $0 })
        switch pattern {
        case .sparse:
            #expect((0..<6).allSatisfy { support.size($0) == 6 })
            let common = support.indices.dropFirst().reduce(Set(support.indices[0])) { $0.intersection($1) }
            #expect(common.count >= 3, "3 of 6 nonzeros on the common support")
        case .groupLasso:
            #expect(rowsUsed.count == 6 && (0..<6).allSatisfy { support.indices[$0] == support.indices[0] })
        case .metag:
            #expect(support.indices[0] == support.indices[1] && support.indices[3] == support.indices[4], "same group, same rows")
            #expect(support.indices[0] != support.indices[5], "groups differ")
            #expect(Set(support.indices[0]).intersection(support.indices[5]).count == 3, "shared rows")
        case .rmtfl:
            #expect(support.indices.filter { $0.count == 40 }.count == 1, "one dense outlier column")
            #expect(support.indices.filter { $0.count == 6 }.count == 5)
        case .gmrf:
            #expect((0..<6).allSatisfy { support.size($0) == 40 }, "dense task vectors")
            let graph = SyntheticInstance(settings).graph
            #expect(graph?.edges.allSatisfy { $0.weight == 1 || $0.weight == 5 } == true)
            // Connected: a spanning tree's 5 edges at least, and every task on an edge.
            #expect((graph?.edges.count ?? 0) >= 5 && Set(graph?.edges.flatMap { [$0.k, $0.l] } ?? []).count == 6)
            return
        }
        #expect(b.storage.allSatisfy { $0 == 0 || abs($0) >= 0.05 })
    }

    @Test func gmrfRowsHaveThePrecisionOfTheGraph() throws {
        var random = SeededRandom(seed: 9)
        let graph = GMRFTasks.randomGraph(taskCount: 4, edgeProbability: 0.5, random: &random)
        let p = 40_000
        let w = GMRFTasks.taskVectors(graph, features: p, random: &random)
        // Empirical covariance of the rows (mean zero) against (L + 11ᵀ/4)⁻¹ by Gaussian elimination here.
        var q = graph.laplacian
        for k in 0..<4 { for l in 0..<4 { q[k, l] += 0.25 } }
        let rows = (0..<4).map { k in (0..<4).map { q[k, $0] } }
        let columns = (0..<4).map { l in denseSolve(rows, (0..<4).map { $0 == l ? 1 : 0 }) }
        let inverse = Matrix(rowArrays: columns)  // symmetric: rows are columns
        for k in 0..<4 {
            for l in 0..<4 {
                let empirical = (0..<p).reduce(0.0) { $0 + w[$1, k] * w[$1, l] } / Double(p)
                #expect(abs(empirical - inverse[k, l]) < 0.03 * max(1, abs(inverse[k, k])), "(\(k), \(l)): \(empirical) vs \(inverse[k, l])")
            }
        }
    }

    @Test func noiseMatchesTheSignalToNoiseRatio() throws {
        var settings = SyntheticSettings()
        settings.tasks = 1; settings.features = 10; settings.samplesPerTask = 20000; settings.snr = 4; settings.rho = 0.6
        let g = SyntheticInstance(settings)
        let x = g.dataset.designs[0], beta = g.truth.column(0)
        let fit = BLAS.multiply(x, beta)
        let noise = zip(g.dataset.responses[0], fit).map { $0 - $1 }
        let noiseVariance = noise.map { $0 * $0 }.reduce(0, +) / Double(noise.count)
        let signalVariance = fit.map { $0 * $0 }.reduce(0, +) / Double(fit.count)
        #expect(abs(signalVariance / noiseVariance - 4) < 0.3, "SNR \(signalVariance / noiseVariance)")
        // AR(ρ): neighbouring features correlate at ρ.
        let c0 = x.column(0), c1 = x.column(1)
        let corr = Vector.dot(c0, c1) / (Vector.norm(c0) * Vector.norm(c1))
        #expect(abs(corr - 0.6) < 0.03, "correlation \(corr)")
    }
}
