@testable import ChatServer
import XCTest

/// STATS (u, m, o) and an operator's REHASH through the in-memory transport.
final class StatsRehashTests: XCTestCase {
    func testStatsUptimeCommandsAndOperators() {
        let net = TestNet()
        let u = net.user("u")
        net.clock.advance(seconds: 90_061)  // 1 day, 1:01:01
        u.send("STATS u")
        XCTAssertEqual(u.plainLines(), [
            ":test.server 242 u :Server Up 1 days, 1:01:01",
            ":test.server 219 u u :End of /STATS report",
        ])
        u.send("STATS m")
        let counts = u.plainLines()
        XCTAssertTrue(counts.contains(":test.server 212 u NICK :1"), "\(counts)")
        XCTAssertTrue(counts.contains(":test.server 212 u STATS :2"), "this STATS counts too: \(counts)")
        XCTAssertEqual(counts.last, ":test.server 219 u m :End of /STATS report")
        u.send("STATS o")
        XCTAssertEqual(u.codes(), ["481"], "operator blocks are for operators")
        u.send("OPER root sesame")
        _ = u.lines()
        u.send("STATS o")
        XCTAssertEqual(u.plainLines(), [
            ":test.server 243 u O 127.0.0.* * :root",
            ":test.server 219 u o :End of /STATS report",
        ])
        u.send("STATS zebra")
        XCTAssertEqual(u.plainLines(), [":test.server 219 u z :End of /STATS report"], "an unknown letter lists nothing")
        u.send("STATS")
        XCTAssertEqual(u.codes(), ["461"])
        u.send("STATS u other.server")
        XCTAssertEqual(u.codes(), ["402"])
        u.send("STATS u test.server")
        XCTAssertEqual(u.codes(), ["242", "219"])
    }

    func testRehashIsForOperatorsAndReportsTheOutcome() {
        let net = TestNet()
        let reloader = FakeReloader()
        let u = net.user("u")
        u.send("REHASH")
        XCTAssertEqual(u.codes(), ["481"])
        u.send("OPER root sesame")
        _ = u.lines()
        u.send("REHASH")
        XCTAssertEqual(u.codes(), ["400"], "no daemon: nothing to re-read")

        net.server.control = reloader
        u.send("REHASH")
        XCTAssertEqual(u.plainLines(), [":test.server 382 u /etc/chatd.json :Rehashing"])
        XCTAssertEqual(reloader.pending.count, 1, "the outcome waits for the file to be read")
        reloader.pending.removeFirst()(.success(["listen: needs a restart"]), ["certificate: unchanged"])
        XCTAssertEqual(u.plainLines(), [
            ":test.server NOTICE u :*** Rehash done",
            ":test.server NOTICE u :*** listen: needs a restart",
            ":test.server NOTICE u :*** certificate: unchanged",
        ])
        u.send("REHASH")
        _ = u.lines()
        reloader.pending.removeFirst()(.failure(ConsoleError.failed("reload refused, old configuration kept: gone")), [])
        XCTAssertEqual(u.plainLines(), [":test.server NOTICE u :*** Rehash failed: reload refused, old configuration kept: gone"])

        u.send("REHASH")
        _ = u.lines()
        u.send("QUIT")
        reloader.pending.removeFirst()(.success([]), [])  // the operator has left: told no one, no crash
        XCTAssertNil(net.server.client(named: "u"))
    }
}

/// Records REHASH requests; a test finishes each one by hand.
final class FakeReloader: DaemonControl {
    var configurationFile: String? = "/etc/chatd.json"
    var pending: [(Result<[String], Error>, [String]) -> Void] = []
    var dieMessages: [String] = []
    func rehash(done: @escaping (Result<[String], Error>, [String]) -> Void) { pending.append(done) }
    func die(message: String) { dieMessages.append(message) }
}
