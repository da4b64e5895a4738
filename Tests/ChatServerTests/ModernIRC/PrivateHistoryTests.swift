@testable import ChatServer
import XCTest

/// CHATHISTORY for private conversations and CHATHISTORY TARGETS, through
/// the in-memory transport.
final class PrivateHistoryTests: XCTestCase {
    typealias S = ModernIRCTestSupport
    override class func setUp() { PasswordHasher.cost = 1 }

    func testBothSidesReadTheSameConversationAndNobodyElse() throws {
        let net = TestNet.withStorage()
        let alice = S.account(net, "alice", caps: S.historyCaps)
        let bob = S.account(net, "bob", caps: S.historyCaps)
        alice.send("PRIVMSG bob :hi bob")
        net.clock.advance(seconds: 1)
        bob.send("PRIVMSG alice :hi alice")
        net.clock.advance(seconds: 1)
        alice.send("NOTICE Bob :a notice")
        net.server.history!.flush()  // on disk...
        net.clock.advance(seconds: 1)
        bob.send("PRIVMSG ALICE :not written yet")  // ...and not yet
        _ = alice.lines()
        _ = bob.lines()

        alice.send("CHATHISTORY LATEST bob * 10")
        let lines = alice.lines()
        XCTAssertTrue(lines.first?.hasSuffix(" chathistory bob") ?? false, "\(lines)")
        XCTAssertEqual(S.texts(lines), ["hi bob", "hi alice", "a notice", "not written yet"])
        let first = try XCTUnwrap(S.parsed(lines).first { $0.command == "PRIVMSG" })
        XCTAssertEqual(first.source, "alice!~alice@127.0.0.1")
        XCTAssertEqual(first.params[0], "bob", "the line as it was sent")

        bob.send("CHATHISTORY LATEST Alice * 10")
        XCTAssertEqual(S.texts(bob.lines()), ["hi bob", "hi alice", "a notice", "not written yet"], "the same conversation")

        let carol = S.account(net, "carol", caps: S.historyCaps)
        carol.send("CHATHISTORY LATEST alice * 10")
        XCTAssertEqual(S.texts(carol.lines()), [], "a third account has its own (empty) conversation")
        carol.send("CHATHISTORY LATEST bob * 10")
        XCTAssertEqual(S.texts(carol.lines()), [])

        // Paging by msgid works inside the conversation.
        let m2 = try XCTUnwrap(S.parsed(lines).first { $0.command == "PRIVMSG" && $0.params[1] == "hi alice" }?.tag("msgid"))
        alice.send("CHATHISTORY BEFORE bob msgid=\(m2) 10")
        XCTAssertEqual(S.texts(alice.lines()), ["hi bob"])
        alice.send("CHATHISTORY AFTER bob msgid=\(m2) 1")
        XCTAssertEqual(S.texts(alice.lines()), ["a notice"])
        carol.send("CHATHISTORY AFTER bob msgid=\(m2) 10")
        XCTAssertTrue(carol.plainLines().first?.contains("INVALID_MSGREFTYPE") ?? false, "another conversation's msgid names nothing")
    }

    func testTheAccountHolderKeepsAGuestsMessagesAndGuestsReadNone() {
        let net = TestNet.withStorage()
        let alice = S.account(net, "alice", caps: S.historyCaps)
        let guest = net.user("guest", caps: S.historyCaps)
        let other = net.user("other", caps: S.historyCaps)
        guest.send("PRIVMSG alice :hello")
        alice.send("PRIVMSG guest :hi")
        XCTAssertEqual(net.server.history!.unwrittenCount, 2, "kept for the side with an account")
        guest.send("PRIVMSG other :between guests")
        XCTAssertEqual(net.server.history!.unwrittenCount, 2, "nothing kept between two guests")
        _ = alice.lines(); _ = guest.lines(); _ = other.lines()
        guest.send("CHATHISTORY LATEST alice * 10")
        XCTAssertEqual(guest.plainLines(), [":test.server FAIL CHATHISTORY INVALID_TARGET LATEST alice :Log in to read the history of private messages"])
        alice.send("CHATHISTORY LATEST guest * 10")
        XCTAssertEqual(S.texts(alice.lines()), ["hello", "hi"])
        // An account named like the guest is another conversation.
        let guestAccount = S.account(net, "guest2", caps: S.historyCaps)
        guestAccount.send("PRIVMSG alice :as an account")
        _ = alice.lines()
        alice.send("CHATHISTORY LATEST guest2 * 10")
        XCTAssertEqual(S.texts(alice.lines()), ["as an account"])
        alice.send("CHATHISTORY LATEST guest * 10")
        XCTAssertEqual(S.texts(alice.lines()), ["hello", "hi"])
    }

