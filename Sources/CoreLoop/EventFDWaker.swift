import CEpoll
#if canImport(Glibc)
import Glibc
#endif

/// The eventfd that wakes a sleeping loop when another thread posts a task.
///
/// Thread-safety: `wake()` from any thread; `handleReadable` on the loop
/// thread. `close()` must not race `wake()`: the loop calls both under its
/// task lock, so no thread writes to a number that was closed and reused.
final class EventFDWaker: Selectable {
    private(set) var fd: Int32

    init() throws {
        fd = try syscallChecked("eventfd") { eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC)) }
    }

    deinit { close() }

    func close() {
        guard fd >= 0 else { return }
        closeDescriptor(fd)
        fd = -1
    }

    func wake() {
        guard fd >= 0 else { return }
        var one: UInt64 = 1
        // EAGAIN means the counter is saturated: the loop is awake anyway.
        _ = try? syscall("eventfd write") { write(fd, &one, 8) }
    }

    func handleReadable() {
        guard fd >= 0 else { return }
        var value: UInt64 = 0
        _ = try? syscall("eventfd read") { read(fd, &value, 8) }
    }
}
