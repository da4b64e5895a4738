#if canImport(Glibc)
import Glibc
#endif

/// A condition variable that waits on a `Lock`.
///
/// Its `pthread_cond_t` lives in heap storage of its own, as `Lock`'s mutex
/// does: a pthread object must never move, and `&property` on a class's
/// stored property may hand pthreads a temporary copy rather than the
/// property's own storage.
///
/// Thread-safety: any thread; that is its purpose.
final class ConditionVariable {
    private let condition: UnsafeMutablePointer<pthread_cond_t>

    init() {
        condition = .allocate(capacity: 1)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        condition.deallocate()
    }

    /// Waits for a signal. The caller holds `lock`, which is released while
    /// waiting and held again on return; wake-ups may be spurious, so wait in
    /// a loop that re-checks the condition.
    func wait(on lock: Lock) {
        pthread_cond_wait(condition, lock.pointer)
    }

    /// Wakes one waiter.
    func signal() { pthread_cond_signal(condition) }

    /// Wakes every waiter.
    func broadcast() { pthread_cond_broadcast(condition) }
}
