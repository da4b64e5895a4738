@testable import ChatServer
import XCTest

/// Long answers (WHO, WHOX, LIST, TRACE, CHATHISTORY) go out as the asker's send queue
/// drains (`PacedReplies`), with its later input held until the end.
final class PacedReplyTests: XCTestCase {
    /// A send-queue limit whose window (a quarter) is 2,048 bytes.
    static let sendQueueLimit = 8_192
    var window: Int { PacedReplies.window(sendQueueLimit: Self.sendQueueLimit) }

    /// A server with `members` users in #big, and a slow asker (registered,
    /// not in #big) whose queue drains only when the test says so.
    func bigChannel(members: Int, _ configure: (inout ServerConfig) -> Void = { _ in })
        -> (TestNet, SlowTransport, Client, [TestUser]) {
        let net = TestNet { $0.limits.floodLinesPerSecond = 0; $0.limits.maxConnectionsPerIP = 0; configure(&$0) }
        let users = (0..<members).map { i -> TestUser in
            let u = net.user("member\(i)")
            precondition(u.client != nil)
            u.send("JOIN #big")
            return u
        }
        let (slow, client) = slowAsker(net)
        return (net, slow, client, users)
    }

    /// A registered asker whose queue drains only when the test says so.
    func slowAsker(_ net: TestNet) -> (SlowTransport, Client) {
        let slow = SlowTransport()
        slow.reportsDrain = true
        slow.sendQueueLimit = Self.sendQueueLimit
        let client = net.server.accept(slow, host: "127.0.0.1")!
        feed(net, client, "NICK asker\r\nUSER asker 0 * :Asker\r\n")
        slow.drain()
        return (slow, client)
    }

    @discardableResult
    func feed(_ net: TestNet, _ client: Client, _ text: String) -> Int {
        Array(text.utf8).withUnsafeBytes { net.server.receive($0, from: client) }
    }

    /// Drains the slow transport until `done` holds of what it was sent,
    /// checking the queue never grew past the window by more than a line.
    func drain(_ slow: SlowTransport, until done: (String) -> Bool,
               file: StaticString = #filePath, line: UInt = #line) -> Int {
        var rounds = 0
        while !done(String(decoding: slow.sent.suffix(600), as: UTF8.self)) {
            XCTAssertLessThanOrEqual(slow.queuedBytes, window + 600, "round \(rounds)", file: file, line: line)
            XCTAssertEqual(slow.waiting, 1, "waits on the socket, round \(rounds)", file: file, line: line)
            rounds += 1
            guard rounds < 1_000 else { XCTFail("the reply did not finish", file: file, line: line); break }
            slow.drain()
        }
        return rounds
    }

    func testWhoOfABigChannelFollowsTheQueueAndHoldsLaterInput() {
        let (net, slow, client, _) = bigChannel(members: 150)
        let before = slow.sent.count
        let who = "WHO #big\r\n"
        XCTAssertEqual(feed(net, client, who + "PING :after\r\n"), who.utf8.count, "PING waits unread")
        XCTAssertLessThanOrEqual(slow.sent.count - before, window + 600, "one window at first")
        XCTAssertEqual(client.pendingAnswers, 1)
        let rounds = drain(slow) { $0.contains(" 315 asker #big ") }
        XCTAssertGreaterThan(rounds, 3, "sent in parts")
        XCTAssertEqual(client.pendingAnswers, 0, "the command is answered")
        XCTAssertEqual(net.server.pacedReplies.count, 0)
        let lines = slow.sentLines.filter { $0.contains(" 352 asker #big ") }
        XCTAssertEqual(Set(lines.map { $0.split(separator: " ")[7] }).count, 150, "every member once")
        XCTAssertEqual(lines.count, 150)
        XCTAssertNil(slow.closeReason)
        feed(net, client, "PING :after\r\n")
        XCTAssertTrue(slow.sentLines.last?.hasSuffix("PONG test.server :after") ?? false, "\(slow.sentLines.suffix(2))")
    }

    func testAMemberWhoLeavesMeanwhileIsNotListedAndTheRestAre() {
        let (net, slow, client, users) = bigChannel(members: 120)
        feed(net, client, "WHO #big\r\n")
        let listed = Set(slow.sentLines.filter { $0.contains(" 352 ") }.map { String($0.split(separator: " ")[7]) })
        let leaving = (0..<120).map { "member\($0)" }.filter { !listed.contains($0) }
        guard leaving.count > 10 else { return XCTFail("most should still be to come, \(leaving.count) are") }
        users[Int(leaving[0].dropFirst(6))!].send("PART #big")
        users[Int(leaving[1].dropFirst(6))!].send("QUIT :bye")
        _ = drain(slow) { $0.contains(" 315 asker #big ") }
        let all = slow.sentLines.filter { $0.contains(" 352 ") }.map { String($0.split(separator: " ")[7]) }
        XCTAssertEqual(all.count, 118)
        XCTAssertFalse(all.contains(leaving[0]))
        XCTAssertFalse(all.contains(leaving[1]))
    }

