import CoreLoop
import Foundation
import XCTest
@testable import HTTPCore

/// What a peer can make the server hold before and while it sends a body:
/// the responder's verdict on the head (`admit`), the body budget, the
/// body's pace, and the connection limits. Real loopback sockets.
final class HTTPAdmissionTests: XCTestCase {
    var thread: LoopThread?

    override func tearDown() { thread?.stop() }

    func start(limits: HTTPLimits = HTTPLimits(), _ responder: HTTPResponder) throws -> Int {
        thread = try LoopThread(limits: limits, responder: responder)
        return thread!.port
    }

    /// Echoes the body's length and what `admit` handed on.
    static func counting() -> ClosureResponder {
        ClosureResponder { request, exchange in
            let context = (request.admission as? Box)?.value ?? "-"
            exchange.respond(.text(.ok, "\(request.body.count) bytes as \(context)"))
        }
    }

    final class Box { let value: String; init(_ value: String) { self.value = value } }

    /// Admits only heads with `Authorization: yes`, at once or a little later.
    static func guarded(later loop: (() -> EventLoop)? = nil) -> ClosureResponder {
        let responder = counting()
        responder.admission = { head, done in
            let verdict: HTTPAdmission = head.headers["Authorization"] == "yes"
                ? .admit(context: Box("alice")) : .refuse(.text(HTTPStatus(401, "Unauthorized"), "who are you?"))
            guard let loop else { return done(verdict) }
            _ = loop().schedule(after: .milliseconds(30)) { done(verdict) }
        }
        return responder
    }

    func post(_ length: Int, _ extra: String = "") -> String {
        "POST /up HTTP/1.1\r\nHost: t\r\nContent-Length: \(length)\r\n\(extra)\r\n"
    }

    func testARefusedBodyIsReadAndDroppedThenRefusedOnAConnectionThatStaysOpen() throws {
        let c = try RawClient(port: try start(Self.guarded()))
        try c.send(post(100_000) + String(repeating: "x", count: 100_000))
        let r = try XCTUnwrap(c.response())
        XCTAssertEqual(r.status, 401)
        XCTAssertEqual(r.text, "who are you?\n")
        XCTAssertNil(r.headers["connection"], "kept alive: the body was read to its end")
        XCTAssertEqual(thread!.onLoop { self.thread!.http.bodyBytesReserved }, 0, "a refused body reserves nothing")
        try c.send(post(3, "Authorization: yes\r\n") + "abc")
        XCTAssertEqual(try c.response()?.text, "3 bytes as alice\n", "the next request on it is read as usual, with what admit found")
    }

    func testARefusedClientWaitingForContinueIsRefusedAtOnceAndNeverAskedForTheBody() throws {
        let c = try RawClient(port: try start(Self.guarded()))
        try c.send(post(1_000_000, "Expect: 100-continue\r\n"))
        let r = try XCTUnwrap(c.response())
        XCTAssertEqual(r.status, 401, "no 100 Continue first")
        XCTAssertEqual(r.headers["connection"], "close")
        try c.expectClose()
    }

    func testAVerdictThatComesLaterHoldsTheBodyUntilThen() throws {
        var loop: EventLoop!
        let port = try start(Self.guarded(later: { loop }))
        loop = thread!.loop
        let c = try RawClient(port: port)
        try c.send(post(5, "Authorization: yes\r\nExpect: 100-continue\r\n"))
        XCTAssertEqual(try c.response()?.status, 100, "after the verdict")
        try c.send("hello")
        XCTAssertEqual(try c.response()?.text, "5 bytes as alice\n")
        try c.send(post(5, "Authorization: no\r\n") + "hello" + "GET /after HTTP/1.1\r\nHost: t\r\n\r\n")
        XCTAssertEqual(try c.response()?.status, 401)
        XCTAssertEqual(try c.response()?.status, 200, "the pipelined request after the dropped body")
    }

