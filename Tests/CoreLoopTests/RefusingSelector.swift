import CoreLoop
#if canImport(Glibc)
import Glibc
#endif

/// An epoll selector that can be told to refuse new registrations (as epoll
/// does with ENOSPC past `max_user_watches`), to test the failure paths.
///
/// Thread-safety: loop thread only, like any `Selector`.
final class RefusingSelector: Selector {
    private let inner: EpollSelector
    var refuseRegistrations = false

    init() throws { inner = try EpollSelector() }

    func register(fd: Int32, interest: Interest, token: UInt64) throws {
        if refuseRegistrations { throw IOError(errnoCode: ENOSPC, function: "epoll_ctl(ADD)") }
        try inner.register(fd: fd, interest: interest, token: token)
    }

    func reregister(fd: Int32, interest: Interest, token: UInt64) throws {
        try inner.reregister(fd: fd, interest: interest, token: token)
    }

    func deregister(fd: Int32) throws { try inner.deregister(fd: fd) }

    @discardableResult
    func whenReady(timeoutMilliseconds: Int32, _ body: (SelectorEvent) throws -> Void) throws -> Int {
        try inner.whenReady(timeoutMilliseconds: timeoutMilliseconds, body)
    }

    func close() { inner.close() }
}
