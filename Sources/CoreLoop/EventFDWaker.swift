import CEpoll
#if canImport(Glibc)
import Glibc
#endif

/// The eventfd that wakes a sleeping loop when another thread posts a task.
///
/// Thread-safety: `wake()` from any thread; `handleReadable` on the loop thread.
final class EventFDWaker: Selectable {
    let fd: Int32

    init() throws {
        fd = try syscallChecked("eventfd") { eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC)) }
    }

    deinit { closeDescriptor(fd) }

    func wake() {
        var one: UInt64 = 1
        // EAGAIN means the counter is saturated: the loop is awake anyway.
        _ = try? syscall("eventfd write") { write(fd, &one, 8) }
    }

    func handleReadable() {
        var value: UInt64 = 0
        _ = try? syscall("eventfd read") { read(fd, &value, 8) }
    }
}
