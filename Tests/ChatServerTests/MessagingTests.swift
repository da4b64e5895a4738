@testable import ChatServer
import CoreLoop
import XCTest

final class MessagingTests: XCTestCase {
    func testChannelMessageReachesEveryOtherMemberInOrder() {
        let net = TestNet()
        let users = (0..<5).map { net.user("user\($0)") }
        for u in users { u.send("JOIN #c") }
        users.forEach { _ = $0.lines() }
        users[0].send("PRIVMSG #c :one")
        users[0].send("PRIVMSG #c :two")
        XCTAssertEqual(users[0].lines(), [], "no echo without echo-message")
        for u in users.dropFirst() {
            XCTAssertEqual(u.plainLines(), [":user0!~user0@127.0.0.1 PRIVMSG #c :one", ":user0!~user0@127.0.0.1 PRIVMSG #c :two"])
        }
    }

    func testBroadcastSharesOneBufferPerWireForm() {
        let net = TestNet()
        let sender = net.user("sender")
        let plain = (0..<3).map { net.user("plain\($0)") }
        let timed = (0..<3).map { net.user("timed\($0)", caps: ["server-time"]) }
        for u in [sender] + plain + timed { u.send("JOIN #c") }
        for u in plain + timed { _ = u.lines() }
        sender.send("PRIVMSG #c :shared")
        let plainChunks = plain.map { $0.transport.chunks.last! }
        let timedChunks = timed.map { $0.transport.chunks.last! }
        XCTAssertTrue(plainChunks.allSatisfy { $0 === plainChunks[0] }, "one encoding for all plain clients")
        XCTAssertTrue(timedChunks.allSatisfy { $0 === timedChunks[0] }, "one encoding for all server-time clients")
        XCTAssertFalse(plainChunks[0] === timedChunks[0])
        XCTAssertTrue(String(decoding: timedChunks[0].bytes, as: UTF8.self).hasPrefix("@time="))
    }

    func testEchoMessageAndTagsForCapableClients() {
        let net = TestNet()
        let alice = net.user("alice", caps: ["echo-message", "message-tags"])
        let bob = net.user("bob", caps: ["message-tags"])
        let carol = net.user("carol")
        for u in [alice, bob, carol] { u.send("JOIN #c") }
        for u in [alice, bob, carol] { _ = u.lines() }
        alice.send("@+draft/reply=abc;notallowed=x PRIVMSG #c :hi")
        let echoed = alice.lines()
        XCTAssertEqual(echoed.count, 1)
        let toBob = bob.lines()
        XCTAssertEqual(echoed, toBob, "the echo is the same message")
        let message = try! IRCMessage(parsing: toBob[0])
        XCTAssertEqual(message.tag("+draft/reply"), "abc")
        XCTAssertNil(message.tag("notallowed"), "only client-only tags are relayed")
        XCTAssertNotNil(message.tag("msgid"))
        XCTAssertEqual(carol.lines(), [":alice!~alice@127.0.0.1 PRIVMSG #c :hi"])
        alice.send("@+typing=active TAGMSG #c")
        XCTAssertEqual(bob.lines().count, 1)
        XCTAssertEqual(carol.lines(), [], "TAGMSG only reaches message-tags clients")
    }

    func testPrivateMessagesAwayAndErrors() {
        let net = TestNet()
        let alice = net.user("alice"), bob = net.user("bob")
        alice.send("PRIVMSG Bob :psst")
        // The target as its owner spells it, not as typed (ngIRCd and InspIRCd do the same).
        XCTAssertEqual(bob.plainLines(), [":alice!~alice@127.0.0.1 PRIVMSG bob :psst"])
        bob.send("AWAY :lunch")
        XCTAssertEqual(bob.codes(), ["306"])
        alice.send("PRIVMSG bob :there?")
        XCTAssertEqual(alice.plainLines(), [":test.server 301 alice bob :lunch"])
        alice.send("NOTICE bob :fyi")
        XCTAssertEqual(alice.lines(), [], "no away reply to NOTICE")
        _ = bob.lines()
        bob.send("AWAY")
        XCTAssertEqual(bob.codes(), ["305"])

        alice.send("PRIVMSG nobody :x")
        XCTAssertEqual(alice.codes(), ["401"])
        alice.send("PRIVMSG")
        XCTAssertEqual(alice.codes(), ["411"])
        alice.send("PRIVMSG bob")
        XCTAssertEqual(alice.codes(), ["412"])
        alice.send("PRIVMSG a,b,c,d,e :x")
        XCTAssertEqual(alice.codes(), ["407"])
        alice.send("NOTICE nobody :x")
        XCTAssertEqual(alice.lines(), [], "NOTICE never provokes an error")
        alice.send("PRIVMSG #nowhere :x")
        XCTAssertEqual(alice.codes(), ["401"])
        bob.send("JOIN #c")
        alice.send("PRIVMSG #c :from outside")
        XCTAssertEqual(alice.codes(), ["404"], "+n by default")
    }

