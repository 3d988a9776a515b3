import Foundation
/// A record-by-record scanner over comma-separated bytes (RFC 4180: fields may be quoted with `"`,
/// a quote inside a quoted field is doubled, quoted fields may span lines). Lines end in LF, CRLF or
/// CR; blank lines are skipped; spaces and tabs around a field are ignored; a UTF-8 byte-order
/// mark is skipped. Field contents are byte ranges into the buffer: nothing is copied.
struct CSVScanner {
    /// One field of the current record: the bytes `start..<end` (inside the quotes, if quoted).
    struct Field {
        var start: Int
        var end: Int
        /// The field contains doubled quotes `""` that stand for one `"`.
        var hasEscapedQuotes: Bool
    }

    let bytes: UnsafeBufferPointer<UInt8>
    let file: String
    private(set) var position = 0
    /// The line the scanner is on (1-based).
    private(set) var line = 1

    init(bytes: UnsafeBufferPointer<UInt8>, file: String) {
        self.bytes = bytes
        self.file = file
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { position = 3 }
    }

    /// Reads the next non-blank record into `fields` and returns the line it starts on,
    /// or nil at the end of the input.
    /// - Throws: `InputError` for an unterminated quoted field or text after a closing quote.
    mutating func nextRecord(into fields: inout [Field]) throws -> Int? {
        let n = bytes.count
        while true {
            fields.removeAll(keepingCapacity: true)
            if position >= n { return nil }
            let startLine = line
            while true {
                while position < n, bytes[position] == 0x20 || bytes[position] == 0x09 { position += 1 }
                if position < n, bytes[position] == 0x22 {
                    fields.append(try scanQuoted())
                } else {
                    let start = position
                    while position < n {
                        let b = bytes[position]
                        if b == 0x2C || b == 0x0A || b == 0x0D { break }
                        position += 1
                    }
                    var end = position
                    while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
                    fields.append(Field(start: start, end: end, hasEscapedQuotes: false))
                }
                if position < n, bytes[position] == 0x2C { position += 1; continue }
                break
            }
            if position < n {
                if bytes[position] == 0x0D {
                    position += 1
                    if position < n, bytes[position] == 0x0A { position += 1 }
                } else {
                    position += 1  // LF
                }
                line += 1
            }
            if fields.count == 1, fields[0].start == fields[0].end, !fields[0].hasEscapedQuotes,
               fields[0].start == 0 || bytes[fields[0].start - 1] != 0x22 {
                continue  // blank line
            }
            return startLine
        }
    }

    /// Scans a quoted field starting at the opening quote; leaves `position` after the closing
    /// quote and any trailing spaces.
    private mutating func scanQuoted() throws -> Field {
        let n = bytes.count
        let openLine = line
        position += 1
        let start = position
        var escaped = false
        while true {
            guard position < n else {
                throw InputError(file: file, line: openLine, "quoted field is never closed")
            }
            let b = bytes[position]
            if b == 0x22 {
                if position + 1 < n, bytes[position + 1] == 0x22 {
                    escaped = true
                    position += 2
                    continue
                }
                break
            }
            if b == 0x0A || (b == 0x0D && !(position + 1 < n && bytes[position + 1] == 0x0A)) { line += 1 }
            position += 1
        }
        let end = position
        position += 1
        while position < n, bytes[position] == 0x20 || bytes[position] == 0x09 { position += 1 }
        if position < n, ![0x2C, 0x0A, 0x0D].contains(bytes[position]) {
            throw InputError(file: file, line: line, "unexpected text after a closing quote")
        }
        return Field(start: start, end: end, hasEscapedQuotes: escaped)
    }

    /// The text of a field (quotes removed, doubled quotes undone).
    func string(_ field: Field) -> String {
        let raw = String(decoding: UnsafeBufferPointer(rebasing: bytes[field.start..<field.end]), as: UTF8.self)
        return field.hasEscapedQuotes ? raw.replacingOccurrences(of: "\"\"", with: "\"") : raw
    }

    /// Whether two fields hold the same bytes (cheap label comparison without making a String).
    func sameBytes(_ a: Field, _ b: Field, in other: UnsafeBufferPointer<UInt8>) -> Bool {
        let length = a.end - a.start
        guard length == b.end - b.start else { return false }
        for i in 0..<length where bytes[a.start + i] != other[b.start + i] { return false }
        return true
    }
}
