import CoreLoop

/// Runs blocking work off the loop and brings the result back to it.
///
/// The daemon uses `WorkerPool`s (password hashing, database reads, and a
/// single-thread pool as the storage writer, which keeps writes in order);
/// handler tests use `InlineOffloader`.
///
/// Thread-safety: `offload` on the loop thread; `completion` runs on the loop thread.
public protocol Offloader: AnyObject {
    func offload<T>(_ work: @escaping () throws -> T, completion: @escaping (Result<T, Error>) -> Void)
}

extension WorkerPool: Offloader {
    public func offload<T>(_ work: @escaping () throws -> T, completion: @escaping (Result<T, Error>) -> Void) {
        do {
            try submit(work, completion: completion)
        } catch {
            // Queue full or shut down: the caller hears it like any other failure.
            completion(.failure(error))
        }
    }
}

/// Runs work at once on the calling thread, or, when `deferred`, when
/// `runPending()` is called (to test what happens while work is in flight).
/// `runWork()` and `runCompletions()` split that in two, as threads do:
/// the work has run but its answer has not reached the loop yet.
///
/// Thread-safety: the test's thread only.
public final class InlineOffloader: Offloader {
    public var deferred = false
    private var pending: [() -> Void] = []
    private var answered: [() -> Void] = []

    public init() {}

    public func offload<T>(_ work: @escaping () throws -> T, completion: @escaping (Result<T, Error>) -> Void) {
        guard deferred else { return completion(Result { try work() }) }
        pending.append { [unowned self] in
            let result = Result { try work() }
            answered.append { completion(result) }
        }
    }

    public var pendingCount: Int { pending.count }

    public func runWork() {
        let jobs = pending
        pending = []
        jobs.forEach { $0() }
    }

    public func runCompletions() {
        let completions = answered
        answered = []
        completions.forEach { $0() }
    }

    public func runPending() {
        while !pending.isEmpty || !answered.isEmpty {
            runWork()
            runCompletions()
        }
    }
}

/// Counts the jobs handed to another offloader until their completion has
/// run, so shutdown can wait until every storage write is done and reported.
///
/// Thread-safety: loop thread only (as `Offloader`).
public final class CountingOffloader: Offloader {
    private let base: Offloader
    /// Jobs offloaded whose completion has not run yet.
    public var outstanding: Int { pending }
    /// Internal behind `outstanding`: see `StreamConnection.descriptor`.
    private var pending = 0

    public init(_ base: Offloader) { self.base = base }

    public func offload<T>(_ work: @escaping () throws -> T, completion: @escaping (Result<T, Error>) -> Void) {
        pending += 1
        base.offload(work) { [self] result in
            pending -= 1
            completion(result)
        }
    }
}
