import Foundation
import Synchronization

/// The temporary files being written right now (an output's sibling `NAME.partial-PID`, renamed
/// into place once whole). A second Ctrl-C or SIGTERM ends the program at once (`Interrupt`); it
/// removes these first, so that no half-written file is left behind on any exit path.
public enum TemporaryFiles {
    private static let capacity = 16
    /// C strings of the registered paths; read by the signal handler, which may only call unlink.
    nonisolated(unsafe) private static let slots: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
        let slots = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: capacity)
        slots.initialize(repeating: nil, count: capacity)
        return slots
    }()
    private static let lock = Mutex(())

    /// Registers `path` until `remove(_:)`; returns its slot (nil when all slots are taken, in which
    /// case a second signal may leave this one file behind).
    public static func register(_ path: String) -> Int? {
        lock.withLock { _ in
            guard let slot = (0..<capacity).first(where: { slots[$0] == nil }) else { return nil }
            slots[slot] = strdup(path)
            return slot
        }
    }

    /// Forgets the file in `slot` (renamed into place or deleted by the caller).
    public static func unregister(_ slot: Int?) {
        guard let slot else { return }
        lock.withLock { _ in
            let path = slots[slot]
            slots[slot] = nil
            free(path)
        }
    }

    /// Deletes every registered file (from the signal handler: unlink only, no locks).
    static func removeAll() {
        for slot in 0..<capacity { if let path = slots[slot] { unlink(path) } }
    }
}
