import Crypto
import Foundation
import Synchronization

/// Whole-file reads and atomic writes: an output file is either complete or absent, never half written.
public enum FileIO {
    /// The files read so far, when `protectInputs` is on: no output may replace one of them.
    private static let inputs = Mutex<[String]?>(nil)

    /// From now on, every file `read` returns is remembered and `writeThroughTemporary` refuses to
    /// replace it (the `sparsemtl` command turns this on: `--output d.csv` once overwrote the data).
    public static func protectInputs() { inputs.withLock { $0 = $0 ?? [] } }

    /// The bytes of the file at `path`.
    /// - Throws: `InputError` naming the file when it is missing, a directory, or unreadable.
    public static func read(_ path: String) throws -> Data {
        inputs.withLock { list in list?.append(path) }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputError(file: path, "no such file", kind: .unreadable)
        }
        if isDirectory.boolValue { throw InputError(file: path, "is a directory, expected a file", kind: .unreadable) }
        // Mapped, not copied, where the system allows (large binary inputs are read in place).
        guard let data = try? Data(contentsOf: URL(fileURLWithPath: path), options: .mappedIfSafe) else {
            throw InputError(file: path, "cannot read file (permission denied?)", kind: .unreadable)
        }
        return data
    }

    /// Writes `data` to `path` through a temporary file in the same folder (`NAME.partial-PID`,
    /// registered with `TemporaryFiles`) and a rename, so that an interrupted or failed write leaves
    /// no partial file behind. A symbolic link is written through: its target is replaced, the link
    /// stays.
    /// - Throws: `InputError` naming the path when the folder is missing or not writable.
    public static func writeAtomically(_ data: Data, to path: String) throws {
        try writeThroughTemporary(to: path) { temporary in
            let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard fd >= 0 else { return false }
            defer { close(fd) }
            return data.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let written = write(fd, raw.baseAddress! + offset, raw.count - offset)
                    if written <= 0 { return false }
                    offset += written
                }
                return true
            }
        }
    }

    /// Runs `write` on a temporary sibling of `path` (the link's target when `path` is a symbolic
    /// link), then renames it into place; removes it when `write` returns false or the rename fails.
    /// - Throws: `InputError` naming `path` when the folder is missing or the file cannot be written.
    public static func writeThroughTemporary(to path: String, _ write: (String) -> Bool) throws {
        let target = resolvingLinks(path)
        let folder = (target as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        if !folder.isEmpty, !(FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) && isDirectory.boolValue) {
            throw InputError(file: path, "cannot write file: folder '\(folder)' does not exist", kind: .unwritable)
        }
        if FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory), isDirectory.boolValue {
            throw InputError(file: path, "cannot write file: it is a directory", kind: .unwritable)
        }
        if let input = inputs.withLock({ $0 ?? [] }).first(where: { sameFile($0, target) }) {
            throw InputError(file: path, "this output is the input file '\(input)': it would be overwritten; choose another path",
                             kind: .unwritable)
        }
        let temporary = target + ".partial-\(getpid())"
        let slot = TemporaryFiles.register(temporary)
        defer { TemporaryFiles.unregister(slot) }
        guard write(temporary) else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw InputError(file: path, "cannot write file: \(reason)", kind: .unwritable)
        }
        guard rename(temporary, target) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw InputError(file: path, "cannot write file: \(reason)", kind: .unwritable)
        }
    }

    /// `path` with symbolic links followed (up to 32 steps), relative targets resolved against the
    /// link's folder; `path` itself when it is not a link.
    static func resolvingLinks(_ path: String) -> String {
        var current = path
        for _ in 0..<32 {
            guard let destination = try? FileManager.default.destinationOfSymbolicLink(atPath: current) else { return current }
            current = resolve(destination, relativeTo: current)
        }
        return current
    }

    /// Whether the two paths name the same existing file (same device and inode).
    public static func sameFile(_ a: String, _ b: String) -> Bool {
        var sa = stat(), sb = stat()
        guard stat(a, &sa) == 0, stat(b, &sb) == 0 else { return false }
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino
    }

    /// `writeAtomically` for text (UTF-8).
    public static func writeAtomically(_ text: String, to path: String) throws {
        try writeAtomically(Data(text.utf8), to: path)
    }

    /// `path` resolved against the folder of `referencePath` when it is relative (how an instance
    /// file names its data file).
    public static func resolve(_ path: String, relativeTo referencePath: String) -> String {
        if path.hasPrefix("/") { return path }
        let folder = (referencePath as NSString).deletingLastPathComponent
        return folder.isEmpty ? path : (folder as NSString).appendingPathComponent(path)
    }

    /// The SHA-256 of the file at `path`, as 64 lowercase hex digits (what certificates and models
    /// record of the data they were made from).
    /// - Throws: `InputError` as `read`.
    public static func sha256(_ path: String) throws -> String { sha256(of: try read(path)) }

    /// The SHA-256 of `data`, as 64 lowercase hex digits.
    public static func sha256(of data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    /// `path` relative to the folder `folder` (both made absolute first), with `..` steps where
    /// needed: how a certificate names its data so that the two can move together.
    public static func relativePath(_ path: String, from folder: String) -> String {
        let target = URL(fileURLWithPath: path).standardizedFileURL.pathComponents
        let base = URL(fileURLWithPath: folder.isEmpty ? "." : folder, isDirectory: true).standardizedFileURL.pathComponents
        var common = 0
        while common < min(target.count - 1, base.count) && target[common] == base[common] { common += 1 }
        let parts = [String](repeating: "..", count: base.count - common) + target[common...]
        return parts.joined(separator: "/")
    }
}
