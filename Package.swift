// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "SparseMTL",
    products: [
        .executable(name: "sparsemtl", targets: ["SparseMTLCLI"]),
        .executable(name: "sparsemtl-fuzz", targets: ["SparseMTLFuzzCLI"]),
        .library(name: "SparseMTL", targets: ["SparseMTL"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // SHA-256 of data files (certificates and models name the data they were made from).
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // C shims: imported only by the wrapper files in SparseMTL/LinearAlgebra and SparseMTL/GLPK.
        .systemLibrary(name: "_CGLPK", path: "Sources/_CGLPK"),
        .systemLibrary(name: "_COpenBLAS", path: "Sources/_COpenBLAS", pkgConfig: "openblas"),
        // The engine: data, linear algebra, model, objective, generator, GLPK wrapper.
        // GLPK's solves with its abort() on internal errors turned into a return code (setjmp/longjmp).
        .target(name: "CGLPKGuard", dependencies: ["_CGLPK"]),
        .target(name: "SparseMTL", dependencies: ["_CGLPK", "CGLPKGuard", "_COpenBLAS", .product(name: "Crypto", package: "swift-crypto")]),
        // The `sparsemtl` command-line tool.
        .executableTarget(
            name: "SparseMTLCLI",
            dependencies: ["SparseMTL", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // The robustness check: seeded tiny problems over every penalty mix, checked against brute force.
        .target(name: "SparseMTLFuzz", dependencies: ["SparseMTL"]),
        .executableTarget(name: "SparseMTLFuzzCLI", dependencies: ["SparseMTL", "SparseMTLFuzz"]),
        .testTarget(name: "SparseMTLTests", dependencies: ["SparseMTL", "SparseMTLFuzz"]),
    ]
)