    func testBodiesPastTheBudgetGet503AndTheBudgetComesBack() throws {
        var limits = HTTPLimits()
        limits.maxBodyMemoryBytes = 150_000
        let port = try start(limits: limits, Self.counting())
        let first = try RawClient(port: port)
        try first.send(post(100_000) + "part")  // reserves 100,000 and waits for the rest
        try waitFor("the first body's reservation") { self.thread!.http.bodyBytesReserved == 100_000 }
        let second = try RawClient(port: port)
        try second.send(post(100_000) + "part")
        let busy = try XCTUnwrap(second.response())
        XCTAssertEqual(busy.status, 503)
        XCTAssertEqual(busy.headers["retry-after"], "5")
        try second.expectClose()
        try first.send(String(repeating: "x", count: 100_000 - 4))
        XCTAssertEqual(try first.response()?.text, "100000 bytes as -\n")
        try waitFor("the budget given back") { self.thread!.http.bodyBytesReserved == 0 }
        let third = try RawClient(port: port)
        try third.send(post(100_000) + String(repeating: "y", count: 100_000))
        XCTAssertEqual(try third.response()?.status, 200)
    }

    /// Beyond its first body, one address holds at most a quarter of the
    /// budget; another address still gets its share.
    func testOneAddressHoldsAtMostAQuarterOfTheBudgetBeyondItsFirstBody() throws {
        var limits = HTTPLimits()
        limits.maxBodyMemoryBytes = 400_000
        let port = try start(limits: limits, Self.counting())
        let first = try RawClient(port: port)
        try first.send(post(100_000) + "part")
        try waitFor("the first body's reservation") { self.thread!.http.bodyBytesReserved == 100_000 }
        let second = try RawClient(port: port)
        try second.send(post(100_000) + "part")
        XCTAssertEqual(try second.response()?.status, 503, "the address already holds a quarter")
        let elsewhere = try RawClient(port: port, source: "127.0.0.2")
        try elsewhere.send(post(100_000) + String(repeating: "z", count: 100_000))
        XCTAssertEqual(try elsewhere.response()?.text, "100000 bytes as -\n", "another address has room")
        try first.send(String(repeating: "x", count: 100_000 - 4))
        XCTAssertEqual(try first.response()?.text, "100000 bytes as -\n")
    }

    /// A chunked body reserves a slice and more as it grows, not its limit.
    func testAChunkedBodyReservesAsItGrows() throws {
        var limits = HTTPLimits()
        limits.maxBodyBytes = 1 << 20
        limits.maxBodyMemoryBytes = 200_000
        let port = try start(limits: limits, Self.counting())
        let slice = BodyBudget.chunkedSlice
        let piece = String(40_000, radix: 16) + "\r\n" + String(repeating: "c", count: 40_000) + "\r\n"
        let chunkedHead = "POST /up HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
        let growing = try RawClient(port: port)
        try growing.send(chunkedHead + piece)
        try waitFor("a first slice") { self.thread!.http.bodyBytesReserved == slice }
        try growing.send(piece)
        try waitFor("twice the slice") { self.thread!.http.bodyBytesReserved == 2 * slice }
        // Another body fits beside it: a chunked one no longer holds its whole limit (1 MiB here).
        let beside = try RawClient(port: port, source: "127.0.0.3")
        try beside.send(post(10) + "0123456789")
        XCTAssertEqual(try beside.response()?.text, "10 bytes as -\n")
        try waitFor("the other body's share back") { self.thread!.http.bodyBytesReserved == 2 * slice }
        try growing.send(piece + piece + piece + "0\r\n\r\n")
        XCTAssertEqual(try growing.response()?.text, "200000 bytes as -\n", "one body alone may pass the budget")
        try waitFor("all given back") { self.thread!.http.bodyBytesReserved == 0 }

        let over = try RawClient(port: port)
        try over.send(chunkedHead + piece)
        try waitFor("a slice") { self.thread!.http.bodyBytesReserved == slice }
        let rival = try RawClient(port: port, source: "127.0.0.4")
        try rival.send(post(100_000) + "part")
        try waitFor("the rival's reservation") { self.thread!.http.bodyBytesReserved == slice + 100_000 }
        try over.send(piece)
        let busy = try XCTUnwrap(over.response())
        XCTAssertEqual(busy.status, 503, "growing past the budget with another body in flight")
        try over.expectClose()
        _ = rival
    }

