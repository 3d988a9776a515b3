import Foundation
import Testing
@testable import SparseMTL

/// The committed Instances/ library: every instance loads, and its data is what the generator
/// makes from the settings recorded in the instance file.
@Suite struct InstanceLibraryTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Instances")

    static var instanceFiles: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasSuffix(".json") }.sorted()
    }

    @Test func libraryIsPresent() {
        #expect(Self.instanceFiles.contains("demo.json"))
        #expect(Self.instanceFiles.filter { $0.hasPrefix("ladder-") }.count >= 8)
    }

    @Test(arguments: ["demo.json", "ladder-K2-p20-n50.json", "ladder-K3-p100-n100.json", "gengl-metag.json"])
    func committedDataIsWhatTheGeneratorMakes(_ name: String) throws {
        let path = Self.folder.appendingPathComponent(name).path
        let file = try InstanceFile.read(path)
        guard let g = file.generator else { Issue.record("\(name) records no generator settings"); return }
        var settings = SyntheticSettings()
        settings.pattern = CoefficientPattern(rawValue: { if case .string(let s)? = g["pattern"] { return s }; return "" }())!
        func int(_ key: String) -> Int { if case .int(let i)? = g[key] { return i }; return -1 }
        settings.tasks = int("tasks"); settings.samplesPerTask = int("samples_per_task"); settings.features = int("features")
        settings.sparsity = int("true_sparsity"); settings.groups = int("groups"); settings.outlierTasks = int("outlier_tasks")
        settings.seed = UInt64(int("seed"))
        settings.commonFraction = g["common_fraction"]!.doubleValue!
        settings.rho = g["rho"]!.doubleValue!
        settings.snr = g["snr"]!.doubleValue!
        let regenerated = SyntheticInstance(settings)
        let committed = try String(contentsOfFile: FileIO.resolve(file.data, relativeTo: path), encoding: .utf8)
        #expect(regenerated.csv == committed, "\(name): data differs from the generator's")
        let truth = try CoefficientFile.read(FileIO.resolve(file.truth!, relativeTo: path),
                                             taskLabels: regenerated.dataset.taskLabels, featureCount: settings.features)
        #expect(truth.coefficients == regenerated.truth)
    }

    @Test(arguments: instanceFiles)
    func everyInstanceLoads(_ name: String) throws {
        let instance = try ProblemRequest(instancePath: Self.folder.appendingPathComponent(name).path).load()
        #expect(instance.taskCount >= 1 && instance.featureCount >= 20)
    }
}
