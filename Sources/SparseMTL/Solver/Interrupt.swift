import Foundation
import Synchronization

/// Ctrl-C handling: the first SIGINT sets a flag that solvers poll between steps, so they stop
/// with their best point so far; a second SIGINT ends the program at once.
public enum Interrupt {
    private static let requested = Atomic<Int>(0)

    /// Whether an interrupt was requested since the handler was installed.
    public static var isRequested: Bool { requested.load(ordering: .relaxed) > 0 }

    /// Installs the SIGINT handler, and unblocks SIGINT, which a parent process may have left
    /// blocked in the mask this process inherited (the signal would then never arrive).
    public static func install() {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        signal(SIGINT) { _ in
            if Interrupt.requested.add(1, ordering: .relaxed).newValue > 1 { _exit(130) }
        }
    }
}
