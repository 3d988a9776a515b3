import Foundation
import Testing
@testable import SparseMTL

/// The fast number parser against strtod, the correctly rounded reference.
@Suite struct NumberParserTests {
    static func parse(_ text: String) -> NumberParser.Outcome {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { NumberParser.parse($0, 0, bytes.count) }
    }

    @Test func agreesWithStrtodBitForBit() {
        var random = SeededRandom(seed: 99)
        var texts = ["0", "-0", "1", "-1", "0.1", ".5", "5.", "1e5", "1E-5", "+3.25", "123456789012345678",
                     "1234567890123456789012", "0.000000000000000000000000001", "9007199254740993", "1e22", "1e23",
                     "4.9e-324", "1.7976931348623157e308", "2.2250738585072014e-308", "00012.50", "-0.0e0"]
        for _ in 0..<5000 {
            let v = random.normal() * pow(10, Double(Int(random.next() % 40)) - 20)
            texts.append("\(v)")
            texts.append(String(format: "%.6f", v))
            texts.append(String(format: "%.17g", v))
            texts.append(String(format: "%.3e", v))
        }
        for text in texts {
            let expected = strtod(text, nil)
            // Magnitudes outside 1e-300…1e150 are refused (their squares overflow or they lose digits).
            if expected != 0 && (abs(expected) > NumberParser.largest || abs(expected) < NumberParser.smallest) {
                guard case .outOfRange = Self.parse(text) else { Issue.record("'\(text)' should be out of range"); continue }
                continue
            }
            guard case .number(let got) = Self.parse(text) else {
                Issue.record("'\(text)' did not parse")
                continue
            }
            #expect(got.bitPattern == expected.bitPattern, "'\(text)': got \(got), strtod \(expected)")
        }
    }

    @Test(arguments: ["1e-999", "1e200", "-2.5e151", "1e-301"])
    func refusesMagnitudesOutOfRange(_ text: String) {
        guard case .outOfRange = Self.parse(text) else {
            Issue.record("'\(text)' should be out of range")
            return
        }
    }

    @Test(arguments: ["abc", "1.2.3", "1e", "--1", "1x", "e5", ".", "-", "0x", "1 2"])
    func rejectsNonNumbers(_ text: String) {
        guard case .invalid = Self.parse(text) else {
            Issue.record("'\(text)' should be invalid")
            return
        }
    }

    @Test(arguments: ["nan", "NaN", "inf", "-Infinity", "1e400"])
    func flagsNonFinite(_ text: String) {
        guard case .nonFinite = Self.parse(text) else {
            Issue.record("'\(text)' should be non-finite")
            return
        }
    }

    @Test func emptyFieldIsEmpty() {
        guard case .empty = Self.parse("") else { Issue.record("empty should be .empty"); return }
    }
}
