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
    private let niceness: Int32

    /// - Parameter niceness: added to the workers' nice value (Linux: per
    ///   thread), so that on a busy core the loop thread wins and chat stays
    ///   responsive while, say, hundreds of password hashes run.
    public init(loop: EventLoop, threads count: Int, maxQueued: Int = 10_000, niceness: Int32 = 10) {
        self.loop = loop
        self.maxQueued = maxQueued
        self.niceness = niceness
        pthread_cond_init(&condition, nil)
        for _ in 0..<max(1, count) {
            var thread = pthread_t()
            let box = Unmanaged.passRetained(self)
            pthread_create(&thread, nil, { arg in
                let pool = Unmanaged<WorkerPool>.fromOpaque(arg!).takeRetainedValue()
                SignalSource.blockStandardSignals()
                // who = 0 is the calling thread on Linux, not the whole process.
                if pool.niceness != 0 { _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, pool.niceness) }
                pool.workerMain()
                return nil
            }, box.toOpaque())
            threads.append(thread)
        }
    }

    deinit { pthread_cond_destroy(&condition) }

    /// Jobs waiting for a thread.
    public var queuedCount: Int { lock.withLock { jobs.count - jobsHead } }

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
