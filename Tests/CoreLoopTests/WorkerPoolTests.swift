@testable import CoreLoop
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

final class WorkerPoolTests: XCTestCase {
    /// Signals when deinitialized: stands for what a job captures (a password).
    final class Captured: @unchecked Sendable {
        let released: DispatchSemaphore
        init(released: DispatchSemaphore) { self.released = released }
        deinit { released.signal() }
    }

    func testAJobsCapturesAreReleasedWhenItIsDoneWhileOthersAreStillQueued() throws {
        let thread = try LoopThread()
        defer { thread.shutdown() }
        let pool = try WorkerPool.start(loop: thread.loop, threads: 1)
        defer { pool.shutdown() }
        let first = DispatchSemaphore(value: 0), third = DispatchSemaphore(value: 0)
        let released = DispatchSemaphore(value: 0)
        // The one thread waits in the first job until all are queued, so the
        // queue never drains while the captured object should go.
        try pool.submit({ first.wait() }, completion: { _ in })
        do {
            let captured = Captured(released: released)
            try pool.submit({ withExtendedLifetime(captured) {} }, completion: { _ in })
        }
        try pool.submit({ third.wait() }, completion: { _ in })
        for _ in 0..<10 { try pool.submit({}, completion: { _ in }) }
        first.signal()
        XCTAssertEqual(released.wait(timeout: .now() + 10), .success,
                       "the finished job's capture is freed while the third job runs and ten wait")
        third.signal()
    }

    func testAThreadThatCannotStartIsATypedErrorAndTheStartedOnesStop() throws {
        let loop = try EventLoop()
        var starts = 0
        weak var startedPool: WorkerPool?
        XCTAssertThrowsError(try WorkerPool.start(loop: loop, threads: 3, threadStarter: { thread, entry, argument in
            starts += 1
            startedPool = Unmanaged<WorkerPool>.fromOpaque(argument).takeUnretainedValue()
            return starts == 2 ? EAGAIN : pthread_create(thread, nil, entry, argument)
        })) { error in
            XCTAssertEqual(error as? IOError, IOError(errnoCode: EAGAIN, function: "pthread_create"))
        }
        XCTAssertEqual(starts, 2, "no start after the failed one")
        XCTAssertNil(startedPool, "the first thread was joined, and nothing keeps the pool alive")
    }
}
