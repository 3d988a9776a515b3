import Foundation
import Synchronization

/// Ctrl-C handling: the first SIGINT sets a flag that solvers poll between steps, so they stop
/// with their best point so far; a second SIGINT ends the program at once.
public enum Interrupt {
    private static let requested = Atomic<Int>(0)

    /// Whether an interrupt was requested since the handler was installed.
    public static var isRequested: Bool { requested.load(ordering: .relaxed) > 0 }

    /// Installs the SIGINT handler.
    public static func install() {
        signal(SIGINT) { _ in
            if Interrupt.requested.add(1, ordering: .relaxed).newValue > 1 { _exit(130) }
        }
    }
}
