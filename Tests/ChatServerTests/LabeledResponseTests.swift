@testable import ChatServer
import XCTest

final class LabeledResponseTests: XCTestCase {
    let caps = ["message-tags", "batch", "labeled-response"]

    func testOneLineIsTagged() {
        let net = TestNet()
        let alice = net.user("alice", caps: caps)
        alice.send("@label=a1 PING tok")
        XCTAssertEqual(alice.lines(), ["@label=a1 :test.server PONG test.server :tok"])
        // Errors from the dispatcher itself are labelled too.
        alice.send("@label=a2 NOSUCHCOMMAND")
        XCTAssertEqual(alice.lines(), ["@label=a2 :test.server 421 alice NOSUCHCOMMAND :Unknown command"])
        alice.send("@label=a3 KICK")
        XCTAssertEqual(alice.lines(), ["@label=a3 :test.server 461 alice KICK :Not enough parameters"])
        // A command word that does not parse (an underscore) is answered with the label as well.
        alice.send("@label=a4 NO_SUCH_COMMAND x")
        XCTAssertEqual(alice.lines(), ["@label=a4 :test.server 421 alice NO_SUCH_COMMAND :Unknown command"])
    }

    func testALabelNeedsOnlyLabeledResponseAndBatch() {
        let net = TestNet()
        let alice = net.user("alice", caps: ["batch", "labeled-response"])
        alice.send("@label=deadbeef NONEXISTENT_COMMAND")
        XCTAssertEqual(alice.lines(), ["@label=deadbeef :test.server 421 alice NONEXISTENT_COMMAND :Unknown command"])
    }

