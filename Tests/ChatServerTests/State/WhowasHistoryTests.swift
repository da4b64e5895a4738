@testable import ChatServer
import XCTest

/// WHOWAS keeps the newest `capacity` departures, newest first, as a ring.
final class WhowasHistoryTests: XCTestCase {
    func testTheRingKeepsTheNewestEntriesNewestFirst() {
        let net = TestNet()
        let a = net.user("alice").client!, b = net.user("bob").client!
        var history = WhowasHistory(capacity: 3)
        for (i, client) in [a, b, a, a, b, a].enumerated() {
            history.record(client, serverName: "s", atMillis: Int64(i))
        }
        // Kept: entries 3 (alice), 4 (bob), 5 (alice); 0-2 were overwritten.
        XCTAssertEqual(history.lookup("ALICE", max: 10).map(\.atMillis), [5, 3])
        XCTAssertEqual(history.lookup("bob", max: 10).map(\.atMillis), [4])
        XCTAssertEqual(history.lookup("alice", max: 1).map(\.atMillis), [5])
        XCTAssertEqual(history.lookup("alice", max: 0).count, 0)
        XCTAssertEqual(history.lookup("carol", max: 10).count, 0)
    }

    func testBeforeTheRingFillsNewestComesFirst() {
        let net = TestNet()
        let a = net.user("alice").client!
        var history = WhowasHistory(capacity: 5)
        history.record(a, serverName: "s", atMillis: 1)
        history.record(a, serverName: "s", atMillis: 2)
        XCTAssertEqual(history.lookup("alice", max: 10).map(\.atMillis), [2, 1])
    }
}
