import CoreLoop
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

final class ConnectionTests: XCTestCase {
    var thread: LoopThread!

    override func setUpWithError() throws { thread = try LoopThread() }
    override func tearDown() { thread.shutdown() }

    func testEchoWith200ConcurrentClientsKeepsEveryStreamIntactAndInOrder() throws {
        let server = try thread.sync { try EchoServer(loop: self.thread.loop) }
        let clients = try (0..<200).map { _ in try TestClient(port: server.port) }
        let rounds = 10
        var expected = [[UInt8]](repeating: [], count: clients.count)
        // Interleave: every client sends a piece per round, so the server has
        // all 200 streams in flight at once.
        for round in 0..<rounds {
            for (i, client) in clients.enumerated() {
                let piece = Array("client \(i) round \(round) \(String(repeating: "x", count: i % 50))\n".utf8)
                expected[i] += piece
                try client.send(piece)
            }
        }
        for (i, client) in clients.enumerated() {
            XCTAssertEqual(try client.readExactly(expected[i].count), expected[i], "client \(i)")
        }
        try waitUntil(thread, "200 connections") { server.connections.count == 200 }
    }

    func testWriteFarLargerThanSocketBufferReachesSlowReaderWhole() throws {
        let total = 8 * 1024 * 1024
        var limits = ConnectionLimits()
        limits.outboundHardLimit = 0
        let server = try thread.sync { try EchoServer(loop: self.thread.loop, limits: limits) }
        server.onRead = { connection, bytes in
            let payload = ByteChunk(count: total) { buffer in
                for i in 0..<total { buffer[i] = UInt8(truncatingIfNeeded: i % 251) }
            }
            connection.write(payload)
            connection.close(reason: .local("done"), afterFlush: true)
            return bytes.count
        }
        let client = try TestClient(port: server.port, receiveBuffer: 4096)
        try client.send("go")
        var received: [UInt8] = []
        received.reserveCapacity(total)
        while true {
            let chunk = try client.readSome(max: 1000)  // small reads: a slow reader
            if chunk.isEmpty { break }
            received += chunk
        }
        XCTAssertEqual(received.count, total)
        XCTAssertTrue(received.enumerated().allSatisfy { $0.element == UInt8(truncatingIfNeeded: $0.offset % 251) })
        try waitUntil(thread, "graceful close") { server.allReasons == [.local("done")] }
    }

    func testOutboundHardLimitClosesPeerThatNeverReadsAndServerStaysHealthy() throws {
        var limits = ConnectionLimits()
        limits.outboundHardLimit = 1024 * 1024
        let server = try thread.sync { try EchoServer(loop: self.thread.loop, limits: limits) }
        let block = ByteChunk([UInt8](repeating: 7, count: 64 * 1024))
        server.onRead = { connection, bytes in
            if bytes.first == UInt8(ascii: "f") {
                // Keep writing until the connection gives up on this peer.
                var timer: TimerHandle?
                timer = connection.loop.scheduleRepeating(every: .milliseconds(1)) {
                    if !connection.write(block), let t = timer { connection.loop.cancel(t) }
                }
            } else {
                connection.write(ByteChunk(bytes))
            }
            return bytes.count
        }
        let hog = try TestClient(port: server.port, receiveBuffer: 4096)
        try hog.send("flood")
        try waitUntil(thread, "sendq close") { server.allReasons.contains(.sendQueueExceeded) }

        let healthy = try TestClient(port: server.port)
        try healthy.send("still here\n")
        XCTAssertEqual(try healthy.readExactly(11), Array("still here\n".utf8))
        _ = hog
    }

    func testPassingTheHardLimitClosesAfterTheWriteNotInsideIt() throws {
        var limits = ConnectionLimits()
        limits.outboundHardLimit = 1024
        let server = try thread.sync { try EchoServer(loop: self.thread.loop, limits: limits) }
        var accepted: Bool?
        var closedDuringWrite: Bool?
        server.onRead = { connection, bytes in
            let before = server.allReasons.count
            accepted = connection.write(ByteChunk([UInt8](repeating: 1, count: 4096)))
            closedDuringWrite = server.allReasons.count != before
            XCTAssertFalse(connection.write(ByteChunk("more")), "a closing connection takes no more")
            return bytes.count
        }
        let client = try TestClient(port: server.port)
        try client.send("go")
        try waitUntil(thread, "sendq close") { server.allReasons == [.sendQueueExceeded] }
        XCTAssertEqual(accepted, false)
        XCTAssertEqual(closedDuringWrite, false, "the delegate hears of the close after the caller's turn")
        XCTAssertEqual(try client.readSome(max: 100), [], "nothing of the dropped queue is sent")
    }

