import Foundation

/// One NumPy array as stored in a `.npy` file (format versions 1–3): its shape and its values,
/// either numbers (float64, float32 or integers, read exactly into Double) or text (fixed-width
/// Unicode `<U…` or bytes `|S…`, as labels). Object arrays (pickled) are refused.
/// Numbers are read in place from the file's bytes; text is decoded.
public struct NPYArray: Sendable {
    /// The array's shape (empty for a scalar).
    public var shape: [Int]
    /// The values in C order, when the array holds text.
    public var strings: [String]?
    /// The numeric payload as stored (little-endian, `numericKind` of `width` bytes, C or Fortran
    /// order), read in place: a slice of the file's bytes, not a copy.
    private var payload: Data?
    private var numericKind: Character = "f", width = 8, fortran = false

    /// Number of elements.
    public var count: Int { shape.reduce(1, *) }

    /// Whether the array holds numbers.
    public var isNumeric: Bool { payload != nil }

    /// Reads the numbers of the array in place: `reader[i]` is element i in C (row-major) order,
    /// as a Double (exact for float64, float32 and integers up to 2⁵³). Only for numeric arrays.
    public func withNumbers<R>(_ body: (NumberReader) throws -> R) rethrows -> R {
        try payload!.withUnsafeBytes { raw in
            try body(NumberReader(raw: raw, kind: numericKind, width: width,
                                  columns: fortran && shape.count == 2 ? shape[1] : 0, rows: shape.first ?? 1))
        }
    }

    /// Element access over a numeric payload (see `withNumbers`).
    public struct NumberReader {
        let raw: UnsafeRawBufferPointer
        let kind: Character, width: Int
        /// For a Fortran-ordered matrix: its columns and rows (columns 0 otherwise).
        let columns: Int, rows: Int

        @inline(__always) public subscript(index: Int) -> Double {
            let i = columns == 0 ? index : (index % columns) * rows + index / columns
            switch width {
            case 8: return kind == "f" ? raw.loadUnaligned(fromByteOffset: 8 * i, as: Double.self)
                                       : Double(raw.loadUnaligned(fromByteOffset: 8 * i, as: Int64.self))
            default: return kind == "f" ? Double(raw.loadUnaligned(fromByteOffset: 4 * i, as: Float.self))
                                        : Double(raw.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self))
            }
        }
    }

    /// All values in C order, when the array holds numbers (a copy).
    public var numbers: [Double]? { isNumeric ? withNumbers { v in (0..<count).map { v[$0] } } : nil }

    /// Parses the bytes of one `.npy` file; `name` says where it came from in messages.
    /// - Throws: `InputError` for a bad magic string or header, a dtype that is not read, or too
    ///   few bytes for the shape.
    public static func parse(_ data: Data, name: String) throws -> NPYArray {
        func fail(_ why: String) -> InputError { InputError(file: name, why) }
        let bytes = [UInt8](data.prefix(12))
        let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]  // \x93NUMPY
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else { throw fail("not a NumPy .npy array (bad magic string)") }
        let major = bytes[6]
        let headerLength: Int, headerStart: Int
        switch major {
        case 1:
            headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
            headerStart = 10
        case 2, 3:
            guard bytes.count >= 12 else { throw fail("truncated .npy header") }
            headerLength = (0..<4).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
            headerStart = 12
        default:
            throw fail(".npy format version \(major) is not read (versions 1–3 are)")
        }
        guard data.count >= headerStart + headerLength else { throw fail("truncated .npy header") }
        let first = data.startIndex
        let header = String(decoding: data[(first + headerStart)..<(first + headerStart + headerLength)], as: UTF8.self)
        guard let descr = Self.value(of: "descr", in: header).map({ $0.trimmingCharacters(in: CharacterSet(charactersIn: "'\"")) }),
              let order = Self.value(of: "fortran_order", in: header), let shapeText = Self.value(of: "shape", in: header) else {
            throw fail("unreadable .npy header: \(header.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        let shape = try shapeText.trimmingCharacters(in: CharacterSet(charactersIn: "() ")).split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.map { text -> Int in
                guard let n = Int(text), n >= 0 else { throw fail("bad shape \(shapeText)") }
                return n
            }
        let body = data[(first + headerStart + headerLength)...]
        let count = shape.reduce(1) { $0.multipliedReportingOverflow(by: $1).overflow ? Int.max : $0 * $1 }
        if descr.dropFirst().hasPrefix("O") {
            throw fail("an object array (pickled) is not read: save labels with .astype(str) and numbers with .astype(float)")
        }
        guard descr.count >= 3 else { throw fail("dtype '\(descr)' is not read") }
        let endian = descr.first!, kind = descr[descr.index(after: descr.startIndex)]
        guard let width = Int(descr.dropFirst(2)), width > 0 else { throw fail("dtype '\(descr)' is not read") }
        guard endian != ">" else { throw fail("big-endian dtype '\(descr)': save with .astype('<\(kind)\(width)')") }
        let itemBytes = kind == "U" ? 4 * width : width
        guard count < Int.max / itemBytes, body.count >= count * itemBytes else {
            throw fail("has \(body.count) bytes of data, the shape \(shape) needs \(count) × \(itemBytes)")
        }
        var array = NPYArray(shape: shape, strings: nil, payload: nil)
        array.fortran = order.hasPrefix("True")
        switch (kind, width) {
        case ("f", 8), ("f", 4), ("i", 8), ("i", 4):
            array.payload = body.prefix(count * itemBytes)
            array.numericKind = kind
            array.width = width
        case ("U", _):
            array.strings = body.withUnsafeBytes { raw in
                (0..<count).map { i in
                    var scalars = String.UnicodeScalarView()
                    for c in 0..<width {
                        let code = raw.loadUnaligned(fromByteOffset: itemBytes * i + 4 * c, as: UInt32.self)
                        if code == 0 { break }
                        scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
                    }
                    return String(scalars)
                }
            }
        case ("S", _):
            array.strings = body.withUnsafeBytes { raw in
                (0..<count).map { i in String(decoding: raw[(itemBytes * i)..<(itemBytes * (i + 1))].prefix { $0 != 0 }, as: UTF8.self) }
            }
        default:
            throw fail("dtype '\(descr)' is not read (float64, float32, int64, int32, or text <U / |S)")
        }
        if array.fortran && shape.count == 2, let strings = array.strings {
            let (rows, columns) = (shape[0], shape[1])
            array.strings = (0..<(rows * columns)).map { strings[($0 % columns) * rows + $0 / columns] }
        }
        return array
    }

    /// The text after `'key':` in a header dictionary, up to the next top-level comma.
    static func value(of key: String, in header: String) -> String? {
        guard let range = header.range(of: "'\(key)':") else { return nil }
        var depth = 0
        var out = ""
        for c in header[range.upperBound...] {
            if c == "(" { depth += 1 }
            if c == ")" { depth -= 1 }
            if (c == "," && depth == 0) || c == "}" { break }
            out.append(c)
        }
        return out.trimmingCharacters(in: .whitespaces)
    }
}
