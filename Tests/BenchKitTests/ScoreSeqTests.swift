@testable import BenchKit
import XCTest

/// The score scenario's byte-level readers and its per-receiver tally.
final class ScoreSeqTests: XCTestCase {
    func testSeqFromADatagram() {
        func seq(_ text: String) -> Int64? {
            var text = text
            return text.withUTF8 { ScoreSeq.ofDatagram(UnsafeRawBufferPointer($0)) }
        }
        XCTAssertEqual(seq(#"{"match":1,"seq":7,"type":"goal","minute":67,"score":{"home":2,"away":1},"text":"GOAL!","ts":1}"#), 7)
        XCTAssertEqual(seq(#"{"match":12,"seq":123456}"#), 123456)
        XCTAssertNil(seq("OK"))
        XCTAssertNil(seq(#"{"match":1,"seq":}"#))
    }

    func testMatchAndSeqFromAnEventLine() {
        XCTAssertTrue(ScoreSeq.ofEventLine(":bench.local SCORES EVENT 3 42 foul 10 0 0 :Foul by Home FC.")! == (3, 42))
        XCTAssertTrue(ScoreSeq.ofEventLine("@msgid=x;time=y :bench.local SCORES EVENT 1 2 goal 1 1 0 :GOAL!")! == (1, 2))
        XCTAssertNil(ScoreSeq.ofEventLine(":a!b@c PRIVMSG #x :SCORES EVENT 1 2 x"), "the words inside a message")
        XCTAssertNil(ScoreSeq.ofEventLine(":bench.local SCORES END 1"))
        XCTAssertNil(ScoreSeq.ofEventLine(":bench.local SCORES EVENT 1"))
    }

    func testTallyCountsMissingRepeatsAndReordering() {
        var t = SeqTally(firstExpected: 2)
        for seq: Int64 in [1, 2, 3, 5, 4, 5, 7] { t.record(seq) }
        XCTAssertEqual(t.early, 1)
        XCTAssertEqual(t.received, 5)
        XCTAssertEqual(t.duplicates, 1)
        XCTAssertEqual(t.reordered, 1, "4 after 5")
        XCTAssertEqual(t.missing(through: 8), 2, "6 and 8")
        XCTAssertFalse(t.isClean(through: 7))
        var clean = SeqTally(firstExpected: 2)
        for seq: Int64 in 2...10 { clean.record(seq) }
        XCTAssertTrue(clean.isClean(through: 10))
        XCTAssertEqual(clean.missing(through: 11), 1)
        XCTAssertEqual(SeqTally(firstExpected: 2).missing(through: 1), 0, "nothing sent")
    }
}
