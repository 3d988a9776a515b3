import Foundation
import SparseMTL

/// Runs one `FuzzCase` through the certificate core and checks it against brute force: the exact
/// solve (its bound never above the optimum, its "optimal" never wrong, its status never a bare
/// `error`), the certificate it writes (`verify` passes it), and tampered copies of that
/// certificate whose stated numbers are false for the stated problem (`verify` fails each).
public struct FuzzCheck {
    /// Seconds the exact solve may take, and `verify`.
    public var solveSeconds = 20.0
    public var verifySeconds = 30.0
    /// A run longer than its limit by this much counts as a hang.
    public var hangMargin = 5.0
    /// No enumeration of supports, in the solve nor in `verify`: every bound comes from GLPK's LP
    /// and tree, as on problems too large to enumerate.
    public var treeOnly = false
    var enumerationLimit: Double { treeOnly ? 0 : Verifier.enumerationLimit }

    public init() {}

    /// What one case gave.
    public struct Outcome: Sendable {
        public var fuzzCase: FuzzCase
        public var status: SolveStatus
        public var message: String?
        public var optimum: Double
        public var upperBound: Double
        public var lowerBound: Double?
        public var solveSeconds: Double
        public var verifySeconds: Double
        /// LB above the brute-force optimum (beyond rounding).
        public var invalidBound: Bool
        /// The bound of the solver's root loop and tree (before the enumeration of small problems
        /// replaced it) above the optimum: what GLPK's tolerances did, which the result does not carry.
        public var treeBoundAbove: Bool
        public var treeBound: Double? = nil
        /// Status optimal, but UB above the optimum by more than the gap.
        public var wrongOptimum: Bool
        /// The solve or verify ran past its limit.
        public var hang: Bool
        /// verify's verdict on the certificate the solve wrote, and its failed checks.
        public var verifyPassed: Bool
        public var verifyFailures: [String]
        /// Tampered certificates: how many were made, and the edits `verify` did not catch.
        public var tampered: Int
        public var tamperMissed: [String]
        /// An input or file error thrown where none was expected.
        public var thrown: String?

        /// Whether anything went wrong.
        public var failed: Bool {
            invalidBound || wrongOptimum || hang || !verifyPassed || !tamperMissed.isEmpty || status == .error || thrown != nil
        }
    }

    /// Rounding allowed when comparing with brute force (which evaluates F at feasible points, so
    /// it never underestimates the optimum): 10⁻¹⁰|v| + 10⁻¹²√(F₀|v|) + 10⁻¹⁶F₀.
    static func oracleTolerance(_ value: Double, scale: Double) -> Double {
        1e-10 * abs(value) + 1e-12 * (scale * abs(value)).squareRoot() + 1e-16 * scale
    }

    /// Runs the case in a fresh folder under `folder` (removed afterwards).
    public func run(_ fuzzCase: FuzzCase, in folder: URL) -> Outcome {
        let dir = folder.appendingPathComponent("case-\(fuzzCase.index)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var outcome = Outcome(fuzzCase: fuzzCase, status: .error, message: nil, optimum: .nan, upperBound: .nan, lowerBound: nil,
                              solveSeconds: 0, verifySeconds: 0, invalidBound: false, treeBoundAbove: false, wrongOptimum: false, hang: false,
                              verifyPassed: false, verifyFailures: [], tampered: 0, tamperMissed: [], thrown: nil)
        do {
            let data = dir.appendingPathComponent("data.csv").path
            try FileIO.writeAtomically(fuzzCase.csv, to: data)
            var request = ProblemRequest(dataPath: data)
            request.sparsity = fuzzCase.penalty.sparsity
            request.ridge = fuzzCase.penalty.ridge
            request.bbar = fuzzCase.penalty.bbar
            request.zbar = fuzzCase.penalty.zbar
            request.bigM = fuzzCase.penalty.bigM
            request.standardize = fuzzCase.standardize
            if let graph = fuzzCase.graphCSV {
                let path = dir.appendingPathComponent("graph.csv").path
                try FileIO.writeAtomically(graph, to: path)
                request.taskGraphPath = path
            }
            let definition = try request.loadDefinition()
            let instance = try definition.instance()
            let optimum = BruteForce.solve(instance).value
            outcome.optimum = optimum
            let scale = instance.nullObjective
            let tolerance = Self.oracleTolerance(optimum, scale: scale)

            var settings = ExactSettings()
            settings.relativeGap = fuzzCase.gap
            settings.timeLimitSeconds = solveSeconds
            if treeOnly { settings.enumerationLimit = 0 }
            let started = Date()
            let solved = try ExactSolver(settings: settings).solve(instance)
            outcome.solveSeconds = Date().timeIntervalSince(started)
            let result = solved.result
            outcome.status = result.status
            outcome.message = result.message
            outcome.upperBound = result.objective.objective
            outcome.lowerBound = result.lowerBound
            outcome.hang = outcome.solveSeconds > solveSeconds + hangMargin
            if let lb = result.lowerBound, lb > optimum + tolerance { outcome.invalidBound = true }
            outcome.treeBound = solved.treeBound
            if let tree = solved.treeBound, tree - ExactSolver.safetyMargin(tree, instance) > optimum + tolerance { outcome.treeBoundAbove = true }
            // "optimal" claims UB − optimum ≤ gap·|UB| (or the absolute gap 10⁻¹²·F₀).
            if result.status == .optimal {
                let allowed = max(fuzzCase.gap, 1e-9) * abs(outcome.upperBound) + 1e-12 * scale + 2 * tolerance
                outcome.wrongOptimum = outcome.upperBound - optimum > allowed
            }

            // The certificate, then verify, then tampered copies.
            let certificate = dir.appendingPathComponent("c.json").path
            try Certificate.write(definition: definition, instance: instance, outcome: solved, versions: [], to: certificate)
            let verifyStarted = Date()
            let report = try Verifier.verify(certificate, timeLimitSeconds: verifySeconds, enumerationLimit: enumerationLimit)
            outcome.verifySeconds = Date().timeIntervalSince(verifyStarted)
            outcome.hang = outcome.hang || outcome.verifySeconds > verifySeconds + hangMargin
            outcome.verifyPassed = report.passed
            outcome.verifyFailures = report.checks.filter { !$0.passed }.map { "\($0.name): \($0.detail)" }

            let original = try JSONValue.read(certificate)
            for (what, edited) in tamperings(original, optimum: optimum, scale: scale) {
                let path = dir.appendingPathComponent("t.json").path
                try FileIO.writeAtomically(edited.text, to: path)
                outcome.tampered += 1
                if let report = try? Verifier.verify(path, timeLimitSeconds: verifySeconds, enumerationLimit: enumerationLimit), report.passed {
                    outcome.tamperMissed.append(what)
                }
            }
        } catch {
            outcome.thrown = "\(error)"
        }
        return outcome
    }

