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
}
