@testable import ChatServer
import XCTest

/// draft/read-marker (MARKREAD) through the in-memory transport.
final class ReadMarkerTests: XCTestCase {
    typealias S = ModernIRCTestSupport
    override class func setUp() { PasswordHasher.cost = 1 }
    func time(_ millis: Int64) -> String { ServerTime.format(millis: millis) }

    func testAMarkerMovesOnlyForwardAndReachesTheAccountsOtherConnections() {
        let net = TestNet.withStorage()
        let phone = S.account(net, "alice", caps: ["draft/read-marker"])
        let laptop = S.secondLogin(net, "laptop", account: "alice", caps: ["draft/read-marker"])
        let old = S.secondLogin(net, "old", account: "alice")
        let bob = S.account(net, "bob", caps: ["draft/read-marker"])
        let t1 = net.clock.wallMillis - 5000

        phone.send("MARKREAD #room timestamp=\(time(t1))")
        XCTAssertEqual(phone.plainLines(), [":test.server MARKREAD #room timestamp=\(time(t1))"])
        XCTAssertEqual(laptop.plainLines(), [":test.server MARKREAD #room timestamp=\(time(t1))"], "the account's other device")
        old.assertNothingUnread("without the capability")
        bob.assertNothingUnread("another account")

        laptop.send("MARKREAD #Room timestamp=\(time(t1 - 1000))")
        XCTAssertEqual(laptop.plainLines(), [":test.server MARKREAD #Room timestamp=\(time(t1))"], "never backwards: the stored value")
        phone.assertNothingUnread()

        phone.send("MARKREAD #room timestamp=\(time(net.clock.wallMillis + 3_600_000))")
        let now = time(net.clock.wallMillis)
        XCTAssertEqual(phone.plainLines(), [":test.server MARKREAD #room timestamp=\(now)"], "clamped to now")
        XCTAssertEqual(laptop.plainLines(), [":test.server MARKREAD #room timestamp=\(now)"])

        laptop.send("MARKREAD #ROOM")
        XCTAssertEqual(laptop.plainLines(), [":test.server MARKREAD #ROOM timestamp=\(now)"])
        laptop.send("MARKREAD bob")
        XCTAssertEqual(laptop.plainLines(), [":test.server MARKREAD bob *"])
        bob.send("MARKREAD #room")
        XCTAssertEqual(bob.plainLines(), [":test.server MARKREAD #room *"], "markers are per account")
    }

    func testJoinSendsTheChannelsMarkerBeforeTheEndOfNames() {
        let net = TestNet.withStorage()
        let alice = S.account(net, "alice", caps: ["draft/read-marker"])
        let t1 = net.clock.wallMillis - 1000
        alice.send("MARKREAD #room timestamp=\(time(t1))")
        _ = alice.lines()
        alice.send("JOIN #room")
        let commands = S.parsed(alice.lines()).map(\.command)
        XCTAssertEqual(commands, ["JOIN", "MARKREAD", "353", "366"])

        let guest = net.user("guest", caps: ["draft/read-marker"])
        guest.send("JOIN #room")
        XCTAssertTrue(guest.plainLines().contains(":test.server MARKREAD #room *"))
        let plain = net.user("plain")
        plain.send("JOIN #room")
        XCTAssertFalse(plain.plainLines().contains { $0.contains("MARKREAD") })
    }

    func testMarkersSurviveARestartAndTheTableNeverMovesOneBack() throws {
        let storage = try ChatStorage()
        let first = TestNet(storage: storage)
        let alice = S.account(first, "alice", caps: ["draft/read-marker"])
        let t1 = first.clock.wallMillis - 1000
        alice.send("MARKREAD #room timestamp=\(time(t1))")
        try storage.saveReadMarker(account: "alice", target: "#room", timeMillis: t1 - 500)  // a late, older write

        let second = TestNet(storage: storage)
        let again = S.secondLogin(second, "alice2", account: "alice", caps: ["draft/read-marker"])
        again.send("MARKREAD #room")
        XCTAssertEqual(again.plainLines(), [":test.server MARKREAD #room timestamp=\(time(t1))"])
    }

    func testErrors() {
        let net = TestNet.withStorage { $0.limits.floodLinesPerSecond = 0 }  // a thousand markers at once
        let guest = net.user("guest", caps: ["draft/read-marker"])
        guest.send("MARKREAD #room timestamp=\(time(net.clock.wallMillis))")
        XCTAssertEqual(guest.plainLines(), [":test.server FAIL MARKREAD ACCOUNT_REQUIRED #room :Log in to keep read markers"])
        let alice = S.account(net, "alice", caps: ["draft/read-marker"])
        alice.send("MARKREAD")
        XCTAssertEqual(alice.plainLines(), [":test.server FAIL MARKREAD NEED_MORE_PARAMS :Missing parameters"])
        alice.send("MARKREAD #room yesterday")
        XCTAssertEqual(alice.plainLines(), [":test.server FAIL MARKREAD INVALID_PARAMS #room yesterday :Expected timestamp=YYYY-MM-DDThh:mm:ss.sssZ"])
        alice.send("MARKREAD a,b")
        XCTAssertEqual(alice.plainLines(), [":test.server FAIL MARKREAD INVALID_PARAMS a,b :Invalid target"])
        for i in 0..<ReadMarkers.maxPerAccount {
            alice.send("MARKREAD #c\(i) timestamp=\(time(net.clock.wallMillis))")
        }
        _ = alice.lines()
        alice.send("MARKREAD #one-too-many timestamp=\(time(net.clock.wallMillis))")
        XCTAssertTrue(alice.plainLines().first?.hasPrefix(":test.server FAIL MARKREAD INTERNAL_ERROR #one-too-many") ?? false)
    }
}