    func testCopiedAndSharedWritesReachASlowReaderInOrder() throws {
        var limits = ConnectionLimits()
        limits.outboundHardLimit = 0
        let server = try thread.sync { try EchoServer(loop: self.thread.loop, limits: limits) }
        let shared = ByteChunk("-- shared --\n")
        var expected: [UInt8] = []
        for i in 0..<5000 {
            expected += Array("reply \(i)\n".utf8)
            if i % 7 == 0 { expected += shared.bytes }
        }
        server.onRead = { connection, bytes in
            for i in 0..<5000 {
                var line = "reply \(i)\n"
                line.withUTF8 { _ = connection.write(copying: UnsafeRawBufferPointer($0)) }
                if i % 7 == 0 { connection.write(shared) }
            }
            connection.close(reason: .local("done"), afterFlush: true)
            return bytes.count
        }
        let client = try TestClient(port: server.port, receiveBuffer: 4096)
        try client.send("go")
        var received: [UInt8] = []
        while true {
            let chunk = try client.readSome(max: 700)
            if chunk.isEmpty { break }
            received += chunk
        }
        XCTAssertEqual(received, expected)
    }

    func testPeerResetIsReportedOnceAsReset() throws {
        let server = try thread.sync { try EchoServer(loop: self.thread.loop) }
        let client = try TestClient(port: server.port)
        try client.send("hi")
        XCTAssertEqual(try client.readExactly(2), Array("hi".utf8))
        client.reset()
        try waitUntil(thread, "reset noticed") { !server.allReasons.isEmpty }
        // Give any duplicate callback a chance to show up: one more loop turn.
        _ = try thread.sync { () }
        XCTAssertEqual(server.allReasons.count, 1)
        XCTAssertTrue([.reset, .peerClosed].contains(server.allReasons[0]), "\(server.allReasons)")
    }

    func testWritingToAResetPeerRaisesNoSIGPIPE() throws {
        // With SIGPIPE at its default action, a write that raised it would
        // end the whole test process.
        let previous = signal(SIGPIPE, SIG_DFL)
        defer { signal(SIGPIPE, previous) }
        let server = try thread.sync { try EchoServer(loop: self.thread.loop) }
        var connection: StreamConnection?
        server.onRead = { c, bytes in connection = c; return bytes.count }
        let client = try TestClient(port: server.port)
        try client.send("hi")
        try waitUntil(thread, "first read") { connection != nil }
        client.reset()
        // Write until the connection notices the reset (EPIPE or ECONNRESET).
        try waitUntil(thread, "reset noticed by a write") {
            _ = connection!.write(ByteChunk("after the reset\n"))
            return !server.allReasons.isEmpty
        }
        XCTAssertEqual(server.allReasons.count, 1)
    }

    func testHalfCloseFlushesPendingOutputThenCloses() throws {
        let server = try thread.sync { try EchoServer(loop: self.thread.loop) }
        let client = try TestClient(port: server.port)
        try client.send("last words")
        client.shutdownWrite()
        XCTAssertEqual(try client.readToEnd(), Array("last words".utf8))
        try waitUntil(thread, "close after EOF") { server.allReasons == [.peerClosed] }
    }

    func testInboundLimitClosesPeerThatSendsAnEndlessFrame() throws {
        var limits = ConnectionLimits()
        limits.maxInboundBytes = 1024
        let server = try thread.sync { try EchoServer(loop: self.thread.loop, limits: limits) }
        server.onRead = { _, _ in 0 }  // never a complete frame
        let client = try TestClient(port: server.port)
        try client.send([UInt8](repeating: 65, count: 4096))
        try waitUntil(thread, "inbound overflow") { server.allReasons == [.inboundOverflow] }
        XCTAssertEqual(try client.readToEnd(), [])
    }

    func testConnectionIsInertAfterClose() throws {
        let server = try thread.sync { try EchoServer(loop: self.thread.loop) }
        let client = try TestClient(port: server.port)
        try client.send("x")
        _ = try client.readExactly(1)
        let wroteAfterClose = try thread.sync { () -> Bool in
            let connection = server.connections.values.first!
            connection.close(reason: .local("bye"))
            connection.close(reason: .local("again"))
            return connection.write(ByteChunk("late"))
        }
        XCTAssertFalse(wroteAfterClose)
        XCTAssertEqual(try thread.sync { server.allReasons }, [.local("bye")])
        XCTAssertEqual(try client.readToEnd(), [])
    }

    func testAClosedConnectionLeavesTheEpollSetWithoutADeleteCall() throws {
        let server = try thread.sync { try EchoServer(loop: self.thread.loop) }
        let client = try TestClient(port: server.port)
        try client.send("x")
        _ = try client.readExactly(1)
        let fd = try thread.sync { server.connections.values.first!.fd }
        XCTAssertTrue(epollSetsWatch(fd), "the open connection is in the loop's epoll set")
        let registrations = try thread.sync { () -> Int in
            let before = self.thread.loop.stats.registrations
            server.connections.values.first!.close(reason: .local("bye"))
            return before - self.thread.loop.stats.registrations
        }
        XCTAssertEqual(registrations, 1, "the loop forgot the registration")
        // The kernel dropped it with the last descriptor (no EPOLL_CTL_DEL).
        XCTAssertFalse(epollSetsWatch(fd), "descriptor \(fd) still in an epoll set after close")
        XCTAssertEqual(try client.readToEnd(), [])
    }

