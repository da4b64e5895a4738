#if canImport(Glibc)
import Glibc
#endif

/// The outcome of a nonblocking system call that did not fail outright.
public enum IOResult<Value> {
    /// The call completed with this return value.
    case processed(Value)
    /// The call would have blocked (EAGAIN/EWOULDBLOCK): try again when the
    /// descriptor is ready.
    case wouldBlock
}

/// The one place that calls into the kernel for socket work.
///
/// Retries on EINTR, maps EAGAIN/EWOULDBLOCK to `.wouldBlock`, and throws an
/// `IOError` naming `function` and carrying `errno` on any other failure. A
/// negative return value means failure, as in every POSIX call we make.
///
/// An errno that only a bug in our code can cause (see `isUnacceptableErrno`)
/// stops the process instead of being thrown: a use-after-close must not look
/// like a peer's reset and be handled as one.
///
/// Thread-safety: any thread.
@inline(__always)
public func syscall<T: FixedWidthInteger>(_ function: String, _ body: () -> T) throws -> IOResult<T> {
    while true {
        let result = body()
        if result >= 0 { return .processed(result) }
        let code = errno
        switch code {
        case EINTR: continue
        case EAGAIN, EWOULDBLOCK: return .wouldBlock
        default:
            preconditionIsNotUnacceptableErrno(code, function: function)
            throw IOError(errnoCode: code, function: function)
        }
    }
}

/// Like `syscall`, for calls where "would block" cannot happen or is itself an
/// error (socket, bind, listen, setsockopt, epoll_ctl…).
@inline(__always)
@discardableResult
public func syscallChecked<T: FixedWidthInteger>(_ function: String, _ body: () -> T) throws -> T {
    while true {
        let result = body()
        if result >= 0 { return result }
        let code = errno
        if code == EINTR { continue }
        preconditionIsNotUnacceptableErrno(code, function: function)
        throw IOError(errnoCode: code, function: function)
    }
}

/// True for errno values the outside world cannot cause, only our own code
/// (after SwiftNIO's `isUnacceptableErrno`): EBADF, a descriptor we closed or
/// never had; EFAULT, a bad pointer we passed; ENOTSOCK, a socket call on a
/// descriptor that is not one (typically a number closed and reused).
func isUnacceptableErrno(_ code: Int32) -> Bool {
    switch code {
    case EBADF, EFAULT, ENOTSOCK: return true
    default: return false
    }
}

/// Stops the process on an errno that means a bug in our code: carrying on
/// would act on a descriptor that is no longer ours.
@inline(__always)
func preconditionIsNotUnacceptableErrno(_ code: Int32, function: String) {
    precondition(!isUnacceptableErrno(code),
                 "\(function) failed with \(String(cString: strerror(code))) (errno \(code)): a bug in chatd, not a socket error")
}

/// Closes a descriptor we own; every `close` in CoreLoop goes through here.
///
/// EINTR is not retried: on Linux the descriptor is released before close can
/// be interrupted, so a retry would close whatever has taken the number since
/// (on another thread, a descriptor just opened). Other failures (EIO) are
/// ignored: the descriptor is gone all the same, and for a socket there is
/// nothing left to do. EBADF means a double close or a number that was never
/// ours, a bug that could close someone else's descriptor next time: it traps.
///
/// Thread-safety: any thread.
public func closeDescriptor(_ fd: Int32) {
    guard Glibc.close(fd) != 0 else { return }
    let code = errno
    if code == EINTR { return }
    preconditionIsNotUnacceptableErrno(code, function: "close")
}

/// Reads a socket's pending error (SO_ERROR), which also clears it; 0 if
/// there is none. Should getsockopt itself fail, its errno is the answer: the
/// socket is unusable either way.
///
/// Thread-safety: any thread.
func takePendingSocketError(_ fd: Int32) -> Int32 {
    var code: Int32 = 0
    var length = socklen_t(MemoryLayout<Int32>.size)
    do {
        try syscallChecked("getsockopt(SO_ERROR)") { getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &length) }
    } catch let error as IOError {
        return error.errnoCode
    } catch {
        return EIO  // syscallChecked throws only IOError
    }
    return code
}
