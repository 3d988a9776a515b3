import Dispatch
import Foundation

/// Independent pieces of work spread over threads (the folds of a cross-validation).
public enum ParallelWork {
    /// body(0), …, body(count − 1) on up to `workers` threads, each taking the next index when it
    /// is free; the results in index order. The BLAS thread count is left alone (it is global, and
    /// other threads may be inside BLAS): a program sets it to 1 at its top level when the work
    /// above BLAS is what runs in parallel (`BLASLibrary.withThreads`, as `sparsemtl cv` does).
    public static func map<T: Sendable>(_ count: Int, workers: Int, _ body: @escaping @Sendable (Int) -> T) -> [T] {
        let workers = max(1, min(workers, count))
        let shared = Shared<T>(count: count)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let index = shared.take() { shared.store(body(index), at: index) }
        }
        return shared.results.map { $0! }
    }

    /// The next index to take and the results so far, behind a lock.
    private final class Shared<T>: @unchecked Sendable {
        private let lock = NSLock()
        private var next = 0
        private let count: Int
        private(set) var results: [T?]

        init(count: Int) {
            self.count = count
            results = [T?](repeating: nil, count: count)
        }

        func take() -> Int? {
            lock.lock(); defer { lock.unlock() }
            guard next < count else { return nil }
            next += 1
            return next - 1
        }

        func store(_ value: T, at index: Int) {
            lock.lock(); defer { lock.unlock() }
            results[index] = value
        }
    }
}