    func testABodyDribbledBelowTheMinimumPaceGets408() throws {
        var limits = HTTPLimits()
        limits.headerTimeoutNanos = 300_000_000
        limits.minBodyBytesPerSecond = 10_000  // 3,000 bytes per window
        let port = try start(limits: limits, Self.counting())
        let slow = try RawClient(port: port)
        try slow.send(post(100_000) + "x")
        let r = try XCTUnwrap(slow.response())
        XCTAssertEqual(r.status, 408)
        XCTAssertTrue(r.text.contains("slower than 10000 bytes a second"), r.text)
        try slow.expectClose()
        // A short body's last window needs only what was left.
        let brief = try RawClient(port: port)
        try brief.send(post(10) + "abcde")
        try brief.send("fghij")
        XCTAssertEqual(try brief.response()?.text, "10 bytes as -\n")
    }

    func testConnectionsPastTheLimitsGet503AndAreClosed() throws {
        var limits = HTTPLimits()
        limits.maxConnectionsPerAddress = 2
        let port = try start(limits: limits, Self.counting())
        let a = try RawClient(port: port), b = try RawClient(port: port)
        try waitFor("two connections") { self.thread!.http.stats.openConnections == 2 }
        let c = try RawClient(port: port)
        let r = try XCTUnwrap(c.response())
        XCTAssertEqual(r.status, 503)
        XCTAssertTrue(r.text.contains("at most 2"), r.text)
        try c.expectClose()
        try a.send("GET / HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        XCTAssertEqual(try a.response()?.status, 200)
        try a.expectClose()
        try waitFor("a's place freed") { self.thread!.http.stats.openConnections == 1 }
        let d = try RawClient(port: port)
        try d.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
        XCTAssertEqual(try d.response()?.status, 200, "room again")
        XCTAssertEqual(thread!.onLoop { self.thread!.http.stats.connectionsRefused }, 1)
        _ = b
    }

    func testBodyPaceCountsWindowsAndTheShortLastOne() {
        var pace = BodyPace(bytesPerSecond: 1_000, windowNanos: 2_000_000_000, remaining: 10_000)
        XCTAssertEqual(pace.minBytesPerWindow, 2_000)
        pace.received(2_000)
        XCTAssertTrue(pace.windowEnded(remaining: 8_000))
        pace.received(1_999)
        XCTAssertFalse(pace.windowEnded(remaining: 6_001), "one byte short")
        var tail = BodyPace(bytesPerSecond: 1_000, windowNanos: 2_000_000_000, remaining: 500)
        tail.received(499)
        XCTAssertFalse(tail.windowEnded(remaining: 1))
        var paused = BodyPace(bytesPerSecond: 0, windowNanos: 1_000_000_000, remaining: nil)
        XCTAssertEqual(paused.minBytesPerWindow, 1, "rate 0: only a full pause fails")
        paused.received(1)
        XCTAssertTrue(paused.windowEnded(remaining: nil))
        XCTAssertFalse(paused.windowEnded(remaining: nil))
    }

    /// Polls the loop until `condition` holds (at most 20 s).
    func waitFor(_ what: String, _ condition: @escaping () -> Bool) throws {
        let deadline = Date().addingTimeInterval(20)
        while !thread!.onLoop(condition) {
            guard Date() < deadline else { throw RawClient.Timeout(what: what) }
            usleep(2_000)
        }
    }
}