    /// Edits of the certificate that make a stated number false for the stated problem, each named:
    /// LB raised above the brute-force optimum; UB moved off F(incumbent); a dual point changed (its
    /// cut's stored terms no longer derive from it); a perspective shift raised above λ_min (its
    /// shifted cuts are no longer bounds); the implied box narrowed below √(F(incumbent)/α); a cut's stored constant changed (cuts are in the
    /// master's units, where F₀ ≈ 1).
    func tamperings(_ json: JSONValue, optimum: Double, scale: Double) -> [(String, JSONValue)] {
        var edits: [(String, JSONValue)] = []
        let margin = max(Verifier.slack(optimum, optimum, scale: scale) * 4 + 1e-7 * abs(optimum) + 1e-13 * scale, 1e-300)
        if case .number(let lb)? = json["lower_bound"] {
            edits.append(("lower bound raised above the optimum", Self.replacing(json, ["lower_bound"], .number(max(lb, optimum) + margin))))
        }
        if let ub = json["upper_bound"]?.doubleValue {
            let shift = max(1e-6 * abs(ub) + Verifier.slack(ub, ub, scale: scale) * 4 + 1e-13 * scale, 1e-300)
            edits.append(("upper bound raised", Self.replacing(json, ["upper_bound"], .number(ub + shift))))
            edits.append(("upper bound lowered", Self.replacing(json, ["upper_bound"], .number(ub - shift))))
        }
        // The first cut's dual point: u, or a shifted cut's anchor β̂.
        for key in ["u", "anchor"] {
            if case .array(let cuts)? = json["cuts"], !cuts.isEmpty, case .array(let vectors)? = cuts[0]["dual"]?[key],
               case .array(let first)? = vectors.first, let value = first.first?.doubleValue {
                edits.append(("dual point changed", Self.replacing(json, ["cuts", 0, "dual", key, 0, 0], .number(value + 1 + abs(value)))))
            }
        }
        if case .array(let shifts)? = json["perspective_shifts"], let k = shifts.firstIndex(where: { ($0.doubleValue ?? 0) > 0 }),
           let d = shifts[k].doubleValue {
            // Above λ_min(G_k) (d = 0.95·λ_min): G_k − d·I is no longer positive semidefinite.
            edits.append(("perspective shift raised", Self.replacing(json, ["perspective_shifts", k], .number(1.5 * d))))
        }
        if let box = json["implied_box"]?.doubleValue {
            // α·(0.9·M̂)² < F(incumbent): some B better than the incumbent could lie outside.
            edits.append(("implied box narrowed", Self.replacing(json, ["implied_box"], .number(0.9 * box))))
        }
        if case .array(let cuts)? = json["cuts"], !cuts.isEmpty, let constant = cuts[0]["constant"]?.doubleValue {
            edits.append(("cut constant changed",
                          Self.replacing(json, ["cuts", 0, "constant"], .number(constant + 1e-4 * max(abs(constant), 1)))))
        }
        return edits
    }

    /// `value` with the element at `path` (object keys and array indices) replaced.
    public static func replacing(_ value: JSONValue, _ path: [Any], _ replacement: JSONValue) -> JSONValue {
        guard let head = path.first else { return replacement }
        let rest = Array(path.dropFirst())
        switch (value, head) {
        case (.object(let pairs), let key as String):
            return .object(pairs.map { $0.0 == key ? ($0.0, replacing($0.1, rest, replacement)) : $0 })
        case (.array(let items), let index as Int) where items.indices.contains(index):
            var copy = items
            copy[index] = replacing(items[index], rest, replacement)
            return .array(copy)
        default:
            return value
        }
    }
}
