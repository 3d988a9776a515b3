import Foundation

/// The arrays of a NumPy `.npz` file as `numpy.savez` writes it: a ZIP archive (ZIP64 included)
/// of `.npy` members stored without compression. Compressed archives (`numpy.savez_compressed`)
/// are refused with a message saying so.
public struct NPZArchive: Sendable {
    /// The arrays by name (the member's name without `.npy`).
    public var arrays: [String: NPYArray]

    /// Reads the archive at `path`.
    /// - Throws: `InputError` naming the file for a missing file, a file that is not a ZIP
    ///   archive, a compressed member, or a member that is not a readable `.npy` array.
    public static func read(_ path: String) throws -> NPZArchive {
        try parse(FileIO.read(path), file: path)
    }

    /// Parses the bytes of a `.npz` file; `file` names it in messages. The arrays' numbers stay
    /// in `data` (slices, no copies).
    public static func parse(_ data: Data, file: String) throws -> NPZArchive {
        try data.withUnsafeBytes { bytes in try parse(bytes, data: data, file: file) }
    }

    private static func parse(_ bytes: UnsafeRawBufferPointer, data: Data, file: String) throws -> NPZArchive {
        func fail(_ why: String) -> InputError { InputError(file: file, why) }
        func u16(_ at: Int) -> Int { Int(bytes.loadUnaligned(fromByteOffset: at, as: UInt16.self).littleEndian) }
        func u32(_ at: Int) -> Int { Int(bytes.loadUnaligned(fromByteOffset: at, as: UInt32.self).littleEndian) }
        func u64(_ at: Int) -> Int { Int(truncatingIfNeeded: bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self).littleEndian) }
        func inside(_ at: Int, _ length: Int) -> Bool { at >= 0 && length >= 0 && at <= bytes.count - length }

        // The end-of-central-directory record, within the last 64 KiB + 22 bytes.
        guard bytes.count >= 22 else { throw fail("not a .npz archive (too short for a ZIP file)") }
        guard let end = stride(from: bytes.count - 22, through: max(0, bytes.count - 22 - 65_535), by: -1)
            .first(where: { u32($0) == 0x0605_4B50 }) else {
            throw fail("not a .npz archive (no ZIP end-of-central-directory record)")
        }
        var entries = u16(end + 10), directory = u32(end + 16)
        if (entries == 0xFFFF || directory == 0xFFFF_FFFF), end >= 20, u32(end - 20) == 0x0706_4B50 {
            let record = u64(end - 20 + 8)
            guard inside(record, 56), u32(record) == 0x0606_4B50 else { throw fail("bad ZIP64 end-of-central-directory record") }
            entries = u64(record + 32)
            directory = u64(record + 48)
        }
        var arrays: [String: NPYArray] = [:]
        var at = directory
        for _ in 0..<entries {
            guard inside(at, 46), u32(at) == 0x0201_4B50 else { throw fail("bad ZIP central directory entry at byte \(at)") }
            let method = u16(at + 10)
            var compressed = u32(at + 20), local = u32(at + 42)
            let nameLength = u16(at + 28), extraLength = u16(at + 30), commentLength = u16(at + 32)
            guard inside(at + 46, nameLength + extraLength + commentLength) else { throw fail("truncated ZIP central directory") }
            let name = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[(at + 46)..<(at + 46 + nameLength)]), as: UTF8.self)
            // ZIP64 sizes and offsets, in the order of the fields that are 0xFFFFFFFF.
            var extra = at + 46 + nameLength
            let extraEnd = extra + extraLength
            while extra + 4 <= extraEnd {
                let id = u16(extra), size = u16(extra + 2)
                if id == 0x0001 {
                    var field = extra + 4
                    if u32(at + 24) == 0xFFFF_FFFF { field += 8 }  // uncompressed size
                    if compressed == 0xFFFF_FFFF { compressed = u64(field); field += 8 }
                    if local == 0xFFFF_FFFF { local = u64(field) }
                }
                extra += 4 + size
            }
            at = extraEnd + commentLength
            guard method == 0 else {
                throw fail("member '\(name)' is compressed (numpy.savez_compressed): write the file with numpy.savez")
            }
            guard inside(local, 30), u32(local) == 0x0403_4B50 else { throw fail("bad ZIP local header for '\(name)'") }
            let start = local + 30 + u16(local + 26) + u16(local + 28)
            guard inside(start, compressed) else { throw fail("member '\(name)' runs past the end of the file") }
            let key = name.hasSuffix(".npy") ? String(name.dropLast(4)) : name
            let first = data.startIndex
            arrays[key] = try NPYArray.parse(data[(first + start)..<(first + start + compressed)], name: "\(file)[\(key)]")
        }
        return NPZArchive(arrays: arrays)
    }
}
