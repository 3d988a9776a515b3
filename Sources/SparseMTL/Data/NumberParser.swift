import Foundation

/// Decimal text to `Double`, correctly rounded. Accepted: an optional sign, digits with an
/// optional point (`+.5` is 0.5, `5.` is 5), an optional exponent; nothing else inside the field
/// (`1 2` is not a number). Refused as out of range: magnitudes above 10¹⁵⁰ (their squares, which
/// every loss and Gram product forms, would overflow) and nonzero values below 10⁻³⁰⁰ (`1e-999`
/// would silently become 0, and subnormals lose digits). The common case (at most 19 significant digits,
/// mantissa below 2⁵³ and a decimal exponent within ±22) is done exactly in one multiplication or
/// division by a power of ten (Clinger's fast path: both operands are exact doubles, so IEEE
/// rounding of the one operation is the correctly rounded result); everything else goes to strtod.
enum NumberParser {
    /// The outcome of parsing one field.
    enum Outcome {
        /// A finite number.
        case number(Double)
        /// The field is empty.
        case empty
        /// The field parses, but to NaN or ±Inf.
        case nonFinite
        /// A finite number outside 10⁻³⁰⁰ ≤ |v| ≤ 10¹⁵⁰ (or one that underflows to 0).
        case outOfRange
        /// The field is not a number.
        case invalid
    }

    private static let exactPowersOfTen: [Double] = (0...22).map { pow(10.0, Double($0)) }

    /// The largest magnitude accepted.
    static let largest = 1e150
    /// The smallest nonzero magnitude accepted.
    static let smallest = 1e-300

    /// What a value read any way (from text or a binary file) counts as: a number, non-finite, or
    /// out of the range 10⁻³⁰⁰ ≤ |v| ≤ 10¹⁵⁰ (0 is a number).
    static func check(_ value: Double) -> Outcome {
        guard value.isFinite else { return .nonFinite }
        return value != 0 && (abs(value) > largest || abs(value) < smallest) ? .outOfRange : .number(value)
    }

    /// Parses `bytes[start..<end]` as a decimal number.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Outcome {
        if start >= end { return .empty }
        var i = start
        var negative = false
        if bytes[i] == 0x2D || bytes[i] == 0x2B { negative = bytes[i] == 0x2D; i += 1 }
        var mantissa: UInt64 = 0
        var digits = 0
        var exponent = 0
        var sawDigit = false
        while i < end, bytes[i] &- 0x30 < 10 {
            sawDigit = true
            if mantissa == 0 && bytes[i] == 0x30 { i += 1; continue }  // leading zeros
            if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(bytes[i] &- 0x30); digits += 1 } else { return slowPath(bytes, start, end) }
            i += 1
        }
        if i < end, bytes[i] == 0x2E {
            i += 1
            while i < end, bytes[i] &- 0x30 < 10 {
                sawDigit = true
                if mantissa == 0 && bytes[i] == 0x30 { exponent -= 1; i += 1; continue }
                if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(bytes[i] &- 0x30); digits += 1; exponent -= 1 } else { return slowPath(bytes, start, end) }
                i += 1
            }
        }
        guard sawDigit else { return slowPath(bytes, start, end) }  // "inf", "nan", hex, junk
        if i < end, bytes[i] | 0x20 == 0x65 {  // e or E
            i += 1
            var expNegative = false
            if i < end, bytes[i] == 0x2D || bytes[i] == 0x2B { expNegative = bytes[i] == 0x2D; i += 1 }
            var e = 0
            var sawExpDigit = false
            while i < end, bytes[i] &- 0x30 < 10 {
                sawExpDigit = true
                if e < 100_000 { e = e * 10 + Int(bytes[i] &- 0x30) }
                i += 1
            }
            guard sawExpDigit else { return .invalid }
            exponent += expNegative ? -e : e
        }
        guard i == end else { return .invalid }
        if mantissa == 0 { return .number(negative ? -0.0 : 0.0) }
        guard mantissa < (1 << 53), exponent >= -22, exponent <= 22 else { return slowPath(bytes, start, end) }
        var value = Double(mantissa)
        value = exponent < 0 ? value / exactPowersOfTen[-exponent] : value * exactPowersOfTen[exponent]
        return .number(negative ? -value : value)
    }

    /// strtod on a NUL-terminated copy; the whole field must be consumed.
    private static func slowPath(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Outcome {
        var buffer = [CChar](repeating: 0, count: end - start + 1)
        for k in start..<end { buffer[k - start] = CChar(bitPattern: bytes[k]) }
        return buffer.withUnsafeBufferPointer { p -> Outcome in
            var tail: UnsafeMutablePointer<CChar>?
            let value = strtod(p.baseAddress!, &tail)
            guard let tail, tail - UnsafeMutablePointer(mutating: p.baseAddress!) == end - start,
                  tail != UnsafeMutablePointer(mutating: p.baseAddress!) else { return .invalid }
            if value == 0 {
                // Zero only when every mantissa digit is 0 (strtod gives 0 for `1e-999` too).
                for k in start..<end {
                    let b = bytes[k]
                    if b | 0x20 == 0x65 { break }
                    if b > 0x30 && b <= 0x39 { return .outOfRange }
                }
                return .number(value)
            }
            return check(value)
        }
    }
}