    func testALabelledLongWhoStreamsAsOneBatch() throws {
        let (net, slow, client, _) = bigChannel(members: 100)
        feed(net, client, "CAP REQ :labeled-response batch\r\n")
        slow.drain()
        let before = slow.sentLines.count
        feed(net, client, "@label=w1 WHO #big\r\n")
        let first = try XCTUnwrap(slow.sentLines.dropFirst(before).first)
        let open = try IRCMessage(parsing: first)
        XCTAssertEqual(open.tag("label"), "w1")
        XCTAssertEqual(open.command, "BATCH")
        XCTAssertEqual(open.params.last, "labeled-response", "opened before the end is known")
        let id = String(try XCTUnwrap(open.params.first).dropFirst())
        _ = drain(slow) { $0.contains("BATCH -\(id)") }
        let rest = try slow.sentLines.dropFirst(before + 1).map { try IRCMessage(parsing: $0) }
        XCTAssertEqual(rest.last?.command, "BATCH")
        XCTAssertEqual(rest.last?.params, ["-" + id])
        let inside = rest.dropLast()
        XCTAssertEqual(inside.filter { $0.command == "352" }.count, 100)
        XCTAssertEqual(inside.last?.command, "315")
        XCTAssertTrue(inside.allSatisfy { $0.tag("batch") == id && $0.tag("label") == nil }, "every line in the batch")
    }

    func testALongLabelledChathistoryFollowsTheQueueInOrder() throws {
        let net = TestNet.withStorage {
            $0.limits.floodLinesPerSecond = 0
            $0.history.maxChathistoryLimit = 1_000
            $0.history.replayOnJoin = 0
        }
        let alice = net.user("alice")
        alice.send("JOIN #h")
        let filler = String(repeating: "x", count: 300)
        for i in 0..<600 { alice.send("PRIVMSG #h :\(i) \(filler)") }
        net.server.history!.flush()
        let (slow, client) = slowAsker(net)
        feed(net, client, "CAP REQ :batch server-time message-tags labeled-response\r\nJOIN #h\r\n")
        slow.drain()
        let before = slow.sentLines.count
        let ask = "@label=h1 CHATHISTORY LATEST #h * 1000\r\n"
        XCTAssertEqual(feed(net, client, ask + "PING :after\r\n"), ask.utf8.count, "PING waits unread")
        let open = try IRCMessage(parsing: try XCTUnwrap(slow.sentLines.dropFirst(before).first))
        XCTAssertEqual(open.tag("label"), "h1")
        let outer = String(try XCTUnwrap(open.params.first).dropFirst())
        let rounds = drain(slow) { $0.contains("BATCH -\(outer)") }
        XCTAssertGreaterThan(rounds, 20, "about 250 kB through a 2 kB window")
        XCTAssertEqual(client.pendingAnswers, 0)
        let rest = try slow.sentLines.dropFirst(before + 1).map { try IRCMessage(parsing: $0) }
        let texts = rest.filter { $0.command == "PRIVMSG" }.map { String($0.params[1].prefix { $0 != " " }) }
        XCTAssertEqual(texts, (0..<600).map(String.init), "every message once, oldest first")
        let inner = try XCTUnwrap(rest.first { $0.command == "BATCH" && $0.params.count == 3 })
        XCTAssertEqual(inner.params.dropFirst(), ["chathistory", "#h"])
        XCTAssertEqual(inner.tag("batch"), outer, "the history batch inside the labelled one")
        XCTAssertEqual(rest.suffix(2).map { $0.params }, [["-" + inner.params[0].dropFirst()], ["-" + outer]])
        XCTAssertNil(slow.closeReason)
        feed(net, client, "PING :after\r\n")
        XCTAssertTrue(slow.sentLines.last?.hasSuffix("PONG test.server :after") ?? false, "\(slow.sentLines.suffix(2))")
    }

    func testAShortWhoIsAnsweredAtOnceAsBefore() {
        let (net, slow, client, _) = bigChannel(members: 5)
        feed(net, client, "WHO #big\r\nPING :x\r\n")
        XCTAssertEqual(slow.sentLines.suffix(7).filter { $0.contains(" 352 ") }.count, 5)
        XCTAssertTrue(slow.sentLines.last?.hasSuffix("PONG test.server :x") ?? false)
        XCTAssertEqual(slow.waiting, 0)
        XCTAssertEqual(client.pendingAnswers, 0)
    }

