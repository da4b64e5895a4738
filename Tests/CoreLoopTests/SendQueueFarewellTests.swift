import CoreLoop
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A connection passing its send-queue limit: a line protocol's peer gets
/// whole lines and the delegate's farewell, never the dropped queue.
final class SendQueueFarewellTests: XCTestCase {
    var thread: LoopThread!

    override func setUpWithError() throws { thread = try LoopThread() }
    override func tearDown() { thread.shutdown() }

    func testTheFarewellFollowsWhenNothingWasStarted() throws {
        var limits = ConnectionLimits()
        limits.outboundHardLimit = 1024
        let server = try thread.sync { try EchoServer(loop: self.thread.loop, limits: limits) }
        server.farewell = Array("ERROR :SendQ exceeded\r\n".utf8)
        server.onRead = { connection, bytes in
            connection.write(ByteChunk([UInt8](repeating: 0x61, count: 4096)))
            return bytes.count
        }
        let client = try TestClient(port: server.port)
        try client.send("go")
        XCTAssertEqual(String(decoding: try client.readToEnd(), as: UTF8.self), "ERROR :SendQ exceeded\r\n")
        try waitUntil(thread, "sendq close") { server.allReasons == [.sendQueueExceeded] }
    }

    /// The kernel has taken part of a long line when the queue overflows:
    /// whatever reaches the peer is that line, then the farewell (as much of
    /// it as one attempt sends: the peer is not reading), never a byte of
    /// what was dropped.
    func testAStartedLineIsFinishedBeforeTheFarewell() throws {
        var limits = ConnectionLimits()
        limits.outboundHardLimit = 210 * 1024
        let server = try thread.sync { try EchoServer(loop: self.thread.loop, limits: limits) }
        let farewell = Array("ERROR :SendQ exceeded\r\n".utf8)
        server.farewell = farewell
        let first = [UInt8](repeating: 0x61, count: 200 * 1024) + [0x0A]
        let dropped = ByteChunk([UInt8](repeating: 0x62, count: 200 * 1024) + [0x0A])
        var startedBeforeOverflow = false
        server.onRead = { connection, bytes in
            var small: Int32 = 16 * 1024
            setsockopt(connection.fd, SOL_SOCKET, SO_SNDBUF, &small, socklen_t(MemoryLayout<Int32>.size))
            connection.write(ByteChunk(first))
            // After this turn's flush the kernel holds the start of the line.
            var timer: TimerHandle?
            timer = connection.loop.scheduleRepeating(every: .milliseconds(1)) {
                guard connection.outboundBytes < first.count else { return }
                startedBeforeOverflow = true
                connection.write(dropped)
                if let timer { connection.loop.cancel(timer) }
            }
            return bytes.count
        }
        let client = try TestClient(port: server.port, receiveBuffer: 4096)
        try client.send("go")
        try waitUntil(thread, "sendq close") { server.allReasons == [.sendQueueExceeded] }
        XCTAssertTrue(try thread.sync { startedBeforeOverflow })
        let received = try client.readToEnd()
        let expected = first + farewell
        XCTAssertFalse(received.contains(0x62), "nothing of the dropped queue")
        XCTAssertEqual(received, Array(expected.prefix(received.count)), "the line, then the farewell")
        XCTAssertGreaterThan(received.count, 0)
    }
}
