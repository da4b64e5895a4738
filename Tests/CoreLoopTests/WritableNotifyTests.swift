import CoreLoop
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// `StreamConnection.notifyWhenWritable` over real loopback sockets: the
/// queue-drain case, the `sendfile`-style case (bytes written outside the
/// queue, EPOLLOUT armed on request), and the drop on close. No sleeps: the
/// client's reads are what release the callbacks.
final class WritableNotifyTests: XCTestCase {
    var thread: LoopThread!

    override func setUpWithError() throws { thread = try LoopThread() }
    override func tearDown() { thread.shutdown() }

    /// A server whose accepted sockets have a small send buffer, so a queue
    /// backs up until the client reads.
    private func server() throws -> EchoServer {
        var limits = ConnectionLimits()
        limits.outboundHardLimit = 0
        let server = try thread.sync { try EchoServer(loop: self.thread.loop, limits: limits) }
        return server
    }

    private static func shrinkSendBuffer(_ c: StreamConnection) {
        var small: Int32 = 4096
        setsockopt(c.fd, SOL_SOCKET, SO_SNDBUF, &small, socklen_t(4))
    }

    func testCallbackRunsOnceWhenTheQueueDrainsToTheMark() throws {
        let server = try server()
        let total = 1024 * 1024
        let mark = 64 * 1024
        var connection: StreamConnection?
        var calls = 0
        var queuedAtCall = -1
        server.onRead = { c, bytes in
            connection = c
            Self.shrinkSendBuffer(c)
            c.write(ByteChunk([UInt8](repeating: 9, count: total)))
            XCTAssertTrue(c.notifyWhenWritable(queuedAtMost: mark) {
                calls += 1
                queuedAtCall = c.outboundBytes
            })
            return bytes.count
        }
        let client = try TestClient(port: server.port, receiveBuffer: 4096)
        try client.send("go")
        try waitUntil(thread, "the write") { connection != nil }
        // Two more loop turns (each sync is a task): the queue cannot drain
        // while the client does not read, so nothing may have fired.
        for _ in 0..<2 {
            XCTAssertEqual(try thread.sync { calls }, 0)
            XCTAssertGreaterThan(try thread.sync { connection!.outboundBytes }, mark)
            XCTAssertEqual(try thread.sync { connection!.writableWaiterCount }, 1)
        }
        _ = try client.readExactly(total - mark / 2)
        try waitUntil(thread, "the callback") { calls == 1 }
        XCTAssertLessThanOrEqual(try thread.sync { queuedAtCall }, mark)
        _ = try client.readExactly(mark / 2)
        try waitUntil(thread, "an empty queue") { connection!.outboundBytes == 0 }
        XCTAssertEqual(try thread.sync { calls }, 1, "one-shot")
        XCTAssertEqual(try thread.sync { connection!.writableWaiterCount }, 0)
    }

    /// A producer driven only by the callback (each call queues the next
    /// 64 KiB) delivers a large body whole to a reader that pauses midway.
    func testProducerDrivenByTheCallbackFinishesAfterTheReaderPauses() throws {
        let server = try server()
        let piece = 64 * 1024
        let pieces = 32
        var produced = 0
        var maxQueued = 0
        server.onRead = { c, bytes in
            Self.shrinkSendBuffer(c)
            func more() {
                guard produced < pieces else { return c.close(reason: .local("done"), afterFlush: true) }
                let value = UInt8(truncatingIfNeeded: produced)
                c.write(ByteChunk([UInt8](repeating: value, count: piece)))
                produced += 1
                maxQueued = max(maxQueued, c.outboundBytes)
                c.notifyWhenWritable(queuedAtMost: piece / 4) { more() }
            }
            more()
            return bytes.count
        }
        let client = try TestClient(port: server.port, receiveBuffer: 4096)
        try client.send("go")
        var received = try client.readExactly(3 * piece)
        // The reader paused: production waits with it (nothing polls).
        XCTAssertLessThan(try thread.sync { produced }, pieces)
        received += try client.readToEnd()
        XCTAssertEqual(received.count, piece * pieces)
        for i in 0..<pieces {
            XCTAssertTrue(received[(i * piece)..<((i + 1) * piece)].allSatisfy { $0 == UInt8(truncatingIfNeeded: i) }, "piece \(i)")
        }
        XCTAssertLessThanOrEqual(try thread.sync { maxQueued }, piece + piece / 4, "never much more than a piece queued")
    }

    /// Bytes written past the queue (as `sendfile` does) until EAGAIN: with
    /// an empty queue the callback waits for the kernel's EPOLLOUT.
    func testEmptyQueueWaitsForTheSocketToBecomeWritable() throws {
        let server = try server()
        var connection: StreamConnection?
        var calls = 0
        var filled = 0
        server.onRead = { c, bytes in
            if connection != nil {  // later input is echoed
                c.write(ByteChunk(bytes))
                return bytes.count
            }
            connection = c
            Self.shrinkSendBuffer(c)
            let block = [UInt8](repeating: 5, count: 4096)
            while true {
                let n = block.withUnsafeBytes { Glibc.send(c.fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
                if n <= 0 { break }  // EAGAIN: the socket is full
                filled += n
            }
            XCTAssertEqual(c.outboundBytes, 0)
            c.notifyWhenWritable { calls += 1 }
            return bytes.count
        }
        let client = try TestClient(port: server.port, receiveBuffer: 4096)
        try client.send("go")
        try waitUntil(thread, "the fill") { connection != nil }
        for _ in 0..<2 { XCTAssertEqual(try thread.sync { calls }, 0, "not writable while the client reads nothing") }
        let total = try thread.sync { filled }
        _ = try client.readExactly(total)
        try waitUntil(thread, "EPOLLOUT") { calls == 1 }
        XCTAssertEqual(try thread.sync { connection!.writableWaiterCount }, 0)
        // The writable interest was only for the waiter: the connection still
        // echoes, and no further call comes.
        try client.send("x")
        XCTAssertEqual(try client.readExactly(1), Array("x".utf8))
        XCTAssertEqual(try thread.sync { calls }, 1)
    }

    func testCloseDropsTheCallbackUncalledAndReleasesIt() throws {
        let server = try server()
        final class Token {}
        weak var captured: Token?
        var calls = 0
        var connection: StreamConnection?
        server.onRead = { c, bytes in
            connection = c
            Self.shrinkSendBuffer(c)
            c.write(ByteChunk([UInt8](repeating: 1, count: 512 * 1024)))
            let token = Token()
            captured = token
            c.notifyWhenWritable { withExtendedLifetime(token) { calls += 1 } }
            return bytes.count
        }
        let client = try TestClient(port: server.port, receiveBuffer: 4096)
        try client.send("go")
        try waitUntil(thread, "the write") { connection != nil }
        try thread.sync {
            connection!.close(reason: .local("bye"))
            XCTAssertFalse(connection!.notifyWhenWritable { calls += 1 }, "a closed connection takes no waiter")
        }
        XCTAssertEqual(try thread.sync { calls }, 0)
        XCTAssertNil(try thread.sync { captured }, "the callback was released with the connection's waiters")
    }
}
