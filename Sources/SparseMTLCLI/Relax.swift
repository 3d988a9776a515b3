import ArgumentParser
import Foundation
import SparseMTL

/// `sparsemtl relax`: the GenGL convex relaxation by smoothing proximal gradient.
struct Relax: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fit the GenGL convex model: Σ_k (1/n_k)‖y_k − X_k w_k‖² + Ω(W) by smoothing proximal gradient.",
        discussion: """
        Ω is a sum of group norms ‖π_pᵀ W_l π_K‖ over h components W = Σ W_l weighted γ/φ^(l−1), with \
        operator sets per dimension C (whole), F (each index), F2 (pair differences). Presets: lasso, \
        group-lasso, metag, rmtfl, ssmtl-m; or --operators 'TASKS:FEATURES[@W],…;…' (e.g. 'C:F;F:C' is \
        rmtfl). Every group norm is smoothed with parameter μ and the sum minimised by FISTA with step \
        1/L (L computed from the data and the operators), stopping on the relative change of the \
        smoothed objective. Coefficients are reported in original units; support entries are those \
        above --support-threshold × the largest |w|.
        """
    )

    @OptionGroup var problem: ProblemOptions
    @OptionGroup(title: "GenGL penalty") var gengl: GenGLOptions

    @Option(parsing: .unconditional, help: ArgumentHelp("γ (≥ 0); a comma-separated list fits a warm-started path and reports each point. Without it: a warm-started path of --path-points values from γ_start = max_j ‖∇_j f(0)‖₂ (the scale of the gradient at W = 0, as compare's path uses) down to γ_start/1000."))
    var gamma: String?

    @Option(parsing: .unconditional, help: "Points of the automatic γ path (without --gamma; ≥ 2).")
    var pathPoints = 20

    @Option(help: "Write the result JSON here (written whole, or not at all).")
    var output: String?

    func run() throws {
        // GenGL does not use s: with --data, no --sparsity is needed.
        let instance = try problem.instance(of: problem.problemDefinition(defaultSparsity: 1))
        guard pathPoints >= 2 else { throw ValidationError("--path-points must be at least 2") }
        let gammas = try gamma.map { try GenGLOptions.parseList($0, flag: "--gamma") } ?? {
            let start = GenGLPath.startGamma(instance)
            guard start > 0 else { throw InputError(file: "relax", "the gradient at W = 0 vanishes (y is constant in every task): no γ path to fit; give --gamma") }
            return (0..<pathPoints).map { start * pow(1e-3, Double($0) / Double(pathPoints - 1)) }
        }()
        Interrupt.install()
        var warm: [Matrix]? = nil
        var points: [JSONValue] = []
        var last: GenGLResult? = nil
        for g in gammas where !Interrupt.isRequested {
            let penalty = try gengl.penalty(gamma: g)
            let result = try gengl.solver(defaultTolerance: GenGLSettings().tolerance).solve(instance, penalty: penalty, warmStart: warm)
            warm = result.components
            last = result
            Terminal.note(String(format: "γ = %-10.4g F = %.8g  (loss %.6g, Ω %.6g)  %d iterations, %.2f s, %@", g, result.objective,
                                 result.loss, result.penaltyValue, result.iterations, result.seconds, result.status.rawValue))
            points.append(gengl.json(result, penalty: penalty, instance: instance))
        }
        guard let last else { throw ExitCode(ExitStatus.interrupted.rawValue) }
        let document: JSONValue = gammas.count == 1 && gamma != nil ? points[0] : .object([("path", .array(points))])
        if let output { try FileIO.writeAtomically(document.text, to: output) } else { print(document.text, terminator: "") }
        let exit = ExitStatus(points.count < gammas.count ? .interrupted : last.status)
        if exit != .success { throw ExitCode(exit.rawValue) }
    }
}
