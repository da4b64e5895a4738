@testable import CoreLoop
import XCTest
#if canImport(Glibc)
import Glibc
#endif

final class SyscallTests: XCTestCase {
    /// The syscall helpers trap on these instead of throwing them (a trap
    /// cannot be caught in-process, so the classification is what is tested).
    func testOnlyErrnosThatMeanABugInOurCodeAreUnacceptable() {
        for code in [EBADF, EFAULT, ENOTSOCK] {
            XCTAssertTrue(isUnacceptableErrno(code), "errno \(code) can only be our bug")
        }
        for code in [ECONNRESET, EPIPE, ECONNREFUSED, EMFILE, ENFILE, ENOBUFS, EINVAL, EISDIR, EADDRINUSE] {
            XCTAssertFalse(isUnacceptableErrno(code), "errno \(code) can come from the outside world")
        }
    }

    /// A connect a signal interrupted is still under way, not refused.
    func testInterruptedNonblockingConnectIsUnderwayNotFailed() {
        XCTAssertTrue(TCPConnector.connectIsUnderway(EINPROGRESS))
        XCTAssertTrue(TCPConnector.connectIsUnderway(EINTR))
        XCTAssertFalse(TCPConnector.connectIsUnderway(ECONNREFUSED))
        XCTAssertFalse(TCPConnector.connectIsUnderway(ENETUNREACH))
    }

    func testPendingSocketErrorIsReadOnceAndCleared() throws {
        // A nonblocking connect to a closed port leaves ECONNREFUSED pending.
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        let address = try SocketAddress(host: "127.0.0.1", port: 0)
        XCTAssertEqual(address.withSockAddr { bind(listener, $0, $1) }, 0)
        let port = ListeningSocket.localAddress(of: listener)!.port!
        close(listener)  // bound, never listening: connects are refused
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        defer { close(fd) }
        _ = try SocketAddress(host: "127.0.0.1", port: port).withSockAddr { connect(fd, $0, $1) }
        var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        XCTAssertEqual(poll(&poller, 1, 5000), 1)
        XCTAssertEqual(takePendingSocketError(fd), ECONNREFUSED)
        XCTAssertEqual(takePendingSocketError(fd), 0, "reading SO_ERROR clears it")
    }
}