    /// RFC 2812 §2.3, LINELEN: a full 512-byte line from a long nick would
    /// reach others longer once the server adds the source; the text is cut
    /// (at a character's end) so what they get fits, and the echo matches.
    func testARelayedLineFitsTheLineLengthWithItsSource() throws {
        let net = TestNet()
        let nick = String(repeating: "n", count: 29)
        let sender = net.user(nick, caps: ["echo-message"])
        let reader = net.user("reader")
        let channel = "#" + String(repeating: "c", count: 49)
        sender.send("JOIN \(channel)")
        reader.send("JOIN \(channel)")
        _ = sender.lines(); _ = reader.lines()
        let head = "PRIVMSG \(channel) :"
        let text = String(repeating: "é", count: (510 - head.utf8.count) / 2)  // two bytes each
        XCTAssertLessThanOrEqual((head + text).utf8.count + 2, 512)
        sender.send(head + text)
        let got = try XCTUnwrap(reader.plainLines().first)
        XCTAssertLessThanOrEqual(got.utf8.count + 2, 512, "with CR LF")
        XCTAssertGreaterThan(got.utf8.count + 2, 508, "cut no more than it must")
        let relayed = try IRCMessage(parsing: got).params[1]
        XCTAssertTrue(text.hasPrefix(relayed), "a prefix, whole characters")
        XCTAssertEqual(try IRCMessage(parsing: try XCTUnwrap(sender.plainLines().first)).params[1], relayed, "the echo says what was relayed")
        sender.send("PRIVMSG \(channel) :short")
        XCTAssertTrue(reader.plainLines().first?.hasSuffix(" :short") ?? false)
    }

    func testATagmsgWithoutTagsStillGetsItsErrors() {
        let net = TestNet()
        let alice = net.user("alice", caps: ["message-tags"])
        alice.send("TAGMSG nosuchnick")
        XCTAssertEqual(alice.codes(), ["401"])
        let bob = net.user("bob", caps: ["message-tags"])
        bob.send("JOIN #m")  // bob founds it: alice is a plain member
        alice.send("JOIN #m")
        bob.send("MODE #m +m")
        _ = alice.lines(); _ = bob.lines()
        alice.send("TAGMSG #m")
        XCTAssertEqual(alice.codes(), ["404"], "moderated: refused as a tagged one would be")
        alice.send("TAGMSG bob")
        XCTAssertEqual(bob.lines(), [], "nothing to carry: not relayed")
        alice.send("@+typing=active TAGMSG bob")
        XCTAssertEqual(bob.lines().count, 1)
    }

    func testNickChangeIsSentOnceToEachUserSharingAChannel() {
        let net = TestNet()
        let alice = net.user("alice"), bob = net.user("bob"), loner = net.user("loner")
        for c in ["#a", "#b"] { alice.send("JOIN \(c)"); bob.send("JOIN \(c)") }
        _ = alice.lines(); _ = bob.lines()
        alice.send("NICK Alicia")
        XCTAssertEqual(alice.plainLines(), [":alice!~alice@127.0.0.1 NICK Alicia"])
        XCTAssertEqual(bob.plainLines(), [":alice!~alice@127.0.0.1 NICK Alicia"], "once, though they share two channels")
        XCTAssertEqual(loner.lines(), [])
        XCTAssertNotNil(net.server.client(named: "alicia"))
        XCTAssertNil(net.server.client(named: "alice"))
        bob.send("NICK alicia")
        XCTAssertEqual(bob.codes(), ["433"])
        alice.send("NICK ALICIA")
        XCTAssertEqual(bob.plainLines(), [":Alicia!~alice@127.0.0.1 NICK ALICIA"], "a case change is allowed")
        bob.send("WHOWAS alice")
        XCTAssertEqual(bob.codes(), ["314", "312", "369"])
    }