    /// True when an epoll instance of this process watches descriptor `fd`
    /// (`tfd:` lines of /proc/self/fdinfo).
    private func epollSetsWatch(_ fd: Int32) -> Bool {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for name in names {
            guard let link = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + name),
                  link.contains("eventpoll"),
                  let info = try? String(contentsOfFile: "/proc/self/fdinfo/" + name, encoding: .utf8) else { continue }
            for line in info.split(separator: "\n") where line.hasPrefix("tfd:") {
                let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
                if fields.count > 1, Int32(fields[1]) == fd { return true }
            }
        }
        return false
    }

    func testPausedReadingDeliversBufferedInputOnResume() throws {
        let server = try thread.sync { try EchoServer(loop: self.thread.loop) }
        var seen: [UInt8] = []
        server.onRead = { connection, bytes in
            // Consume one byte at a time, pausing after each: the rest must
            // come back after resume without any new input arriving.
            seen.append(bytes[0])
            connection.pauseReading()
            connection.loop.execute { connection.resumeReading() }
            return 1
        }
        let client = try TestClient(port: server.port)
        try client.send("abcdef")
        try waitUntil(thread, "all bytes") { seen.count == 6 }
        XCTAssertEqual(seen, Array("abcdef".utf8))
    }
}

/// Records writability changes for the water-mark test.
final class WaterMarkServer: StreamConnectionDelegate {
    var changes: [Bool] = []
    var connection: StreamConnection?
    var nodelay: Int32 = -1
    func connection(_ connection: StreamConnection, didRead bytes: UnsafeRawBufferPointer) -> Int {
        // Queue 1 MiB at once: far past the high water mark.
        for _ in 0..<16 { connection.write(ByteChunk([UInt8](repeating: 1, count: 65536))) }
        return bytes.count
    }
    func connection(_ connection: StreamConnection, writabilityChanged writable: Bool) { changes.append(writable) }
    func connectionDidClose(_ connection: StreamConnection, reason: CloseReason) {}
}

extension ConnectionTests {
    func testWaterMarksReportBackpressureAndRelief() throws {
        let delegate = WaterMarkServer()
        var limits = ConnectionLimits()
        limits.outboundHighWater = 256 * 1024
        limits.outboundLowWater = 16 * 1024
        limits.outboundHardLimit = 0
        let listener = try thread.sync {
            try StreamListener.tcp(loop: self.thread.loop, address: try SocketAddress(host: "127.0.0.1", port: 0), limits: limits) { c in
                c.delegate = delegate
                delegate.connection = c
                var value: Int32 = 0
                var len = socklen_t(4)
                getsockopt(c.fd, Int32(IPPROTO_TCP), TCP_NODELAY, &value, &len)
                delegate.nodelay = value
                var small: Int32 = 4096  // so the queue backs up until the client reads
                setsockopt(c.fd, SOL_SOCKET, SO_SNDBUF, &small, socklen_t(4))
                try? c.start()
            }
        }
        let client = try TestClient(port: listener.address.port!, receiveBuffer: 4096)
        try client.send("x")
        try waitUntil(thread, "high water") { delegate.changes == [false] }
        _ = try client.readExactly(16 * 65536)
        try waitUntil(thread, "low water") { delegate.changes == [false, true] }
        XCTAssertEqual(try thread.sync { delegate.nodelay }, 1, "accepted TCP sockets have TCP_NODELAY")
    }
}

extension ConnectionTests {
    func testResumeOffersKeptInputBeforeItReturns() throws {
        let server = try thread.sync { try EchoServer(loop: self.thread.loop) }
        var seen: [UInt8] = []
        var connection: StreamConnection?
        server.onRead = { c, bytes in
            // One byte per delivery, then pause: the rest stays kept.
            connection = c
            seen.append(bytes[0])
            c.pauseReading()
            return 1
        }
        let client = try TestClient(port: server.port)
        try client.send("abc")
        try waitUntil(thread, "first byte, two kept") { seen.count == 1 && connection?.inboundBytes == 2 }
        let seenWhenResumeReturned = try thread.sync { () -> [UInt8] in
            connection!.resumeReading()
            return seen
        }
        XCTAssertEqual(seenWhenResumeReturned, Array("ab".utf8), "no extra turn (and eventfd wake) before the kept input is offered")
        XCTAssertEqual(try thread.sync { connection!.isReadingPaused }, true, "the delegate paused again from inside resume")
    }
}
