@testable import CoreLoop
import XCTest

final class ChunkRingTests: XCTestCase {
    private func contents(_ ring: borrowing ChunkRing) -> [String] {
        (0..<ring.count).map { String(decoding: ring.region($0), as: UTF8.self) }
    }

    func testRingsShareOneReferenceAndTheLastDropFreesTheChunk() {
        weak var watched: ByteChunk?
        var a = ChunkRing()
        var b = ChunkRing()
        do {
            let chunk = ByteChunk("shared\r\n")
            watched = chunk
            a.append(chunk)
            b.append(chunk)
            a.append(chunk)  // the same chunk twice in one ring holds twice
            XCTAssertEqual(chunk.queueHolds, 3)
        }
        XCTAssertNotNil(watched, "held by the rings after the caller's reference is gone")
        a.removeFirst()
        b.removeAll()
        XCTAssertEqual(watched?.queueHolds, 1)
        a.removeFirst()
        XCTAssertNil(watched, "freed with the last hold")
    }

    func testARingGivesBackWhatItHoldsWhenItGoes() {
        weak var watched: ByteChunk?
        do {
            var ring = ChunkRing()
            let chunk = ByteChunk("queued\r\n")
            watched = chunk
            ring.append(chunk)
            ring.append(ByteChunk("other\r\n"))
            _ = consume ring
        }
        XCTAssertNil(watched, "a connection dropped with output queued leaks nothing")
    }

    func testOrderSurvivesWrappingAndGrowing() {
        var ring = ChunkRing()
        var expected: [String] = []
        // Interleave appends and removals so the oldest slot moves around the
        // ring before and after it grows.
        for step in 0..<300 {
            let line = "line \(step)"
            ring.append(ByteChunk(line))
            expected.append(line)
            if step % 3 == 0 {
                ring.removeFirst()
                expected.removeFirst()
            }
            XCTAssertEqual(ring.count, expected.count)
        }
        XCTAssertEqual(contents(ring), expected)
        XCTAssertEqual(ring.withLast { String(decoding: $0.pointer, as: UTF8.self) }, expected.last)
        while !ring.isEmpty {
            ring.removeFirst()
            expected.removeFirst()
        }
        XCTAssertNil(ring.withLast { $0.count })
        ring.append(ByteChunk("after a shrink"))
        XCTAssertEqual(contents(ring), ["after a shrink"])
    }
}
