import Foundation

/// Whole-file reads and atomic writes: an output file is either complete or absent, never half written.
public enum FileIO {
    /// The bytes of the file at `path`.
    /// - Throws: `InputError` naming the file when it is missing, a directory, or unreadable.
    public static func read(_ path: String) throws -> Data {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputError(file: path, "no such file", kind: .unreadable)
        }
        if isDirectory.boolValue { throw InputError(file: path, "is a directory, expected a file", kind: .unreadable) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw InputError(file: path, "cannot read file (permission denied?)", kind: .unreadable)
        }
        return data
    }

    /// Writes `data` to `path` through a temporary file in the same folder and a rename, so that
    /// an interrupted or failed write leaves no partial file behind.
    /// - Throws: `InputError` naming the path when the folder is missing or not writable.
    public static func writeAtomically(_ data: Data, to path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        if !folder.isEmpty, !(FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) && isDirectory.boolValue) {
            throw InputError(file: path, "cannot write file: folder '\(folder)' does not exist", kind: .unwritable)
        }
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw InputError(file: path, "cannot write file: \((error as NSError).localizedDescription)", kind: .unwritable)
        }
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
}
