import CEpoll
import CoreLoop
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A handler for an eventfd, for tests that drive the loop directly.
final class EventFDHandler: Selectable {
    let fd: Int32
    var onReadable: () -> Void = {}
    init(initial: UInt32) { fd = eventfd(initial, Int32(EFD_NONBLOCK | EFD_CLOEXEC)) }
    func handleReadable() { onReadable() }
}

final class EventLoopTests: XCTestCase {
    /// Turns the loop on this thread until `done` or the deadline.
    func turn(_ loop: EventLoop, until done: () -> Bool, timeout: TimeInterval = 20) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while !done() {
            guard Date() < deadline else { throw TestTimeout(what: "loop condition") }
            try loop.runOnce(maxWaitMilliseconds: 100)
        }
    }

    func testTimersFireInDeadlineOrderAndCancelledOnesNever() throws {
        let loop = try EventLoop()
        defer { loop.close() }
        var fired: [String] = []
        loop.schedule(after: .milliseconds(30)) { fired.append("30") }
        loop.schedule(after: .milliseconds(10)) { fired.append("10a") }
        loop.schedule(after: .milliseconds(20)) { fired.append("20") }
        loop.schedule(after: .milliseconds(10)) { fired.append("10b") }
        let cancelled = loop.schedule(after: .milliseconds(15)) { fired.append("cancelled") }
        XCTAssertTrue(loop.cancel(cancelled))
        XCTAssertFalse(loop.cancel(cancelled))
        // Two timers due in the same turn: the first cancels the second.
        var victim: TimerHandle?
        loop.schedule(after: .milliseconds(5)) { if let v = victim { loop.cancel(v) } }
        victim = loop.schedule(after: .milliseconds(5)) { fired.append("victim") }
        var ticks = 0
        var repeating: TimerHandle?
        repeating = loop.scheduleRepeating(every: .milliseconds(2)) {
            ticks += 1
            if ticks == 3 { loop.cancel(repeating!) }
        }
        try turn(loop, until: { fired.count >= 4 })
        XCTAssertEqual(fired, ["10a", "10b", "20", "30"])
        XCTAssertEqual(ticks, 3)
        XCTAssertFalse(loop.isScheduled(repeating!))
    }

    func testTaskPostedFromAnotherThreadRunsOnTheLoopThread() throws {
        let thread = try LoopThread()
        defer { thread.shutdown() }
        let loopThreadID = try thread.sync { pthread_self() }
        final class Flag: @unchecked Sendable { var value = false }
        let ran = DispatchSemaphore(value: 0)
        let ranOnLoop = Flag()
        DispatchQueue.global().async {
            thread.loop.execute {
                ranOnLoop.value = pthread_equal(pthread_self(), loopThreadID) != 0 && thread.loop.inLoopThread
                ran.signal()
            }
        }
        XCTAssertEqual(ran.wait(timeout: .now() + 20), .success)
        XCTAssertTrue(ranOnLoop.value)
        XCTAssertFalse(thread.loop.inLoopThread, "the test thread is not the loop thread")
    }

    func testWorkerResultComesBackOnTheLoopThread() throws {
        let thread = try LoopThread()
        defer { thread.shutdown() }
        let pool = WorkerPool(loop: thread.loop, threads: 2)
        defer { pool.shutdown() }
        let loopThreadID = try thread.sync { pthread_self() }
        var workedOffLoop = false
        var completedOnLoop = false
        var value = 0
        try thread.sync {
            try pool.submit({ () -> Int in
                workedOffLoop = pthread_equal(pthread_self(), loopThreadID) == 0
                return (1...100).reduce(0, +)
            }, completion: { result in
                completedOnLoop = pthread_equal(pthread_self(), loopThreadID) != 0
                value = (try? result.get()) ?? -1
            })
        }
        try waitUntil(thread, "worker completion") { value != 0 }
        XCTAssertEqual(value, 5050)
        XCTAssertTrue(workedOffLoop)
        XCTAssertTrue(completedOnLoop)
    }

    func testWorkersRunAtTheirPriorityAndTheLoopThreadDoesNot() throws {
        let thread = try LoopThread()
        defer { thread.shutdown() }
        let idle = WorkerPool(loop: thread.loop, threads: 1, priority: .idle)
        let niced = WorkerPool(loop: thread.loop, threads: 1, priority: .nice(7))
        defer { idle.shutdown(); niced.shutdown() }
        var idleSeen: (policy: Int32, nice: Int32)?
        var nicedSeen: Int32?
        let basePolicy = sched_getscheduler(0), baseNice = getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)
        try thread.sync {
            try idle.submit({ (sched_getscheduler(0), getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0)) },
                            completion: { idleSeen = try? $0.get() })
            try niced.submit({ getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0) },
                             completion: { nicedSeen = try? $0.get() })
        }
        try waitUntil(thread, "both jobs") { idleSeen != nil && nicedSeen != nil }
        // SCHED_IDLE is 5; where it is refused the pool falls back to nice 19.
        XCTAssertTrue(idleSeen!.policy == 5 || idleSeen!.nice == 19, "idle worker: \(idleSeen!)")
        XCTAssertEqual(nicedSeen, min(19, baseNice + 7))
        XCTAssertEqual(sched_getscheduler(0), basePolicy, "the test thread is untouched")
        XCTAssertEqual(getpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0), baseNice)
    }

    func testWorkerQueueIsBounded() throws {
        let loop = try EventLoop()
        defer { loop.close() }
        let gate = DispatchSemaphore(value: 0)
        let pool = WorkerPool(loop: loop, threads: 1, maxQueued: 2)
        try pool.submit({ gate.wait() }, completion: { _ in })
        // The first job may or may not have been taken by the thread yet.
        var refused = false
        for _ in 0..<4 {
            do { try pool.submit({}, completion: { _ in }) } catch WorkerPool.SubmitError.queueFull { refused = true }
        }
        XCTAssertTrue(refused)
        gate.signal()
        pool.shutdown()
    }

    func testShutdownDropsJobsThatHaveNotStarted() throws {
        let loop = try EventLoop()
        defer { loop.close() }
        let gate = DispatchSemaphore(value: 0), started = DispatchSemaphore(value: 0)
        let pool = WorkerPool(loop: loop, threads: 1)
        final class Counter: @unchecked Sendable { var ran = 0 }
        let counter = Counter()
        try pool.submit({ started.signal(); gate.wait() }, completion: { _ in })
        XCTAssertEqual(started.wait(timeout: .now() + 20), .success)
        for _ in 0..<100 { try pool.submit({ counter.ran += 1 }, completion: { _ in }) }
        // Let the running job finish only once shutdown has begun: released
        // earlier, the worker would take the waiting jobs before the flag is set.
        // The pool refuses new work (`.shutDown`) from the moment it stops.
        let shutdownDone = DispatchSemaphore(value: 0)
        DispatchQueue.global().async { pool.shutdown(); shutdownDone.signal() }
        let deadline = Date().addingTimeInterval(20)
        var stopped = false
        while !stopped && Date() < deadline {
            do { try pool.submit({}, completion: { _ in }) } catch WorkerPool.SubmitError.shutDown { stopped = true } catch {}
            if !stopped { usleep(1_000) }
        }
        XCTAssertTrue(stopped, "shutdown never began")
        gate.signal()
        XCTAssertEqual(shutdownDone.wait(timeout: .now() + 20), .success, "the running job finished and shutdown returned")
        XCTAssertEqual(counter.ran, 0, "waiting jobs were dropped, the running one finished")
    }

    func testSIGHUPSentToTheProcessArrivesAsALoopEvent() throws {
        let loop = try EventLoop()
        defer { loop.close() }
        var received: [Int32] = []
        let source = try SignalSource(loop: loop) { received.append($0) }
        defer { source.close() }
        kill(getpid(), SIGHUP)
        try turn(loop, until: { !received.isEmpty })
        XCTAssertEqual(received, [SIGHUP])
    }

    func testClosedAndReusedDescriptorNeverGetsItsPredecessorsEvents() throws {
        let loop = try EventLoop()
        defer { loop.close() }
        let a = EventFDHandler(initial: 1), b = EventFDHandler(initial: 1)
        var tokens: [Int32: UInt64] = [:]
        tokens[a.fd] = try loop.register(a, fd: a.fd, interest: .read)
        tokens[b.fd] = try loop.register(b, fd: b.fd, interest: .read)
        var successor: EventFDHandler?
        var successorEvents = 0
        var reusedNumber = false
        // Both are readable, so both land in one epoll_wait. Whichever runs
        // first closes the other and opens a new descriptor, which takes the
        // freed number; the other's event in the same batch is now stale.
        func closeOther(_ other: EventFDHandler) {
            guard successor == nil else { return }
            loop.deregister(fd: other.fd, token: tokens[other.fd]!)
            close(other.fd)
            let next = EventFDHandler(initial: 0)  // not readable
            next.onReadable = { successorEvents += 1 }
            reusedNumber = next.fd == other.fd
            _ = try? loop.register(next, fd: next.fd, interest: .read)
            successor = next
        }
        a.onReadable = { closeOther(b) }
        b.onReadable = { closeOther(a) }
        let droppedBefore = loop.stats.staleEventsDropped
        try loop.runOnce(maxWaitMilliseconds: 1000)
        XCTAssertNotNil(successor)
        XCTAssertTrue(reusedNumber, "the test needs the number to be reused")
        XCTAssertEqual(successorEvents, 0)
        XCTAssertEqual(loop.stats.staleEventsDropped, droppedBefore + 1)
    }

    func testSyscallHelperMapsWouldBlockAndThrowsTypedErrors() throws {
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        _ = fcntl(fds[0], F_SETFL, O_NONBLOCK)
        defer { close(fds[0]); close(fds[1]) }
        var byte: UInt8 = 0
        guard case .wouldBlock = try syscall("read", { read(fds[0], &byte, 1) }) else {
            return XCTFail("an empty nonblocking pipe must report would-block")
        }
        // An error the outside world can cause is thrown (EBADF would trap: see SyscallTests).
        let directory = open("/", O_RDONLY | O_DIRECTORY)
        defer { close(directory) }
        XCTAssertThrowsError(try syscall("read", { read(directory, &byte, 1) })) { error in
            XCTAssertEqual(error as? IOError, IOError(errnoCode: EISDIR, function: "read"))
        }
    }
}

