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

    /// Starts a thread running `entry(argument)`; returns 0 or an error number,
    /// as `pthread_create` does. Replaced in tests to make a start fail.
    typealias ThreadStarter = (UnsafeMutablePointer<pthread_t>,
                               @convention(c) (UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer?,
                               UnsafeMutableRawPointer) -> Int32

    private let loop: EventLoop
    private let lock = Lock()
    private let jobsAvailable = ConditionVariable()  // waits on `lock`
    /// Waiting jobs from `jobsHead` on; a slot is emptied as its job is taken.
    private var jobs: [(() -> Void)?] = []  // guarded by lock
    private var jobsHead = 0  // guarded by lock
    private var stopping = false  // guarded by lock
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

    /// Starts a pool of `count` threads (at least one).
    /// - Parameter priority: see `Priority`; by default nice +10.
    /// - Throws: `IOError` (function `pthread_create`) if a thread cannot be
    ///   started; the threads already started are stopped first.
    public static func start(loop: EventLoop, threads count: Int, maxQueued: Int = 10_000,
                             priority: Priority = .nice(10)) throws -> WorkerPool {
        try start(loop: loop, threads: count, maxQueued: maxQueued, priority: priority,
                  threadStarter: { pthread_create($0, nil, $1, $2) })
    }

    /// `start` with the thread creation replaceable, for tests.
    static func start(loop: EventLoop, threads count: Int, maxQueued: Int = 10_000, priority: Priority = .nice(10),
                      threadStarter: ThreadStarter) throws -> WorkerPool {
        let pool = WorkerPool(loop: loop, maxQueued: maxQueued, priority: priority)
        try pool.startThreads(max(1, count), threadStarter)
        return pool
    }

    /// Like `start`, for callers that cannot handle the failure: a pool
    /// without its threads would take jobs and never run them, so a thread
    /// that cannot be started stops the process here.
    /// - Parameter priority: see `Priority`; by default nice +10.
    public convenience init(loop: EventLoop, threads count: Int, maxQueued: Int = 10_000, priority: Priority = .nice(10)) {
        self.init(loop: loop, maxQueued: maxQueued, priority: priority)
        do {
            try startThreads(max(1, count), { pthread_create($0, nil, $1, $2) })
        } catch {
            preconditionFailure("WorkerPool: \(error)")
        }
    }

    private init(loop: EventLoop, maxQueued: Int, priority: Priority) {
        self.loop = loop
        self.maxQueued = maxQueued
        self.priority = priority
    }

    private func startThreads(_ count: Int, _ threadStarter: ThreadStarter) throws {
        for _ in 0..<count {
            var thread = pthread_t()
            // The thread owns a reference until it ends: the pool lives as
            // long as its threads, whoever else lets go of it.
            let box = Unmanaged.passRetained(self)
            let code = threadStarter(&thread, { arg in
                let pool = Unmanaged<WorkerPool>.fromOpaque(arg!).takeRetainedValue()
                SignalSource.blockStandardSignals()
                pool.applyPriority()
                pool.workerMain()
                return nil
            }, box.toOpaque())
            guard code == 0 else {
                box.release()  // no thread took it
                shutdown()
                throw IOError(errnoCode: code, function: "pthread_create")
            }
            threads.append(thread)
        }
    }

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
            jobsAvailable.signal()
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
            jobsAvailable.broadcast()
        }
        for thread in threads { pthread_join(thread, nil) }
        threads = []
    }

    private func workerMain() {
        // `job` is released at the end of each pass, as soon as it has run.
        while let job = nextJob() {
            job()
        }
    }

    /// Blocks until a job is waiting and takes it; nil once the pool stops
    /// and nothing is left to run.
    private func nextJob() -> (() -> Void)? {
        lock.withLock {
            while jobsHead == jobs.count && !stopping {
                jobsAvailable.wait(on: lock)
            }
            guard jobsHead < jobs.count, let job = jobs[jobsHead] else { return nil }
            // Empty the slot now, not when the whole queue drains: a job's
            // captures (a password to hash) must not outlive it.
            jobs[jobsHead] = nil
            jobsHead += 1
            if jobsHead == jobs.count {
                jobs.removeAll(keepingCapacity: true)
                jobsHead = 0
            } else if jobsHead >= 64 && jobsHead * 2 >= jobs.count {
                // A queue that never drains (steady load) would otherwise
                // grow forever; dropping the empty half costs O(1) per job.
                jobs.removeFirst(jobsHead)
                jobsHead = 0
            }
            return job
        }
    }
}
