import Foundation

/// A progress line on standard error for long grid runs: the share done and an estimate of the
/// time left. On a terminal it rewrites one line (at most 4 times a second); otherwise (a log
/// file) it writes a new line at most every 10 seconds. Safe to call from several threads.
final class ProgressLine: @unchecked Sendable {
    private let lock = NSLock()
    private let label: String
    private let start = Date()
    private var last = Date.distantPast
    private var drawn = false
    private let interactive = isatty(STDERR_FILENO) != 0

    init(_ label: String) { self.label = label }

    /// Reports `done` of `total` units of work.
    func update(_ done: Int, of total: Int) {
        lock.lock(); defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(last) >= (interactive ? 0.25 : 10) || done == total else { return }
        last = now
        let elapsed = now.timeIntervalSince(start)
        let share = Double(done) / Double(max(total, 1))
        let left = done > 0 ? elapsed * (1 - share) / share : .nan
        let text = String(format: "%@: %5.1f%% (%d of %d), %@ elapsed, %@ left", label, 100 * share, done, total,
                          Self.duration(elapsed), left.isFinite ? Self.duration(left) : "?")
        if interactive {
            FileHandle.standardError.write(Data(("\r" + text + "\u{1B}[K").utf8))
            drawn = true
        } else {
            Terminal.note(text)
        }
    }

    /// Ends the line (on a terminal) so later notes start on their own line.
    func finish() {
        lock.lock(); defer { lock.unlock() }
        if drawn { FileHandle.standardError.write(Data("\n".utf8)); drawn = false }
    }

    static func duration(_ seconds: Double) -> String {
        seconds < 60 ? String(format: "%.0f s", seconds) : String(format: "%d min %02d s", Int(seconds) / 60, Int(seconds) % 60)
    }
}
