@testable import BenchKit
import XCTest

/// The pure parts of chatbench's web clients: the HTTP response head and
/// frames from a WebSocket server.
final class WebBenchTests: XCTestCase {
    func head(_ text: String, maxBytes: Int = 16 * 1024) -> HTTPResponseHead.Outcome {
        Array(text.utf8).withUnsafeBytes { HTTPResponseHead.parse($0, maxBytes: maxBytes) }
    }

    func testResponseHeadIsReadUpToTheBlankLine() {
        let text = "HTTP/1.1 206 Partial Content\r\nContent-Length: 10\r\ncontent-range: bytes 5-14/100\r\nVary: a\r\nvary: b\r\n\r\nBODY"
        guard case .head(let h, let used) = head(text) else { return XCTFail("\(head(text))") }
        XCTAssertEqual(used, text.utf8.count - 4, "the body is not consumed")
        XCTAssertEqual(h.status, 206)
        XCTAssertEqual(h.reason, "Partial Content")
        XCTAssertEqual(h.contentLength, 10)
        XCTAssertEqual(h.contentRange?.first, 5)
        XCTAssertEqual(h.contentRange?.last, 14)
        XCTAssertEqual(h.contentRange?.size, 100)
        XCTAssertEqual(h["VARY"], "a, b", "repeated fields joined, names case-insensitive")
    }

    func testResponseHeadWaitsForMoreAndIsBounded() {
        XCTAssertEqual(head("HTTP/1.1 200 OK\r\nContent-Len"), .incomplete)
        XCTAssertEqual(head("HTTP/1.1 200 OK\r\n\r"), .incomplete)
        if case .failure = head("HTTP/1.1 200 OK\r\nX: " + String(repeating: "a", count: 100), maxBytes: 64) {} else {
            XCTFail("a head past the limit without its end is an error")
        }
    }

    func testTokensAndUpgrade() {
        guard case .head(let h, _) = head("HTTP/1.1 101 Switching Protocols\r\nUpgrade: WebSocket\r\nConnection: keep-alive, Upgrade\r\n\r\n") else {
            return XCTFail()
        }
        XCTAssertEqual(h.status, 101)
        XCTAssertTrue(h.has("Upgrade", token: "websocket"))
        XCTAssertTrue(h.has("connection", token: "upgrade"))
        XCTAssertFalse(h.has("Connection", token: "close"))
        XCTAssertNil(h.contentLength)
        XCTAssertNil(h.contentRange)
    }

    func testMalformedHeadsAreErrors() {
        for bad in ["HTTP/2 200 OK\r\n\r\n", "HTTP/1.1 2000 OK\r\n\r\n", "HTTP/1.1 abc OK\r\n\r\n", "ICY 200 OK\r\n\r\n",
                    "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", "HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n",
                    "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n"] {
            if case .failure = head(bad) { continue }
            XCTFail("accepted \(bad.debugDescription)")
        }
        guard case .head(let h, _) = head("HTTP/1.1 200 OK\r\nContent-Range: bytes 9-5/100\r\n\r\n") else { return XCTFail() }
        XCTAssertNil(h.contentRange, "a backwards range is not a range")
    }

    func next(_ bytes: [UInt8], max: Int = 1 << 16) -> ServerFrameReader.Outcome {
        bytes.withUnsafeBytes { ServerFrameReader(maxPayload: max).next(in: $0) }
    }

    func testServerFramesAreLocatedNotCopied() {
        let payload = Array("PING :x".utf8)
        XCTAssertEqual(next([0x81, UInt8(payload.count)] + payload + [0x89, 0]),
                       .frame(ServerFrame(fin: true, opcode: 1, payload: 2..<9, consumed: 9)), "the first of two frames")
        let long = [UInt8](repeating: 0x78, count: 300)
        XCTAssertEqual(next([0x81, 126, 0x01, 0x2C] + long), .frame(ServerFrame(fin: true, opcode: 1, payload: 4..<304, consumed: 304)))
        var huge: [UInt8] = [0x82, 127, 0, 0, 0, 0, 0, 1, 0, 0]
        XCTAssertEqual(next(huge + [0, 0, 0], max: 1 << 20), .incomplete, "a 64 KiB frame waits for its bytes")
        huge += [UInt8](repeating: 0, count: 65536)
        XCTAssertEqual(next(huge, max: 1 << 20), .frame(ServerFrame(fin: true, opcode: 2, payload: 10..<65546, consumed: 65546)))
        XCTAssertEqual(next([0x01, 3, 0x61]), .incomplete)
        XCTAssertEqual(next([0x81]), .incomplete)
        XCTAssertEqual(next([0x81, 126, 0x01]), .incomplete)
        if case .frame(let f) = next([0x01, 1, 0x61]) { XCTAssertFalse(f.fin) } else { XCTFail("a first fragment is a frame") }
    }

    func testFramesAServerMustNotSendAreErrors() {
        for bad: [UInt8] in [[0x81, 0x81, 1, 2, 3, 4, 0x61],  // masked
                             [0xC1, 1, 0x61],  // RSV1
                             [0x83, 1, 0x61],  // opcode 3
                             [0x09, 0],  // fragmented ping
                             [0x89, 126, 0, 126] + [UInt8](repeating: 0, count: 126),  // long ping
                             [0x82, 127, 0x80, 0, 0, 0, 0, 0, 0, 0]] {  // top bit
            if case .failure = next(bad) { continue }
            XCTFail("accepted \(bad.prefix(12))")
        }
        if case .failure = next([0x81, 126, 0x01, 0x2C], max: 200) {} else { XCTFail("over the limit from the header alone") }
    }

    func testTheBenchFileIsTextOfTheAskedSizeWithDistinctLines() {
        XCTAssertEqual(BenchFileText.make(bytes: 1).count, 1)
        let text = BenchFileText.make(bytes: 10_000)
        XCTAssertEqual(text.count, 10_000)
        XCTAssertTrue(text.allSatisfy { $0 == 10 || (0x20..<0x7F).contains($0) })
        let lines = String(decoding: text, as: UTF8.self).split(separator: "\n")
        XCTAssertEqual(Set(lines).count, lines.count, "no two lines alike")
    }
}