    func testQuitIsSeenOnceByEachPeerAndTheNickIsFreed() {
        let net = TestNet()
        let alice = net.user("alice"), bob = net.user("bob")
        for c in ["#a", "#b"] { alice.send("JOIN \(c)"); bob.send("JOIN \(c)") }
        _ = bob.lines()
        alice.send("QUIT :gone fishing")
        XCTAssertEqual(bob.plainLines(), [":alice!~alice@127.0.0.1 QUIT :Quit: gone fishing"])
        XCTAssertNil(net.server.channel(named: "#a")?.members[alice.client!.id])
        let again = net.user("alice")
        XCTAssertNotNil(again.client)
        XCTAssertEqual(net.server.client(named: "alice")?.id, again.client?.id)
    }

    func testTransportCloseActsAsQuit() {
        let net = TestNet()
        let alice = net.user("alice"), bob = net.user("bob")
        alice.send("JOIN #a"); bob.send("JOIN #a")
        _ = bob.lines()
        net.server.transportClosed(alice.client!, reason: "Connection reset by peer")
        net.server.transportClosed(alice.client!, reason: "again")
        XCTAssertEqual(bob.plainLines(), [":alice!~alice@127.0.0.1 QUIT :Connection reset by peer"])
    }

    func testWhoAndWhois() {
        let net = TestNet()
        let alice = net.user("alice"), bob = net.user("bob")
        alice.send("JOIN #a"); bob.send("JOIN #a")
        _ = alice.lines()
        alice.send("WHO #a")
        let who = alice.plainLines()
        XCTAssertEqual(who.count, 3)
        XCTAssertTrue(who.contains(":test.server 352 alice #a ~bob 127.0.0.1 test.server bob H :0 bob Real"))
        XCTAssertEqual(who.last, ":test.server 315 alice #a :End of /WHO list")
        bob.send("AWAY :out")
        alice.send("WHOIS bob")
        XCTAssertEqual(alice.codes(), ["311", "319", "312", "301", "317", "318"])
        alice.send("WHOIS ghost")
        XCTAssertEqual(alice.codes(), ["401", "318"])
    }

    func testOperAndKill() {
        let net = TestNet()
        let alice = net.user("alice"), bob = net.user("bob")
        bob.send("JOIN #a"); alice.send("JOIN #a")
        _ = alice.lines(); _ = bob.lines()
        alice.send("KILL bob :bye")
        XCTAssertEqual(alice.codes(), ["481"])
        alice.send("OPER root wrong")
        XCTAssertEqual(alice.codes(), ["464"])
        alice.send("OPER nobody sesame")
        XCTAssertEqual(alice.codes(), ["491"])
        alice.send("OPER root sesame")
        XCTAssertEqual(alice.codes(), ["381", "MODE"])
        alice.send("KILL bob :flooding")
        XCTAssertEqual(bob.plainLines().prefix(1), [":alice!~alice@127.0.0.1 KILL bob :flooding"])
        XCTAssertEqual(bob.closed, "Killed (alice (flooding))")
        XCTAssertEqual(alice.plainLines(), [":bob!~bob@127.0.0.1 QUIT :Killed (alice (flooding))"])
    }

    func testUserModes() {
        let net = TestNet()
        let alice = net.user("alice"), bob = net.user("bob")
        alice.send("MODE alice +i")
        XCTAssertEqual(alice.plainLines(), [":alice!~alice@127.0.0.1 MODE alice +i"])
        alice.send("MODE alice")
        XCTAssertEqual(alice.plainLines(), [":test.server 221 alice :+i"])
        alice.send("MODE alice +o")
        XCTAssertEqual(alice.lines(), [], "+o only through OPER")
        alice.send("MODE bob +i")
        XCTAssertEqual(alice.codes(), ["502"])
        alice.send("MODE alice +z")
        XCTAssertEqual(alice.codes(), ["501"])
        bob.send("LUSERS")
        XCTAssertTrue(bob.plainLines().first?.contains("There are 1 users and 1 invisible") ?? false)
    }
}
