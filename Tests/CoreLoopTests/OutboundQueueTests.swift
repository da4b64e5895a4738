@testable import CoreLoop
import XCTest
#if canImport(Glibc)
import Glibc
#endif

final class OutboundQueueTests: XCTestCase {
    /// What `writev` would send next, as bytes.
    private func pending(_ queue: borrowing OutboundQueue, iovecLimit: Int = 64) -> (bytes: [UInt8], iovecs: Int) {
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

    /// On a send-queue overflow only the rest of the line being sent stays.
    func testKeepingTheRestOfTheStartedLine() {
        var queue = OutboundQueue()
        copying("first line\r\nsecond\r\n", into: &queue)
        queue.append(ByteChunk("shared\r\n"))
        queue.consume(4)
        queue.keepRestOfStartedLine()
        XCTAssertEqual(String(decoding: pending(queue).bytes, as: UTF8.self), "t line\r\n")
        XCTAssertEqual(queue.byteCount, 8)

        var fresh = OutboundQueue()
        copying("not started\r\n", into: &fresh)
        fresh.keepRestOfStartedLine()
        XCTAssertTrue(fresh.isEmpty, "nothing begun: nothing kept")

        var unterminated = OutboundQueue()
        copying("no end", into: &unterminated)
        unterminated.consume(3)
        unterminated.keepRestOfStartedLine()
        XCTAssertEqual(String(decoding: pending(unterminated).bytes, as: UTF8.self), "end")
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
    // MARK: Coalescing small chunks for one send

    private func coalesced(_ queue: borrowing OutboundQueue, scratchBytes: Int = 1024, small: Int = 64) -> [UInt8]? {
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: scratchBytes, alignment: 16)
        defer { scratch.deallocate() }
        return queue.coalescedFront(scratch: scratch, smallChunkBytes: small).map { Array($0) }
    }

    func testSeveralSmallChunksAreCopiedTogetherFromTheHeadOffset() {
        var queue = OutboundQueue()
        queue.append(ByteChunk("line one\r\n"))
        queue.append(ByteChunk("line two\r\n"))
        queue.append(ByteChunk("line three\r\n"))
        queue.consume(5)  // part of the first line already sent
        XCTAssertEqual(coalesced(queue).map { String(decoding: $0, as: UTF8.self) }, "one\r\nline two\r\nline three\r\n")
        XCTAssertEqual(coalesced(queue), pending(queue).bytes, "the same bytes a gather write would send")
    }

    func testOneChunkOrALargeHeadIsLeftToTheGatherWrite() {
        var single = OutboundQueue()
        single.append(ByteChunk("only\r\n"))
        XCTAssertNil(coalesced(single), "one chunk needs no copy")

        var largeHead = OutboundQueue()
        largeHead.append(ByteChunk(String(repeating: "x", count: 100)))
        largeHead.append(ByteChunk("small\r\n"))
        XCTAssertNil(coalesced(largeHead, small: 64), "a large chunk first goes out as it is")

        var smallThenLarge = OutboundQueue()
        smallThenLarge.append(ByteChunk("small\r\n"))
        smallThenLarge.append(ByteChunk(String(repeating: "x", count: 100)))
        XCTAssertNil(coalesced(smallThenLarge, small: 64), "a single small chunk before a large one is not copied")
    }

    func testCopyingStopsBeforeALargeChunkAndWhenTheScratchIsFull() {
        var queue = OutboundQueue()
        queue.append(ByteChunk("aa\r\n"))
        queue.append(ByteChunk("bb\r\n"))
        queue.append(ByteChunk(String(repeating: "x", count: 100)))
        queue.append(ByteChunk("cc\r\n"))
        XCTAssertEqual(coalesced(queue, small: 64).map { String(decoding: $0, as: UTF8.self) }, "aa\r\nbb\r\n")

        var many = OutboundQueue()
        for i in 0..<10 { many.append(ByteChunk("line \(i)\r\n")) }  // 8 bytes each
        XCTAssertEqual(coalesced(many, scratchBytes: 20)?.count, 16, "two whole lines fit in 20 bytes; no line is split")
    }
}
