#if canImport(Glibc)
import Glibc
#endif

/// A plain mutex for the few places where threads meet (the task queue, the
/// worker queue).
///
/// Thread-safety: any thread; that is its purpose.
public final class Lock {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>

    public init() {
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    @inline(__always)
    public func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    /// For a `ConditionVariable` that waits on this lock.
    var pointer: UnsafeMutablePointer<pthread_mutex_t> { mutex }
}
