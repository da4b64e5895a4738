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
        default: throw IOError(errnoCode: code, function: function)
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
        throw IOError(errnoCode: code, function: function)
    }
}
