import CoreLoop
import Foundation
import XCTest
@testable import HTTPCore

/// Chunked request bodies through a real connection: decoded whole for the
/// responder, pipelining right after the last chunk, 413 at the limit with
/// nothing more read, `100 Continue`, and the smuggling shapes refused.
final class HTTPChunkedServerTests: XCTestCase {
    var thread: LoopThread?

    override func tearDown() { thread?.stop() }

    static let echo = ClosureResponder(limit: 64) { request, exchange in
        exchange.respond(.bytes(contentType: "application/octet-stream", request.body))
    }

    func start(_ responder: HTTPResponder = HTTPChunkedServerTests.echo) throws -> RawClient {
        thread = try LoopThread(limits: HTTPLimits(), connectionLimits: ConnectionLimits(), responder: responder)
        return try RawClient(port: thread!.port)
    }

    let twoRequests = "POST /a HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
        + "5;ext=1\r\nhello\r\nA\r\n, chunked!\r\n0\r\nTrailer: x\r\n\r\n"
        + "POST /b HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\n\r\nend"

    func testChunkedBodyThenPipelinedRequest() throws {
        let c = try start()
        try c.send(twoRequests)
        XCTAssertEqual(try c.response()?.text, "hello, chunked!")
        XCTAssertEqual(try c.response()?.text, "end")
    }

    func testChunkedBodyOneByteAtATime() throws {
        let c = try start()
        for byte in Array(twoRequests.utf8) { try c.send([byte]) }
        XCTAssertEqual(try c.response()?.text, "hello, chunked!")
        XCTAssertEqual(try c.response()?.text, "end")
    }

    func testChunkOverTheLimitGets413AndTheConnectionCloses() throws {
        let c = try start()
        try c.send("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n20\r\n" + String(repeating: "a", count: 32) + "\r\n21\r\n")
        let r = try XCTUnwrap(c.response())
        XCTAssertEqual(r.status, 413)
        XCTAssertEqual(r.headers["connection"], "close")
        try c.expectClose()
    }

    func testExpectContinueGets100BeforeTheBody() throws {
        let c = try start()
        try c.send("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n")
        XCTAssertEqual(try c.response()?.status, 100)
        try c.send("3\r\nabc\r\n0\r\n\r\n")
        let r = try XCTUnwrap(c.response())
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(r.text, "abc")
    }

    func testMalformedChunkGets400() throws {
        let c = try start()
        try c.send("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n0\r\n\r\n")
        XCTAssertEqual(try c.response()?.status, 400)
        try c.expectClose()
    }

    func testSmugglingShapesAndOtherCodingsAreRefused() throws {
        _ = try start()
        let cases: [(String, Int)] = [
            ("Transfer-Encoding: chunked\r\nContent-Length: 5", 400),
            ("Content-Length: 5\r\nTransfer-Encoding: chunked", 400),
            ("Transfer-Encoding: gzip, chunked", 501),
            ("Transfer-Encoding: chunked, gzip", 400),
            ("Transfer-Encoding: gzip", 400),
            ("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked", 400),
        ]
        for (headers, expected) in cases {
            let c = try RawClient(port: thread!.port)
            try c.send("POST / HTTP/1.1\r\nHost: t\r\n\(headers)\r\n\r\n0\r\n\r\n")
            XCTAssertEqual(try c.response()?.status, expected, headers)
            try c.expectClose()
        }
    }
}
