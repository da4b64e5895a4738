@testable import ChatServer
import XCTest

/// draft/event-playback: TOPIC and kept TAGMSGs in history, client-only
/// tags replayed, and readers without the capability seeing messages only.
final class EventPlaybackTests: XCTestCase {
    typealias S = ModernIRCTestSupport
    override class func setUp() { PasswordHasher.cost = 1 }
    static let playbackCaps = S.historyCaps + ["draft/event-playback", "echo-message"]

    func testTheCapabilityIsOfferedWithStorageOnly() {
        let stored = TestNet.withStorage().connect()
        stored.send("CAP LS 302")
        XCTAssertTrue(stored.lines().joined().contains("draft/event-playback"))
        let bare = TestNet().connect()
        bare.send("CAP LS 302")
        XCTAssertFalse(bare.lines().joined().contains("draft/event-playback"))
    }

    func testTopicAndKeptTagmsgsComeBackWithTheirMsgidsAndTags() throws {
        let net = TestNet.withStorage()
        let alice = net.user("alice", caps: Self.playbackCaps)
        alice.send("JOIN #c")
        _ = alice.lines()
        alice.send("TOPIC #c :first topic")
        let topicEcho = try XCTUnwrap(S.parsed(alice.lines()).first { $0.command == "TOPIC" })
        let topicMsgid = try XCTUnwrap(topicEcho.tag("msgid"), "a live TOPIC carries its msgid")
        alice.send("@+draft/reply=\(topicMsgid) PRIVMSG #c :about that topic")
        alice.send("@+typing=active TAGMSG #c")
        alice.send("@+draft/react=👍;+draft/reply=\(topicMsgid) TAGMSG #c")
        let live = S.parsed(alice.lines())
        let reactMsgid = try XCTUnwrap(live.last { $0.command == "TAGMSG" }?.tag("msgid"))
        net.server.history!.flush()  // the first four on disk...
        alice.send("TOPIC #c :second topic")  // ...and one not yet
        _ = alice.lines()

        alice.send("CHATHISTORY LATEST #c * 10")
        let replay = S.parsed(alice.lines()).filter { $0.command != "BATCH" }
        XCTAssertEqual(replay.map(\.command), ["TOPIC", "PRIVMSG", "TAGMSG", "TOPIC"], "no typing notice")
        XCTAssertEqual(replay[0].params, ["#c", "first topic"])
        XCTAssertEqual(replay[0].tag("msgid"), topicMsgid, "the same msgid as the live line")
        XCTAssertEqual(replay[0].tag("time"), topicEcho.tag("time"), "and the same time")
        XCTAssertEqual(replay[1].tag("+draft/reply"), topicMsgid, "client-only tags are kept with a message")
        XCTAssertEqual(replay[2].params, ["#c"])
        XCTAssertEqual(replay[2].tag("+draft/react"), "👍")
        XCTAssertEqual(replay[2].tag("msgid"), reactMsgid)
        XCTAssertEqual(replay[3].params, ["#c", "second topic"])

        // A reply to the TOPIC can name it.
        alice.send("CHATHISTORY AFTER #c msgid=\(topicMsgid) 1")
        XCTAssertEqual(S.parsed(alice.lines()).filter { $0.command != "BATCH" }.map(\.command), ["PRIVMSG"])
    }

    func testWithoutTheCapabilityTheLimitCountsMessagesOnly() {
        let net = TestNet.withStorage()
        let alice = net.user("alice", caps: Self.playbackCaps)
        let bob = net.user("bob", caps: S.historyCaps + ["echo-message"])
        alice.send("JOIN #c"); bob.send("JOIN #c")
        for i in 1...3 {
            alice.send("PRIVMSG #c :message \(i)")
            alice.send("TOPIC #c :topic \(i)")
            alice.send("@+draft/react=\(i) TAGMSG #c")
        }
        _ = alice.lines(); _ = bob.lines()
        for flushed in [false, true] {
            if flushed { net.server.history!.flush() }
            bob.send("CHATHISTORY LATEST #c * 2")
            let lines = bob.lines()
            XCTAssertEqual(S.texts(lines), ["message 2", "message 3"], "written: \(flushed) \(lines)")
            XCTAssertFalse(lines.contains { $0.contains(" TOPIC ") || $0.contains(" TAGMSG ") }, "\(lines)")
            alice.send("CHATHISTORY LATEST #c * 2")
            XCTAssertEqual(S.parsed(alice.lines()).filter { $0.command != "BATCH" }.map(\.command), ["TOPIC", "TAGMSG"])
        }
    }

    func testReplayOnJoinFollowsTheJoinersCapabilities() {
        let net = TestNet.withStorage { $0.history.replayOnJoin = 5 }
        let alice = net.user("alice", caps: Self.playbackCaps)
        alice.send("JOIN #c")
        alice.send("TOPIC #c :the topic")
        alice.send("PRIVMSG #c :hello")
        net.server.history!.flush()
        let plain = net.user("bob", caps: ["batch", "server-time", "message-tags"])
        plain.send("JOIN #c")
        let plainReplay = plain.lines().filter { $0.contains("chathistory") == false && $0.contains("@batch=") }
        XCTAssertEqual(plainReplay.count, 1, "the message only: \(plainReplay)")
        let player = net.user("carol", caps: ["batch", "server-time", "message-tags", "draft/event-playback"])
        player.send("JOIN #c")
        let replay = S.parsed(player.lines()).filter { $0.tag("batch") != nil }.map(\.command)
        XCTAssertEqual(replay, ["TOPIC", "PRIVMSG"])
    }

    func testAKeptTagmsgInAPrivateConversation() throws {
        let net = TestNet.withStorage()
        let alice = S.account(net, "alice", caps: Self.playbackCaps + ["draft/event-playback"])
        let bob = S.account(net, "bob", caps: S.historyCaps)
        alice.send("PRIVMSG bob :hi")
        alice.send("@+draft/react=🎉 TAGMSG bob")
        alice.send("@+typing=active TAGMSG bob")
        _ = alice.lines(); _ = bob.lines()
        alice.send("CHATHISTORY LATEST bob * 10")
        let replay = S.parsed(alice.lines()).filter { $0.command != "BATCH" }
        XCTAssertEqual(replay.map(\.command), ["PRIVMSG", "TAGMSG"])
        XCTAssertEqual(replay.last?.tag("+draft/react"), "🎉")
        bob.send("CHATHISTORY LATEST alice * 10")
        XCTAssertEqual(S.parsed(bob.lines()).filter { $0.command != "BATCH" }.map(\.command), ["PRIVMSG"],
                       "bob did not ask for event-playback")
    }

    func testWhatIsKept() {
        XCTAssertTrue(EventPlayback.keepsTagmsg([IRCTag("msgid", "x"), IRCTag("+draft/react", "a")]))
        XCTAssertTrue(EventPlayback.keepsTagmsg([IRCTag("+draft/persist", nil)]))
        XCTAssertFalse(EventPlayback.keepsTagmsg([IRCTag("msgid", "x"), IRCTag("+typing", "active")]))
        XCTAssertNil(EventPlayback.storedTags([IRCTag("msgid", "x"), IRCTag("bot", nil)]))
        XCTAssertEqual(EventPlayback.storedTags([IRCTag("msgid", "x"), IRCTag("+a", "b c;d"), IRCTag("+e", nil)]), "+a=b\\sc\\:d;+e")
    }
}