final class ByteChunkTests: XCTestCase {
    func testChunksCopyTheirBytes() {
        // Short strings live inline in the String value; long ones in storage.
        for text in ["ping", "", String(repeating: "long line ", count: 100)] {
            XCTAssertEqual(ByteChunk(text).bytes, Array(text.utf8))
            XCTAssertEqual(ByteChunk(Array(text.utf8)).bytes, Array(text.utf8))
        }
    }
}

extension EventLoopTests {
    func testClosingALoopClosesEveryDescriptorAndLetsItGo() throws {
        let before = try openDescriptorCount()
        weak var released: EventLoop?
        var reasons: [CloseReason] = []
        do {
            let loop = try EventLoop()
            released = loop
            let server = try EchoServer(loop: loop)
            let datagrams = try UDPSocket(loop: loop, bindTo: try SocketAddress(host: "127.0.0.1", port: 0)) { _, _ in }
            let signals = try SignalSource(loop: loop, signals: [SIGHUP]) { _ in }
            let client = try TestClient(port: server.port)
            try turn(loop, until: { server.connections.count == 1 })
            // More captures that point back at handlers: a timer, a flush, a task.
            loop.schedule(after: .seconds(60)) { _ = (server, datagrams, signals) }
            server.connections.values.first!.write(ByteChunk("never sent"))
            loop.execute { _ = server }

            loop.close()
            reasons = server.allReasons
            XCTAssertEqual(try client.readToEnd(), [], "the client sees the server side close")
            XCTAssertTrue(loop.isClosed)
        }
        XCTAssertEqual(reasons, [.local("event loop closed")], "the delegate heard the close once")
        XCTAssertNil(released, "nothing keeps a closed loop alive")
        XCTAssertEqual(try openDescriptorCount(), before, "every descriptor was closed")
    }

    func testAClosedLoopRefusesRegistrationsTasksAndTurns() throws {
        let loop = try EventLoop()
        loop.close()
        loop.close()  // idempotent
        let handler = EventFDHandler(initial: 1)
        defer { close(handler.fd) }
        XCTAssertThrowsError(try loop.register(handler, fd: handler.fd, interest: .read)) { error in
            XCTAssertEqual(error as? EventLoopError, .closed)
        }
        var ran = false
        loop.execute { ran = true }
        loop.stop()
        XCTAssertFalse(loop.isScheduled(loop.schedule(after: .milliseconds(1)) { ran = true }))
        XCTAssertThrowsError(try loop.runOnce(maxWaitMilliseconds: 0)) { error in
            XCTAssertEqual(error as? EventLoopError, .closed)
        }
        XCTAssertFalse(ran)
    }
}
