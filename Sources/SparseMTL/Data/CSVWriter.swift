import Foundation
/// Small helpers for writing CSV text.
public enum CSVWriter {
    /// A field quoted when it holds a comma, quote or line break (RFC 4180).
    public static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) || text.hasPrefix(" ") || text.hasSuffix(" ") else {
            return text
        }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A number in the shortest text that reads back to the same Double.
    public static func number(_ value: Double) -> String { "\(value)" }
}
