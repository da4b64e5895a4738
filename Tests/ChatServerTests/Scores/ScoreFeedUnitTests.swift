@testable import ChatServer
import CoreLoop
import ScoreFeed
import XCTest

/// The pure parts: statistics, the datagram's JSON, the token form, and the
/// token table's renew and lapse.
final class ScoreFeedUnitTests: XCTestCase {
    func testStatisticsCountLossDuplicatesAndReordering() {
        var s = StreamStatistics()
        for seq: Int64 in [4, 5, 7, 6, 6, 9, 4, 10] { s.record(seq) }
        XCTAssertEqual(s.received, 6)       // 4 5 6 7 9 10
        XCTAssertEqual(s.duplicated, 2)     // 6, 4
        XCTAssertEqual(s.outOfOrder, 1)     // 6 after 7
        XCTAssertEqual(s.lost, 1)           // 8
        XCTAssertEqual([s.first, s.last], [4, 10])
        XCTAssertEqual(StreamStatistics().summary, "received=0 lost=0 duplicated=0 out-of-order=0 first=- last=-")
    }

    func testDatagramRoundTripsAndEscapes() throws {
        let d = ScoreDatagram(match: 3, seq: 9, type: "goal", minute: 67, home: 2, away: 1,
                              text: "He said \"wow\"\n\\ é", ts: 1_764_535_200_000, team: "Home FC", player: "N. Name")
        let bytes = d.encoded()
        XCTAssertEqual(try ScoreDatagram(decoding: bytes), d)
        XCTAssertTrue(String(decoding: bytes, as: UTF8.self).hasPrefix(
            #"{"match":3,"seq":9,"type":"goal","minute":67,"score":{"home":2,"away":1},"text":"He said \"wow\"\n\\ é","ts":1764535200000"#))
        XCTAssertEqual(ScoreLine.format(d), "67' GOAL Home FC — N. Name (2–1)")
        for bad in ["", "[]", "{}", #"{"match":1.5,"seq":1,"type":"x","minute":1,"score":{"home":0,"away":0},"text":"","ts":0}"#,
                    #"{"match":true,"seq":1,"type":"x","minute":1,"score":{"home":0,"away":0},"text":"","ts":0}"#,
                    #"{"match":1,"seq":1e300,"type":"x","minute":1,"score":{"home":0,"away":0},"text":"","ts":0}"#] {
            XCTAssertThrowsError(try ScoreDatagram(decoding: Array(bad.utf8)), bad)
        }
    }

    func testTokenForm() {
        let token = "0123456789abcdef0123456789abcdef"
        XCTAssertEqual(UDPToken.parse(Array(token.utf8)), token)
        XCTAssertEqual(UDPToken.parse(Array((token + "\n").utf8)), token)
        XCTAssertNil(UDPToken.parse(Array(token.uppercased().utf8)))
        XCTAssertNil(UDPToken.parse(Array((token + "0").utf8)))
        XCTAssertNil(UDPToken.parse(Array(token.dropLast().utf8)))
        XCTAssertNil(UDPToken.parse(Array((token + "\n\n").utf8)))
    }

    func testRenewKeepsATokenAliveAndLapseForgetsIt() throws {
        var subs = UDPSubscriptions()
        let a = try SocketAddress(host: "127.0.0.1", port: 4000), b = try SocketAddress(host: "127.0.0.1", port: 4001)
        let second: UInt64 = 1_000_000_000
        try subs.issue("t1", match: 1, client: 7, host: "127.0.0.1", now: 0, leaseNanos: 30 * second, perConnection: 2, maxTotal: 10)
        XCTAssertEqual(subs.destinations(of: 1, now: 0), [], "no address has presented it yet")
        XCTAssertTrue(subs.present("t1", from: a, now: 20 * second, leaseNanos: 30 * second))
        XCTAssertTrue(subs.present("t1", from: b, now: 45 * second, leaseNanos: 30 * second), "renewed at 20 s: alive at 45 s")
        XCTAssertEqual(subs.destinations(of: 1, now: 45 * second), [b])
        XCTAssertEqual(subs.sweep(now: 75 * second), 0)
        XCTAssertEqual(subs.destinations(of: 1, now: 76 * second), [], "past the lease, nothing is sent")
        XCTAssertFalse(subs.present("t1", from: a, now: 76 * second, leaseNanos: 30 * second), "lapsed")
        XCTAssertEqual(subs.count, 0)
        XCTAssertFalse(subs.present("nope", from: a, now: 0, leaseNanos: 30 * second))
        try subs.issue("t2", match: 1, client: 7, host: "127.0.0.1", now: 0, leaseNanos: second, perConnection: 1, maxTotal: 10)
        XCTAssertThrowsError(try subs.issue("t3", match: 1, client: 7, host: "127.0.0.1", now: 0, leaseNanos: second, perConnection: 1, maxTotal: 10))
        XCTAssertFalse(subs.revoke("t2", client: 8), "not theirs")
        subs.drop(client: 7)
        XCTAssertEqual(subs.count, 0)

        // A retired match: its tokens go, others stay.
        try subs.issue("m1", match: 1, client: 7, host: "127.0.0.1", now: 0, leaseNanos: second, perConnection: 4, maxTotal: 10)
        try subs.issue("m2", match: 2, client: 7, host: "127.0.0.1", now: 0, leaseNanos: second, perConnection: 4, maxTotal: 10)
        XCTAssertEqual(subs.drop(match: 1), 1)
        XCTAssertFalse(subs.present("m1", from: a, now: 0, leaseNanos: second), "a retired match's token stops working")
        XCTAssertTrue(subs.present("m2", from: a, now: 0, leaseNanos: second))
        XCTAssertEqual(subs.count(for: 7), 1)
    }

    func testATokenCountsOnlyFromItsChatConnectionsMachine() throws {
        var subs = UDPSubscriptions()
        let second: UInt64 = 1_000_000_000
        try subs.issue("t1", match: 1, client: 7, host: "192.0.2.10", now: 0, leaseNanos: 30 * second, perConnection: 4, maxTotal: 10)
        let victim = try SocketAddress(host: "198.51.100.7", port: 53)
        XCTAssertFalse(subs.present("t1", from: victim, now: second, leaseNanos: 30 * second), "a forged source is ignored")
        XCTAssertEqual(subs.destinations(of: 1, now: second), [], "nothing goes to the victim")
        let own = try SocketAddress(host: "192.0.2.10", port: 40_000)
        XCTAssertTrue(subs.present("t1", from: own, now: second, leaseNanos: 30 * second), "any port of the chat connection's address")
        XCTAssertEqual(subs.destinations(of: 1, now: second), [own])
        XCTAssertFalse(subs.present("t1", from: victim, now: 2 * second, leaseNanos: 30 * second))
        XCTAssertEqual(subs.destinations(of: 1, now: 2 * second), [own], "a forged datagram does not move it either")

        XCTAssertTrue(UDPSubscriptions.sameMachine("::ffff:192.0.2.10", "192.0.2.10"), "IPv4-mapped")
        XCTAssertTrue(UDPSubscriptions.sameMachine("::1", "127.0.0.1"), "loopback either way")
        XCTAssertTrue(UDPSubscriptions.sameMachine("127.0.0.1", "127.0.0.2"))
        XCTAssertFalse(UDPSubscriptions.sameMachine("192.0.2.10", "192.0.2.11"))
        XCTAssertFalse(UDPSubscriptions.sameMachine("2001:db8::1", "2001:db8::2"))
        XCTAssertFalse(UDPSubscriptions.sameMachine("::ffff:192.0.2.10", "::ffff:192.0.2.11"))
    }
}
