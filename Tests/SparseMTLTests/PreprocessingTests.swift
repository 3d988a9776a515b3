import Foundation
import Testing
@testable import SparseMTL

/// Centring and standardisation: predictions are the same in both scales, constant features vanish exactly.
@Suite struct PreprocessingTests {
    static let csv = """
    task,y,a,b,c
    u,1.5,0.1,10,3
    u,2.0,0.1,20,-1
    u,-0.5,0.1,35,2
    v,3.0,1.0,12,0
    v,4.5,2.0,18,1
    """

    @Test func centringGivesZeroMeansAndExactZeroForConstantFeatures() throws {
        let (pre, designs, responses) = Preprocessing.fit(try dataset(Self.csv), standardize: false)
        #expect(designs[0].column(0) == [0, 0, 0], "feature a is constant (0.1) in task u")
        for k in 0..<2 {
            #expect(abs(responses[k].reduce(0, +)) < 1e-12)
            for j in 0..<3 { #expect(abs(designs[k].column(j).reduce(0, +)) < 1e-12) }
        }
        #expect(pre.featureScales == [1, 1, 1])
        #expect(pre.responseMeans == [1.0, 3.75])
    }

    @Test func standardisedFitPredictsLikeOriginalUnits() throws {
        let data = try dataset(Self.csv)
        let (pre, designs, _) = Preprocessing.fit(data, standardize: true)
        // Pooled within-task sd of feature b: deviations (−11.67, −1.67, 13.33) and (−3, 3).
        let meanB: Double = 65.0 / 3
        let deviations: [Double] = [10 - meanB, 20 - meanB, 35 - meanB, -3, 3]
        let ssB = deviations.reduce(0.0) { $0 + $1 * $1 }
        #expect(close(pre.featureScales[1], (ssB / 5).squareRoot(), relative: 1e-12))
        let original = Matrix(rowArrays: [[0.7, -1.1], [0.05, 0.2], [-0.3, 0.4]])
        let model = pre.toModelScale(original)
        #expect(close(pre.toOriginalUnits(model).frobeniusNorm, original.frobeniusNorm, relative: 1e-14))
        let intercepts = pre.intercepts(originalCoefficients: original)
        for k in 0..<2 {
            let fromModel = BLAS.multiply(designs[k], model.column(k)).map { $0 + pre.responseMeans[k] }
            let fromOriginal = BLAS.multiply(data.designs[k], original.column(k)).map { $0 + intercepts[k] }
            for (a, b) in zip(fromModel, fromOriginal) { #expect(close(a, b, relative: 1e-12)) }
        }
    }
}