    func testThePeerIsFoundByItsAccountUnderAnotherNickAndOffline() {
        let net = TestNet.withStorage()
        let alice = S.account(net, "alice", caps: S.historyCaps)
        let bob = S.account(net, "bob", caps: S.historyCaps)
        alice.send("NICK ally")
        bob.send("PRIVMSG ally :under another nick")
        _ = alice.lines()
        _ = bob.lines()
        bob.send("CHATHISTORY LATEST ally * 10")
        XCTAssertEqual(S.texts(bob.lines()), ["under another nick"], "ally is logged in to alice")
        alice.send("QUIT :bye")
        bob.send("CHATHISTORY LATEST alice * 10")
        XCTAssertEqual(S.texts(bob.lines()), ["under another nick"], "offline: the nick is taken as the account")
    }

    func testTargetsListsChannelsAndConversationsWithActivityInTheRange() {
        let net = TestNet.withStorage()
        let alice = S.account(net, "alice", caps: S.historyCaps)
        let bob = S.account(net, "bob", caps: S.historyCaps)
        let carol = S.account(net, "carol", caps: S.historyCaps)
        alice.send("JOIN #room")
        let start = net.clock.wallMillis
        net.clock.advance(seconds: 10)
        alice.send("PRIVMSG #room :in the room")
        net.clock.advance(seconds: 10)
        bob.send("PRIVMSG alice :from bob")
        net.server.history!.flush()
        net.clock.advance(seconds: 10)
        carol.send("PRIVMSG alice :from carol")  // unwritten still
        for u in [alice, bob, carol] { _ = u.lines() }
        func ts(_ millis: Int64) -> String { "timestamp=" + ServerTime.format(millis: millis) }
        let end = net.clock.wallMillis + 1

        alice.send("CHATHISTORY TARGETS \(ts(start)) \(ts(end)) 10")
        let lines = alice.plainLines()
        XCTAssertEqual(lines.count, 5, "\(lines)")
        XCTAssertTrue(lines.first?.hasSuffix(" draft/chathistory-targets") ?? false)
        XCTAssertEqual(Array(lines[1...3]), [
            ":test.server CHATHISTORY TARGETS #room \(ServerTime.format(millis: start + 10_000))",
            ":test.server CHATHISTORY TARGETS bob \(ServerTime.format(millis: start + 20_000))",
            ":test.server CHATHISTORY TARGETS carol \(ServerTime.format(millis: start + 30_000))",
        ])
        alice.send("CHATHISTORY TARGETS \(ts(start + 10_000)) \(ts(end)) 10")
        XCTAssertEqual(alice.plainLines().filter { $0.contains(" TARGETS ") }.map { $0.split(separator: " ")[3] }, ["bob", "carol"],
                       "bounds are exclusive")
        alice.send("CHATHISTORY TARGETS \(ts(start)) \(ts(end)) 1")
        XCTAssertEqual(alice.plainLines().filter { $0.contains(" TARGETS ") }.map { $0.split(separator: " ")[3] }, ["#room"],
                       "forwards: the oldest")
        alice.send("CHATHISTORY TARGETS \(ts(end)) \(ts(start)) 2")
        XCTAssertEqual(alice.plainLines().filter { $0.contains(" TARGETS ") }.map { $0.split(separator: " ")[3] }, ["carol", "bob"],
                       "backwards: the newest, newest first")
        bob.send("CHATHISTORY TARGETS \(ts(start)) \(ts(end)) 10")
        XCTAssertEqual(bob.plainLines().filter { $0.contains(" TARGETS ") }.map { $0.split(separator: " ")[3] }, ["alice"],
                       "bob is not in #room and did not talk to carol")
        bob.send("CHATHISTORY TARGETS yesterday \(ts(end)) 10")
        XCTAssertTrue(bob.plainLines().first?.contains("FAIL CHATHISTORY INVALID_PARAMS TARGETS") ?? false)

        // A target is listed by its newest message: one that has spoken
        // again since the window's end is not in the window.
        net.clock.advance(seconds: 10)
        bob.send("PRIVMSG alice :later")
        _ = alice.lines(); _ = bob.lines()
        alice.send("CHATHISTORY TARGETS \(ts(start)) \(ts(start + 25_000)) 10")
        XCTAssertEqual(alice.plainLines().filter { $0.contains(" TARGETS ") }.map { $0.split(separator: " ")[3] }, ["#room"],
                       "bob's newest message is after the window, carol's too")
        net.server.history!.flush()
        alice.send("CHATHISTORY TARGETS \(ts(start)) \(ts(start + 25_000)) 10")
        XCTAssertEqual(alice.plainLines().filter { $0.contains(" TARGETS ") }.map { $0.split(separator: " ")[3] }, ["#room"],
                       "the same once written")
    }

    func testRetentionCountsEachConversationAsATarget() throws {
        let net = TestNet.withStorage()
        let alice = S.account(net, "alice", caps: S.historyCaps)
        _ = S.account(net, "bob", caps: S.historyCaps)
        for i in 1...5 { alice.send("PRIVMSG bob :message \(i)") }
        net.server.history!.flush()
        XCTAssertEqual(try net.storage!.pruneMessages(keepingNewest: 2, limit: 1000), 3)
        _ = alice.lines()
        alice.send("CHATHISTORY LATEST bob * 10")
        XCTAssertEqual(S.texts(alice.lines()), ["message 4", "message 5"])
    }
}
