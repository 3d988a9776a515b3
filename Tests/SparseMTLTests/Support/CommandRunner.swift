import Foundation
import Testing

/// Runs the built `sparsemtl` executable (it sits beside the test bundle in the build folder).
struct CommandRunner {
    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static let executable: URL? = {
        var candidates: [URL] = []
        if let runner = Bundle.main.executableURL { candidates.append(runner.deletingLastPathComponent()) }
        candidates.append(Bundle.main.bundleURL)
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug"))
        return candidates.map { $0.appendingPathComponent("sparsemtl") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    /// Runs `sparsemtl arguments…` in `folder` and collects its exit status and output; with
    /// `interruptAfter`, sends `signal` (SIGINT: Ctrl-C) after that many seconds.
    static func run(_ arguments: [String], in folder: URL, interruptAfter: Double? = nil, signal: Int32 = SIGINT) throws -> Outcome {
        guard let executable else {
            Issue.record("the sparsemtl executable was not found next to the tests (build it with `swift build`)")
            return Outcome(status: -1, stdout: "", stderr: "")
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = folder
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        if let delay = interruptAfter {
            Thread.sleep(forTimeInterval: delay)
            kill(process.processIdentifier, signal)
        }
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                       stderr: String(decoding: stderr, as: UTF8.self))
    }
}