    func testAnAskerWhoQuitsLeavesNothingBehind() {
        let (net, slow, client, _) = bigChannel(members: 150)
        feed(net, client, "WHO *\r\n")
        XCTAssertEqual(net.server.pacedReplies.count, 1)
        net.server.quit(client, reason: "gone")
        XCTAssertEqual(net.server.pacedReplies.count, 0)
        let sent = slow.sent.count
        slow.drain()  // the waiter fires for a client that is gone
        XCTAssertEqual(slow.sent.count, sent, "nothing more is sent")
    }

    /// A connection closing mid-answer (its peer left) gets nothing more:
    /// the rest is not built for a socket that cannot take it.
    func testAClosingConnectionGetsNoMoreOfItsAnswer() {
        let (net, slow, client, _) = bigChannel(members: 150)
        feed(net, client, "WHO #big\r\n")
        XCTAssertEqual(net.server.pacedReplies.count, 1)
        slow.isOpen = false
        let sent = slow.sent.count
        slow.drain()
        XCTAssertEqual(slow.sent.count, sent, "nothing more is sent")
        XCTAssertEqual(net.server.pacedReplies.count, 0, "the reply is dropped")
    }

    func testListOfManyChannelsWithLongTopicsFollowsTheQueue() {
        let net = TestNet { $0.limits.floodLinesPerSecond = 0; $0.limits.maxChannelsPerUser = 200 }
        let owner = net.user("owner")
        let topic = String(repeating: "t", count: 300)
        for i in 0..<120 {
            owner.send("JOIN #c\(i)")
            owner.send("TOPIC #c\(i) :\(topic)")
        }
        _ = owner.lines()
        let (slow, client) = slowAsker(net)
        feed(net, client, "LIST\r\n")
        owner.send("PART #c119")  // gone before its line is sent
        let rounds = drain(slow) { $0.contains(" 323 asker ") }
        XCTAssertGreaterThan(rounds, 10)
        let listed = slow.sentLines.filter { $0.contains(" 322 asker ") }
        XCTAssertEqual(listed.count, 119)
        XCTAssertTrue(listed.allSatisfy { $0.hasSuffix(topic) })
        XCTAssertNil(slow.closeReason)
    }

    func testAnOperatorsTraceOfEveryoneFollowsTheQueue() {
        let (net, slow, client, _) = bigChannel(members: 300)
        feed(net, client, "OPER root sesame\r\nTRACE\r\n")
        let rounds = drain(slow) { $0.contains(" 262 asker ") }
        XCTAssertGreaterThan(rounds, 2)
        XCTAssertEqual(slow.sentLines.filter { $0.contains(" 205 asker User users :member") }.count, 300, "\(slow.sentLines.filter { $0.contains(" 20") }.prefix(3))")
    }

    func testWhoxOfEveryoneFollowsTheQueue() {
        let (net, slow, client, _) = bigChannel(members: 200)
        feed(net, client, "WHO * %tnf,42\r\n")
        _ = drain(slow) { $0.contains(" 315 asker * ") }
        XCTAssertEqual(slow.sentLines.filter { $0.contains(" 354 asker 42 member") }.count, 200)
    }

    /// A transport that cannot report draining (no socket under it) gets a
    /// long answer whole rather than never; here a labelled one, whose
    /// collected bytes pass the window (the capture counts them queued).
    func testATransportThatCannotReportDrainingGetsTheRestAtOnce() throws {
        let net = TestNet { $0.limits.floodLinesPerSecond = 0; $0.limits.maxConnectionsPerIP = 0 }
        for i in 0..<1_000 { net.user("member\(i)").send("JOIN #big") }
        let asker = net.user("asker", caps: ["labeled-response", "batch"])
        asker.send("@label=all WHO #big")
        asker.send("PING :after")
        let lines = try asker.lines().map { try IRCMessage(parsing: $0) }
        XCTAssertEqual(lines.first?.tag("label"), "all")
        XCTAssertEqual(lines.filter { $0.command == "352" }.count, 1_000)
        XCTAssertEqual(lines.suffix(3).map(\.command), ["315", "BATCH", "PONG"])
        XCTAssertEqual(asker.client?.pendingAnswers, 0)
    }

    /// Without pacing the asker would be dropped: all 150 lines at once
    /// pass an 8 KiB limit. The window keeps a part under a quarter of it.
    func testTheWindowIsAQuarterOfTheLimitWithinBounds() {
        XCTAssertEqual(PacedReplies.window(sendQueueLimit: 8_192), 2_048)
        XCTAssertEqual(PacedReplies.window(sendQueueLimit: 0), PacedReplies.window)
        XCTAssertEqual(PacedReplies.window(sendQueueLimit: 1 << 30), PacedReplies.window)
        XCTAssertEqual(PacedReplies.window(sendQueueLimit: 4_096), 1_024)
    }
}
