import ArgumentParser
import Foundation
import SparseMTL

/// `sparsemtl export`: the problem, or a certificate's final master, as MPS for other solvers.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the whole MIQP, or a certificate's final master MILP, as MPS for other solvers.",
        discussion: """
        --problem miqp (default without --certificate): the mixed-integer quadratic problem on per-task \
        centred (and, with --standardize, scaled) data, in free MPS with QUADOBJ and, in the perspective \
        form, QCMATRIX sections; the objective constant is the RHS of the objective row, so another \
        solver's optimal value is F. Columns b_j_k (coefficient of feature j in task k, 0-based), z_j_k \
        (binary support), t_j_k (perspective ridge epigraph), r_i_k (residual of row i of task k). \
        A mapping FILE.map.csv beside the MPS names the feature and task of every column. \
        --problem master (needs --certificate): the master MILP with every cut of the certificate, \
        re-derived from its dual points, through GLPK's writer, in the solver's units (its optimal value \
        is F / t², t the certificate's scaling.response). Free MPS carries no objective sense: \
        both problems are minimisations, the default of every reader.
        """
    )

    enum Problem: String, ExpressibleByArgument, CaseIterable {
        case miqp
        case master
    }

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case free
        case fixed
    }

    @OptionGroup var problemOptions: ProblemOptions

    @Option(help: "What to export: miqp (the problem) or master (a certificate's final master).")
    var problem: Problem?

    @Option(help: "MIQP: how β = 0 off the support is written: perspective (b² ≤ t·z, needs α > 0) or bigm (|b| ≤ M·z, needs --big-m).")
    var form: MIQPFormulation.Form = .perspective

    @Option(help: "MIQP: loss per task through the Gram matrix, residual variables, or auto (whichever is smaller).")
    var loss: MIQPFormulation.LossForm = .auto

    @Option(help: "Master: the certificate whose final master to write.")
    var certificate: String?

    @Option(help: "Master: free MPS (default) or fixed MPS (names over 8 characters are replaced by GLPK).")
    var mpsFormat: Format = .free

    @Option(help: "The MPS file to write (written whole, or not at all).")
    var output: String

    func validate() throws {
        switch problem ?? (certificate == nil ? .miqp : .master) {
        case .miqp:
            if certificate != nil { throw ValidationError("--certificate goes with --problem master") }
            if mpsFormat != .free { throw ValidationError("the MIQP is written in free MPS only (its names exceed fixed MPS's 8 characters)") }
        case .master:
            if certificate == nil { throw ValidationError("--problem master needs --certificate FILE") }
            if problemOptions.instance != nil || problemOptions.data != nil {
                throw ValidationError("--problem master takes the problem from the certificate; give no instance or --data")
            }
        }
    }

    func run() throws {
        let started = Date()
        if let certificate {
            let reader = try CertificateReader(certificate)
            try reader.writeMaster(to: output, free: mpsFormat == .free)
            Terminal.note("wrote \(output): the master with \(reader.cuts.count) cuts and \(reader.taskBounds.count) task bounds "
                          + "(\(mpsFormat.rawValue) MPS, minimise), " + summary(started))
            for (i, file) in try reader.writeTaskMasters(beside: output, free: mpsFormat == .free).enumerated() {
                Terminal.note(String(format: "wrote %@: task bound %d's master (task %@), whose optimum must reach %.12g", file, i,
                                     reader.instance.taskLabels[reader.taskBounds[i].task], reader.taskBounds[i].bound))
            }
            return
        }
        let instance = try problemOptions.load()
        let formulation = try MIQPFormulation(instance, form: form, loss: loss)
        let text = MPSWriter.text(formulation.model)
        let mappingPath = (output.hasSuffix(".mps") ? String(output.dropLast(4)) : output) + ".map.csv"
        try FileIO.writeAtomically(text, to: output)
        do {
            try FileIO.writeAtomically(formulation.mappingCSV(instance), to: mappingPath)
        } catch {
            unlink(output)  // the mapping could not be written: no MPS without it
            throw error
        }
        let model = formulation.model
        Terminal.note("wrote \(output): \(model.columns.count) columns, \(model.rows.count) rows, "
                      + "\(model.objectiveQuadratic.count) objective quadratic terms (\(form.rawValue) form), "
                      + summary(started) + "; mapping in \(mappingPath)")
    }

    private func summary(_ started: Date) -> String {
        let bytes = (try? FileManager.default.attributesOfItem(atPath: output)[.size] as? Int) ?? 0
        return String(format: "%.1f MB in %.2f s", Double(bytes) / 1e6, Date().timeIntervalSince(started))
    }
}

extension MIQPFormulation.Form: ExpressibleByArgument {}
extension MIQPFormulation.LossForm: ExpressibleByArgument {}
