@testable import CoreLoop
import XCTest
#if canImport(Glibc)
import Glibc
#endif

final class OutboundQueueTests: XCTestCase {
    /// What `writev` would send next, as bytes.
    private func pending(_ queue: OutboundQueue, iovecLimit: Int = 64) -> (bytes: [UInt8], iovecs: Int) {
        let iovecs = UnsafeMutableBufferPointer<iovec>.allocate(capacity: iovecLimit)
        defer { iovecs.deallocate() }
        let n = queue.gather(into: iovecs).count
        var out: [UInt8] = []
        for v in iovecs[0..<n] { out += UnsafeRawBufferPointer(start: v.iov_base, count: v.iov_len) }
        return (out, n)
    }

    private func copying(_ text: String, into queue: inout OutboundQueue) {
        var text = text
        text.withUTF8 { queue.append(copying: UnsafeRawBufferPointer($0)) }
    }

    func testPrivateWritesShareOneBlockAndKeepOrderAroundSharedChunks() {
        var queue = OutboundQueue()
        copying("001 a\r\n", into: &queue)
        copying("002 b\r\n", into: &queue)
        let shared = ByteChunk("PRIVMSG all\r\n")
        queue.append(shared)
        copying("003 c\r\n", into: &queue)
        let (bytes, iovecs) = pending(queue)
        XCTAssertEqual(String(decoding: bytes, as: UTF8.self), "001 a\r\n002 b\r\nPRIVMSG all\r\n003 c\r\n")
        XCTAssertEqual(iovecs, 3, "two private writes in one block, the shared chunk, a new block")
        XCTAssertEqual(queue.byteCount, bytes.count)
        XCTAssertEqual(shared.bytes, Array("PRIVMSG all\r\n".utf8), "a shared chunk is never written into")
    }

    func testAppendingAfterAPartialWriteOfTheBlockKeepsTheRest() {
        var queue = OutboundQueue()
        copying("hello ", into: &queue)
        queue.consume(3)
        copying("world", into: &queue)
        XCTAssertEqual(String(decoding: pending(queue).bytes, as: UTF8.self), "lo world")
        queue.consume(8)
        XCTAssertTrue(queue.isEmpty)
        copying("again", into: &queue)
        XCTAssertEqual(String(decoding: pending(queue).bytes, as: UTF8.self), "again")
    }

    func testAWriteLargerThanABlockGetsItsOwnBlock() {
        var queue = OutboundQueue()
        let big = String(repeating: "x", count: OutboundQueue.privateBlockBytes * 2)
        copying("a", into: &queue)
        copying(big, into: &queue)
        copying("b", into: &queue)
        let (bytes, iovecs) = pending(queue)
        XCTAssertEqual(bytes.count, big.utf8.count + 2)
        XCTAssertEqual(iovecs, 3, "a, then the big write in a block of its own (exactly full), then b")
        XCTAssertEqual(bytes.first, UInt8(ascii: "a"))
        XCTAssertEqual(bytes.last, UInt8(ascii: "b"))
    }
}
