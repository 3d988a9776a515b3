import ArgumentParser
import SparseMTL

/// `sparsemtl info`: versions of the program and the native libraries it runs on.
struct Info: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the versions of sparsemtl, GLPK and OpenBLAS.")

    /// Name and version of the program and its native libraries.
    static var versions: [(String, String)] {
        [("sparsemtl", SparseMTLCommand.version), ("glpk", GLPKProblem.version), ("openblas", BLASLibrary.configuration)]
    }

    func run() throws {
        print("sparsemtl \(SparseMTLCommand.version)")
        print("GLPK \(GLPKProblem.version)")
        print(BLASLibrary.configuration)
    }
}