    func testAMessageToOneselfIsDeliveredAndTheEchoAloneIsLabelled() throws {
        let net = TestNet()
        let alice = net.user("alice", caps: caps + ["echo-message"])
        for command in ["PRIVMSG", "NOTICE"] {
            alice.send("@label=s1 \(command) alice :hi")
            let lines = alice.lines()
            XCTAssertEqual(lines.count, 2, "the delivery and the echo: \(lines)")
            let parsed = try lines.map { try IRCMessage(parsing: $0) }
            XCTAssertEqual(parsed.map(\.command), [command, command])
            XCTAssertEqual(parsed.compactMap { $0.tag("label") }, ["s1"], "only the echo is the command's answer")
        }
        alice.send("@label=s2;+typing=active TAGMSG alice")
        XCTAssertEqual(alice.lines().count, 2)
        // Without echo-message the delivery is all there is, and the command is acknowledged.
        let bob = net.user("bob", caps: caps)
        bob.send("@label=s3 PRIVMSG bob :to myself")
        XCTAssertEqual(bob.lines().map { $0.replacingOccurrences(of: #"^@msgid=[^ ]+ "#, with: "", options: .regularExpression) },
                       [":bob!~bob@127.0.0.1 PRIVMSG bob :to myself", "@label=s3 :test.server ACK"])
    }

    func testAMessageWithAMalformedTagKeyIsDeliveredWithoutThatTagAndAnswered() throws {
        let net = TestNet()
        let alice = net.user("alice", caps: caps)
        let bob = net.user("bob", caps: ["message-tags"])
        alice.send("@label=q1;+a_b=1;+ok=yes PRIVMSG bob :hi")
        XCTAssertEqual(alice.lines(), ["@label=q1 :test.server ACK"], "answered, not dropped")
        let got = try XCTUnwrap(bob.lines().first.map { try IRCMessage(parsing: $0) })
        XCTAssertEqual(got.params, ["bob", "hi"])
        XCTAssertEqual(got.tag("+ok"), "yes")
        XCTAssertNil(got.tag("+a_b"), "the malformed tag is not relayed")
        alice.send("@label=q2;=x PING :y")
        XCTAssertEqual(alice.lines(), ["@label=q2 :test.server PONG test.server :y"])
    }

    func testNoResponseIsAcked() {
        let net = TestNet()
        let alice = net.user("alice", caps: caps)
        alice.send("@label=x PONG :whatever")
        XCTAssertEqual(alice.lines(), ["@label=x :test.server ACK"])
        alice.send("@label=y MONITOR - nobody")
        XCTAssertEqual(alice.lines(), ["@label=y :test.server ACK"])
    }

    func testSeveralLinesAreBatched() throws {
        let net = TestNet()
        let alice = net.user("alice", caps: caps)
        alice.send("@label=j JOIN #c")
        let lines = alice.lines()
        XCTAssertEqual(lines.count, 5, "\(lines)")
        let open = try IRCMessage(parsing: lines[0])
        XCTAssertEqual(open.tag("label"), "j")
        XCTAssertEqual(open.command, "BATCH")
        XCTAssertEqual(open.params.last, "labeled-response")
        let ref = String(open.params[0].dropFirst())
        XCTAssertTrue(open.params[0].hasPrefix("+"))
        for line in lines[1..<4] {
            let m = try IRCMessage(parsing: line)
            XCTAssertEqual(m.tag("batch"), ref)
            XCTAssertNil(m.tag("label"))
        }
        XCTAssertEqual(try IRCMessage(parsing: lines[1]).command, "JOIN")
        XCTAssertEqual(lines[4], ":test.server BATCH -\(ref)")
        // A second batch gets a different reference.
        alice.send("@label=k NAMES #c")
        XCTAssertEqual(alice.lines().count, 4)  // BATCH +, 353, 366, BATCH -
        alice.send("@label=l WHOIS alice")
        let again = try IRCMessage(parsing: alice.lines()[0])
        XCTAssertNotEqual(again.params[0], "+" + ref)
    }

    func testExistingTagsKeptAndEchoLabelledOnlyForSender() {
        let net = TestNet()
        let alice = net.user("alice", caps: caps + ["server-time", "echo-message"])
        let bob = net.user("bob", caps: caps)
        alice.send("@label=m;+draft/x=1 PRIVMSG bob :hi")
        let echo = alice.lines()
        XCTAssertEqual(echo.count, 1)
        XCTAssertTrue(echo[0].hasPrefix("@label=m;time="), echo[0])
        XCTAssertTrue(echo[0].hasSuffix(" :alice!~alice@127.0.0.1 PRIVMSG bob :hi"))
        let got = bob.lines()
        XCTAssertEqual(got.count, 1)
        XCTAssertFalse(got[0].contains("label"), got[0])
        // Values are escaped again on the way out.
        alice.send("@label=a\\sb PING t")
        XCTAssertTrue(alice.lines().first?.hasPrefix("@label=a\\sb;time=") ?? false)
    }

    func testLabelIgnoredWithoutCapsOrWhenTooLong() {
        let net = TestNet()
        let noLabelCap = net.user("a", caps: ["message-tags", "batch"])
        noLabelCap.send("@label=q PING t")
        XCTAssertEqual(noLabelCap.lines(), [":test.server PONG test.server :t"])
        let noBatch = net.user("b", caps: ["message-tags", "labeled-response"])
        noBatch.send("@label=q PING t")
        XCTAssertEqual(noBatch.lines(), [":test.server PONG test.server :t"])
        let alice = net.user("alice", caps: caps)
        alice.send("@label=\(String(repeating: "z", count: 65)) PING t")
        XCTAssertEqual(alice.lines(), [":test.server PONG test.server :t"])
        alice.send("@label=\(String(repeating: "z", count: 64)) PING t")
        XCTAssertTrue(alice.lines().first?.hasPrefix("@label=zzz") ?? false)
        alice.send("@label= PING t")
        XCTAssertEqual(alice.lines(), [":test.server PONG test.server :t"])
        // Unlabelled lines are untouched.
        alice.send("PING t")
        XCTAssertEqual(alice.lines(), [":test.server PONG test.server :t"])
        XCTAssertNil(alice.client?.labelCapture)
    }

    func testQuitSendsTheLabelledResponseBeforeClosing() {
        let net = TestNet()
        let alice = net.user("alice", caps: caps)
        alice.send("@label=bye QUIT :done")
        XCTAssertEqual(alice.lines(), ["@label=bye ERROR :Closing Link: 127.0.0.1 (Quit: done)"])
        XCTAssertNotNil(alice.closed)
    }

    func testOtherClientsOutputIsNotCaptured() {
        let net = TestNet()
        let alice = net.user("alice", caps: caps), bob = net.user("bob", caps: caps)
        alice.send("JOIN #c"); bob.send("JOIN #c")
        _ = alice.lines(); _ = bob.lines()
        alice.send("@label=t TOPIC #c :new")
        // A TOPIC carries a msgid (it is a history row for event-playback).
        let own = alice.lines(), other = bob.lines()
        XCTAssertEqual(own.count, 1)
        XCTAssertTrue(own.first?.hasPrefix("@label=t;msgid=") ?? false, "\(own)")
        XCTAssertTrue(own.first?.hasSuffix(" :alice!~alice@127.0.0.1 TOPIC #c :new") ?? false, "\(own)")
        XCTAssertEqual(other.count, 1)
        XCTAssertTrue(other.first?.hasPrefix("@msgid=") ?? false, "bob's copy is not labelled: \(other)")
        XCTAssertTrue(other.first?.hasSuffix(" :alice!~alice@127.0.0.1 TOPIC #c :new") ?? false, "\(other)")
    }

    func testAnswersFromWorkersJoinTheLabelledResponse() throws {
        let net = TestNet.withStorage()
        let alice = net.user("alice", caps: caps)
        let bob = net.user("bob", caps: caps)
        alice.send("JOIN #c"); bob.send("JOIN #c")
        _ = alice.lines(); _ = bob.lines()
        net.workers.deferred = true
        alice.send("@label=r REGISTER * * :long-password-1")
        XCTAssertEqual(alice.lines(), [], "the response waits for the worker")
        alice.send("PING :after")
        XCTAssertTrue(alice.transport.paused, "and so do alice's later lines")
        XCTAssertEqual(alice.lines(), [])
        bob.send("PRIVMSG #c :meanwhile")
        XCTAssertEqual(alice.lines().count, 1, "other traffic flows, outside the response")
        net.workers.runPending()
        let later = alice.lines()
        XCTAssertEqual(later.count, 4, "\(later)")
        let open = try IRCMessage(parsing: later[0])
        XCTAssertEqual(open.tag("label"), "r")
        XCTAssertEqual(open.params.last, "labeled-response")
        XCTAssertTrue(later[1].contains(" REGISTER SUCCESS alice "), later[1])
        XCTAssertTrue(later[2].contains(" 900 alice "), later[2])
        XCTAssertFalse(alice.transport.paused)
    }

    func testAHistoryReadIsOneLabelledBatchAndAJoinsReplayFollowsItsResponse() throws {
        let net = TestNet.withStorage()
        let historyCaps = caps + ["server-time", "draft/chathistory"]
        let alice = net.user("alice", caps: historyCaps)
        alice.send("JOIN #h")
        for i in 1...2 { alice.send("PRIVMSG #h :m\(i)") }
        _ = alice.lines()
        net.workers.deferred = true
        alice.send("@label=h CHATHISTORY LATEST #h * 10")
        alice.send("PING :after")
        XCTAssertEqual(alice.lines(), [])
        net.workers.runPending()
        let lines = alice.lines()
        XCTAssertEqual(lines.count, 4, "BATCH +, two messages, BATCH -: \(lines)")
        let open = try IRCMessage(parsing: lines[0])
        XCTAssertEqual(open.tag("label"), "h", "the label on the chathistory batch itself")
        XCTAssertEqual(open.params.dropFirst().first, "chathistory")
        XCTAssertEqual(try lines.map { try IRCMessage(parsing: $0) }.filter { $0.tag("label") != nil }.count, 1)
        // The PING sent behind it was held; the test transport drops held
        // input, so the real order (batch, then PONG) is in the loopback test.

        // A labelled JOIN is answered at once; its replay (from a worker)
        // follows, unlabelled: the client is a member already, and live
        // traffic must not overtake its own JOIN.
        let bob = net.user("bob", caps: historyCaps)
        bob.send("@label=j JOIN #h")
        let response = try bob.lines().map { try IRCMessage(parsing: $0) }
        XCTAssertEqual(response.first?.tag("label"), "j", "\(response)")
        XCTAssertTrue(response.contains { $0.command == "JOIN" })
        XCTAssertFalse(response.contains { $0.command == "PRIVMSG" }, "no replay yet")
        alice.send("PRIVMSG #h :live")
        XCTAssertEqual(try bob.lines().map { try IRCMessage(parsing: $0) }.map { $0.params.last }, ["live"])
        net.workers.runPending()
        let replay = try bob.lines().map { try IRCMessage(parsing: $0) }
        XCTAssertEqual(replay.filter { $0.command == "PRIVMSG" }.map { $0.params[1] }, ["m1", "m2"])
        XCTAssertTrue(replay.allSatisfy { $0.tag("label") == nil })
    }
}
