import ArgumentParser
import SparseMTL

/// `sparsemtl info`: versions of the program and the native libraries it runs on.
struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the versions of sparsemtl, GLPK and OpenBLAS.")

    func run() throws {
        print("sparsemtl \(SparseMTLCommand.version)")
        print("GLPK \(GLPKProblem.version)")
        print(BLASLibrary.configuration)
    }
}
