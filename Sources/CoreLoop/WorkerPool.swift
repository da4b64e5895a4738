import CEpoll
#if canImport(Glibc)
import Glibc
#endif

/// A few threads for blocking work (password hashing, fsync, large database
/// reads) whose results come back on the loop thread via `EventLoop.execute`.
///
/// Jobs run in submission order per thread, concurrently across threads. The
/// queue is bounded: `submit` refuses work past `maxQueued` so a flood of
/// requests cannot grow memory without limit.
///
/// Thread-safety: `submit` and `shutdown` from any thread; completions run on the loop thread.
public final class WorkerPool {
    public enum SubmitError: Error, CustomStringConvertible {
        case queueFull(limit: Int)
        case shutDown
        public var description: String {
            switch self {
            case .queueFull(let limit): return "worker queue full (\(limit) jobs waiting)"
            case .shutDown: return "worker pool shut down"
            }
        }
    }

    private let loop: EventLoop
    private let lock = Lock()
    private var condition = pthread_cond_t()
    private var jobs: [() -> Void] = []
    private var jobsHead = 0
    private var stopping = false
    private var threads: [pthread_t] = []
    public let maxQueued: Int
    private let priority: Priority

    /// How the workers share a core with the loop thread.
    public enum Priority: Sendable {
        /// Added to the workers' nice value (Linux: per thread): on a busy
        /// core the loop thread gets most of it.
        case nice(Int32)
        /// SCHED_IDLE: the workers run only when the core is otherwise
        /// idle, so a burst of work (hundreds of password hashes) never
        /// delays the loop; they still progress whenever the loop waits.
        case idle
    }

    /// - Parameter priority: see `Priority`; by default nice +10.
    public init(loop: EventLoop, threads count: Int, maxQueued: Int = 10_000, priority: Priority = .nice(10)) {
        self.loop = loop
        self.maxQueued = maxQueued
        self.priority = priority
        pthread_cond_init(&condition, nil)
        for _ in 0..<max(1, count) {
            var thread = pthread_t()
            let box = Unmanaged.passRetained(self)
            pthread_create(&thread, nil, { arg in
                let pool = Unmanaged<WorkerPool>.fromOpaque(arg!).takeRetainedValue()
                SignalSource.blockStandardSignals()
                pool.applyPriority()
                pool.workerMain()
                return nil
            }, box.toOpaque())
            threads.append(thread)
        }
    }

    deinit { pthread_cond_destroy(&condition) }

    /// On the worker thread itself: both calls act on the calling thread
    /// only (Linux), not the whole process.
    private func applyPriority() {
        switch priority {
        case .nice(let value):
            if value != 0 { _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, value) }
        case .idle:
            if cepoll_set_thread_sched_idle() != 0 {
                // Not permitted in some containers: fall back to a low nice value.
                _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 19)
            }
        }
    }

    /// Jobs waiting for a thread.

    /// Runs `work` on a worker thread, then `completion` with its result on the loop thread.
    public func submit<T>(_ work: @escaping () throws -> T, completion: @escaping (Result<T, Error>) -> Void) throws {
        let loop = self.loop
        let job = {
            let result = Result { try work() }
            loop.execute { completion(result) }
        }
        try lock.withLock {
            if stopping { throw SubmitError.shutDown }
            if jobs.count - jobsHead >= maxQueued { throw SubmitError.queueFull(limit: maxQueued) }
            jobs.append(job)
            pthread_cond_signal(&condition)
        }
    }

    /// Ends the threads and waits for them. Jobs already running finish;
    /// with `discardQueued` (the default) jobs still waiting are dropped, so a
    /// shutdown does not sit through a backlog (say, hundreds of hashes).
    public func shutdown(discardQueued: Bool = true) {
        lock.withLock {
            stopping = true
            if discardQueued {
                jobs.removeAll()
                jobsHead = 0
            }
            pthread_cond_broadcast(&condition)
        }
        for thread in threads { pthread_join(thread, nil) }
        threads = []
    }

    private func workerMain() {
        while true {
            pthread_mutex_lock(lock.pointer)
            while jobsHead == jobs.count && !stopping {
                pthread_cond_wait(&condition, lock.pointer)
            }
            if jobsHead == jobs.count {
                pthread_mutex_unlock(lock.pointer)
                return
            }
            let job = jobs[jobsHead]
            jobsHead += 1
            if jobsHead == jobs.count {
                jobs.removeAll(keepingCapacity: true)
                jobsHead = 0
            }
            pthread_mutex_unlock(lock.pointer)
            job()
        }
    }
}
