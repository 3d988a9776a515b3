import Foundation
import Synchronization

/// Ctrl-C (SIGINT) and SIGTERM handling: the first signal sets a flag that solvers poll between
/// steps, so they stop with their best point so far and the command writes it; a second signal
/// removes the temporary files being written (`TemporaryFiles`) and ends the program at once.
/// SIGTERM is what schedulers, `timeout` and container stops send: it is treated as Ctrl-C, and the
/// command exits 128 + the signal's number (130 for SIGINT, 143 for SIGTERM).
public enum Interrupt {
    private static let received = Atomic<Int32>(0)
    private static let count = Atomic<Int>(0)

    /// A signal that stops a command.
    public struct Signal: Sendable {
        /// The signal's number (SIGINT or SIGTERM).
        public var number: Int32
        /// "Ctrl-C (SIGINT)" or "SIGTERM".
        public var name: String { number == SIGINT ? "Ctrl-C (SIGINT)" : "SIGTERM" }
        /// 128 + the number: 130 or 143.
        public var exitCode: Int32 { 128 + number }
    }

    /// Whether an interrupt was requested since the handler was installed.
    public static var isRequested: Bool { count.load(ordering: .relaxed) > 0 }

    /// The first signal received, if any.
    public static var signal: Signal? {
        let number = received.load(ordering: .relaxed)
        return number == 0 ? nil : Signal(number: number)
    }

    /// Installs the handler for SIGINT and SIGTERM, and unblocks both, which a parent process may
    /// have left blocked in the mask this process inherited (the signal would then never arrive).
    public static func install() {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        for number in [SIGINT, SIGTERM] {
            Glibc.signal(number) { number in
                _ = Interrupt.received.compareExchange(expected: 0, desired: number, ordering: .relaxed)
                if Interrupt.count.add(1, ordering: .relaxed).newValue > 1 {
                    TemporaryFiles.removeAll()
                    _exit(128 + Interrupt.received.load(ordering: .relaxed))
                }
            }
        }
    }
}
