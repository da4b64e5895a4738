@testable import BenchKit
import XCTest

final class BenchKitTests: XCTestCase {
    func testPayloadRoundTripsAndHasTheAskedSize() {
        let p = BenchPayload(sender: 7, seq: 42, stampNanos: 123_456_789)
        let text = p.text(size: 100)
        XCTAssertEqual(text.utf8.count, 100)
        XCTAssertEqual(BenchPayload(text: Substring(text)), p)
        XCTAssertNil(BenchPayload(text: "hello world"))
        XCTAssertNil(BenchPayload(text: "B x 1 2"))
    }

    func testSequenceCheckerCountsGapsAndDuplicates() {
        var c = SequenceChecker()
        XCTAssertEqual(c.record(sender: 1, seq: 0), .inOrder)
        XCTAssertEqual(c.record(sender: 1, seq: 1), .inOrder)
        XCTAssertEqual(c.record(sender: 2, seq: 0), .inOrder)
        XCTAssertEqual(c.record(sender: 1, seq: 4), .gap(missing: 2))
        XCTAssertEqual(c.record(sender: 1, seq: 3), .duplicate)
        XCTAssertEqual(c.gaps, 2)
        XCTAssertEqual(c.duplicates, 1)
        XCTAssertFalse(c.isClean)
        XCTAssertEqual(c.missing(sender: 2, sent: 3), 2)
        XCTAssertEqual(c.missing(sender: 1, sent: 5), 0)
    }

    func testPercentilesAndBoundedMemory() {
        var r = LatencyRecorder(capacity: 1000)
        for i in 1...10_000 { r.record(UInt64(i) * 1_000_000) }  // 1…10000 ms
        XCTAssertEqual(r.count, 10_000)
        XCTAssertEqual(r.maxMillis, 10_000)
        XCTAssertEqual(r.percentileMillis(50), 5000, accuracy: 100)
        XCTAssertEqual(r.percentileMillis(99), 9900, accuracy: 100)
        var small = LatencyRecorder()
        for v: UInt64 in [5, 1, 3, 2, 4] { small.record(v * 1_000_000) }
        XCTAssertEqual(small.percentileMillis(50), 3)
        XCTAssertEqual(small.percentileMillis(100), 5)
        XCTAssertEqual(LatencyRecorder().percentileMillis(99), 0)
    }

    func testReportIsOneJSONLine() {
        var report = BenchReport(scenario: "fanout", target: "chatd")
        report.metrics["deliveriesPerSecond"] = 1234.5
        XCTAssertFalse(report.jsonLine.contains("\n"))
        XCTAssertTrue(report.jsonLine.contains("\"deliveriesPerSecond\":1234.5"))
    }

    func testNumericsAreMatchedOnTheCommandWordOnly() {
        XCTAssertTrue(IRCReply.isNumeric(":srv 366 me #c :End of /NAMES list", "366"))
        XCTAssertFalse(IRCReply.isNumeric(":a!b@c PRIVMSG #c :B 0 366 123 xx", "366"))
        XCTAssertFalse(IRCReply.isNumeric("PING :366", "366"))
    }
}
