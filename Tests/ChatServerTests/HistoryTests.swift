@testable import ChatServer
import XCTest

final class HistoryTests: XCTestCase {
    /// A channel with `count` messages from alice, each a second apart.
    func chatter(_ net: TestNet, count: Int) -> TestUser {
        let alice = net.user("alice")
        alice.send("JOIN #h")
        for i in 1...count {
            net.clock.advance(seconds: 1)
            alice.send("PRIVMSG #h :message \(i)")
        }
        _ = alice.lines()
        return alice
    }

    func texts(_ lines: [String]) -> [String] {
        lines.compactMap { try? IRCMessage(parsing: $0) }.filter { $0.command == "PRIVMSG" }.map { $0.params[1] }
    }

    func testReplayOnJoinAsABatchOrAsMarkedPlainLines() {
        let net = TestNet.withStorage { $0.history.replayOnJoin = 3 }
        _ = chatter(net, count: 5)
        net.server.history!.flush()
        let modern = net.user("modern", caps: ["batch", "server-time", "message-tags"])
        modern.send("JOIN #h")
        let lines = modern.lines()
        let batchStart = lines.firstIndex { $0.contains(" BATCH +") }!
        XCTAssertTrue(lines[batchStart].hasSuffix(" chathistory #h"))
        XCTAssertEqual(texts(lines), ["message 3", "message 4", "message 5"])
        let replayed = try! IRCMessage(parsing: lines[batchStart + 1])
        XCTAssertNotNil(replayed.tag("batch"))
        XCTAssertEqual(replayed.tag("time"), ServerTime.format(millis: net.clock.wallMillis - 2000), "message 3 keeps its own time")
        XCTAssertNotNil(replayed.tag("msgid"))
        XCTAssertTrue(lines.last!.contains(" BATCH -"))

        let plain = net.user("plain")
        plain.send("JOIN #h")
        let plainTexts = texts(plain.lines())
        XCTAssertEqual(plainTexts.count, 3)
        XCTAssertTrue(plainTexts[0].hasPrefix("["), "marked with its time: \(plainTexts[0])")
        XCTAssertTrue(plainTexts[0].hasSuffix("] message 3"))
    }

    func testAServerTimeClientWithoutBatchGetsTheReplayWithTimeTagsAndTheTextIntact() throws {
        let net = TestNet.withStorage { $0.history.replayOnJoin = 3 }
        _ = chatter(net, count: 3)
        let timed = net.user("timed", caps: ["server-time"])
        timed.send("JOIN #h")
        let replayed = try timed.lines().map { try IRCMessage(parsing: $0) }.filter { $0.command == "PRIVMSG" }
        XCTAssertEqual(replayed.map { $0.params[1] }, ["message 1", "message 2", "message 3"], "no time in the text")
        XCTAssertEqual(replayed[0].tag("time"), ServerTime.format(millis: net.clock.wallMillis - 2000), "its own time, in the tag")
        XCTAssertNil(replayed[0].tag("batch"))
    }

    func testAnActionIsKeptAndReplayedAsOneOtherCTCPIsNotKept() throws {
        let net = TestNet.withStorage { $0.history.replayOnJoin = 10 }
        let alice = net.user("alice")
        alice.send("JOIN #h")
        alice.send("PRIVMSG #h :\u{1}ACTION waves\u{1}")
        alice.send("PRIVMSG #h :\u{1}VERSION\u{1}")
        alice.send("NOTICE #h :\u{1}PING 123\u{1}")
        alice.send("PRIVMSG #h :\u{1}ACTIONS are not actions\u{1}")
        alice.send("PRIVMSG #h :plain")
        let plain = net.user("plain")
        plain.send("JOIN #h")
        let replayed = texts(plain.lines())
        XCTAssertEqual(replayed.count, 2, "the action and the plain line only: \(replayed)")
        XCTAssertTrue(replayed[0].hasPrefix("\u{1}ACTION ["), "the time goes inside the action: \(replayed[0].debugDescription)")
        XCTAssertTrue(replayed[0].hasSuffix("] waves\u{1}"), replayed[0].debugDescription)
        XCTAssertTrue(replayed[1].hasPrefix("[") && replayed[1].hasSuffix("] plain"), replayed[1])
        XCTAssertEqual(CTCPText.stamped("\u{1}ACTION\u{1}", stamp: "t"), "\u{1}ACTION [t]\u{1}", "an empty action gets its time too")
        XCTAssertEqual(CTCPText.stamped("\u{1}action waves\u{1}", stamp: "t"), "\u{1}action [t] waves\u{1}", "spelled as sent")
        XCTAssertEqual(CTCPText.stamped("\u{1}ACTION waves", stamp: "t"), "\u{1}ACTION [t] waves", "no closing \\x01")
        XCTAssertTrue(CTCPText.isKeptInHistory("\u{1}ACTION"))
        XCTAssertTrue(CTCPText.isKeptInHistory("\u{1}action waves\u{1}"), "some scripts send it in lower case")
        XCTAssertTrue(CTCPText.isKeptInHistory(""))
        XCTAssertFalse(CTCPText.isKeptInHistory("\u{1}CLIENTINFO\u{1}"))

        // Private messages follow the same rule (an account holder keeps them).
        let bob = net.user("bob")
        bob.client!.account = "bob"
        alice.send("PRIVMSG bob :\u{1}VERSION\u{1}")
        alice.send("PRIVMSG bob :\u{1}ACTION nods\u{1}")
        net.server.history!.flush()
        let kept = try net.storage!.messages(HistoryQuery(channel: PrivateHistory.key("!alice", "bob"), limit: 10, newestFirst: false))
        XCTAssertEqual(kept.map(\.text), ["\u{1}ACTION nods\u{1}"])
    }

    func testACTCPRequestStoredByAnEarlierVersionIsNotSentBack() throws {
        let net = TestNet.withStorage()
        let alice = net.user("alice", caps: ["batch", "server-time", "draft/chathistory"])
        alice.send("JOIN #h")
        alice.send("PRIVMSG #h :before")
        net.server.history!.flush()
        let old = StoredMessage(seq: net.server.history!.nextSeq + 100, channel: "#h", target: "#h", timeMillis: net.clock.wallMillis,
                                msgid: "old-version", source: "bob!~bob@127.0.0.1", account: nil, command: "PRIVMSG",
                                text: "\u{1}VERSION\u{1}")
        _ = try net.storage!.insertMessages([old])
        _ = alice.lines()
        alice.send("CHATHISTORY LATEST #h * 10")
        XCTAssertEqual(texts(alice.lines()), ["before"])
    }

    func testUnwrittenMessagesAreInHistoryToo() {
        let net = TestNet.withStorage()
        net.writer.deferred = true
        _ = chatter(net, count: 4)
        net.server.history!.flush()
        XCTAssertEqual(net.writer.pendingCount, 1, "a batch on its way to disk")
        let bob = net.user("bob", caps: ["batch", "server-time"])
        bob.send("JOIN #h")
        XCTAssertEqual(texts(bob.lines()), ["message 1", "message 2", "message 3", "message 4"])
        net.writer.runPending()
        XCTAssertEqual(try net.storage!.messages(HistoryQuery(channel: "#h", limit: 100, newestFirst: true)).count, 4)
    }

    func testReplayHoldsOnlyWhatCameBeforeTheJoin() {
        let net = TestNet.withStorage()
        let alice = chatter(net, count: 2)
        net.workers.deferred = true  // the read is in flight while more is said
        let bob = net.user("bob", caps: ["batch", "server-time"])
        bob.send("JOIN #h")
        alice.send("PRIVMSG #h :after the join")
        net.workers.runPending()
        let lines = bob.lines()
        XCTAssertEqual(texts(lines), ["after the join", "message 1", "message 2"], "live line once, replay without it")
    }

    func testAReadMissesNothingTheWriterFinishesWhileItIsInFlight() {
        let net = TestNet.withStorage()
        _ = chatter(net, count: 2)
        net.workers.deferred = true
        net.writer.deferred = true
        net.server.history!.flush()  // the batch is being written
        let bob = net.user("bob", caps: ["batch", "server-time"])
        bob.send("JOIN #h")          // the replay read is issued
        net.workers.runWork()        // its snapshot predates the batch's commit
        net.writer.runPending()      // the batch commits and is reported first
        net.workers.runCompletions() // then the read's answer arrives
        XCTAssertEqual(texts(bob.lines()), ["message 1", "message 2"])
    }

    func testChathistoryPagesBackwardAndForward() throws {
        let net = TestNet.withStorage()
        _ = chatter(net, count: 10)
        net.server.history!.flush()
        let bob = net.user("bob", caps: ["batch", "server-time", "message-tags", "draft/chathistory"])
        bob.send("JOIN #h")
        _ = bob.lines()

        bob.send("CHATHISTORY LATEST #h * 3")
        let latest = bob.lines()
        XCTAssertEqual(texts(latest), ["message 8", "message 9", "message 10"])
        let oldestSeen = try IRCMessage(parsing: latest.first { $0.contains("message 8") }!).tag("msgid")!

        bob.send("CHATHISTORY BEFORE #h msgid=\(oldestSeen) 3")
        let page2 = bob.lines()
        XCTAssertEqual(texts(page2), ["message 5", "message 6", "message 7"])
        let m5 = try IRCMessage(parsing: page2.first { $0.contains("message 5") }!).tag("msgid")!

        bob.send("CHATHISTORY AFTER #h msgid=\(m5) 2")
        XCTAssertEqual(texts(bob.lines()), ["message 6", "message 7"])

        // AROUND is centred on the reference, which it includes: (4 - 1) / 2
        // before, the rest from it on; with a limit of 1, the message alone.
        bob.send("CHATHISTORY AROUND #h msgid=\(m5) 4")
        XCTAssertEqual(texts(bob.lines()), ["message 4", "message 5", "message 6", "message 7"])
        bob.send("CHATHISTORY AROUND #h msgid=\(m5) 3")
        XCTAssertEqual(texts(bob.lines()), ["message 4", "message 5", "message 6"])
        bob.send("CHATHISTORY AROUND #h msgid=\(m5) 1")
        XCTAssertEqual(texts(bob.lines()), ["message 5"])
        // A side that runs short is made up from the other: around a time
        // after the newest message, the newest.
        bob.send("CHATHISTORY AROUND #h timestamp=2100-01-01T00:00:00.000Z 2")
        XCTAssertEqual(texts(bob.lines()), ["message 9", "message 10"])
        bob.send("CHATHISTORY AROUND #h timestamp=2000-01-01T00:00:00.000Z 3")
        XCTAssertEqual(texts(bob.lines()), ["message 1", "message 2", "message 3"])

        bob.send("CHATHISTORY BETWEEN #h msgid=\(m5) msgid=\(oldestSeen) 10")
        XCTAssertEqual(texts(bob.lines()), ["message 6", "message 7"])

        // Timestamps: each message is one second after the previous.
        let start = net.clock.wallMillis - 10_000
        let t3 = ServerTime.format(millis: start + 3000)
        bob.send("CHATHISTORY AFTER #h timestamp=\(t3) 2")
        XCTAssertEqual(texts(bob.lines()), ["message 4", "message 5"])
        bob.send("CHATHISTORY BEFORE #h timestamp=\(t3) 5")
        XCTAssertEqual(texts(bob.lines()), ["message 1", "message 2"])
    }

    func testChathistoryErrorsAndLimits() {
        let net = TestNet.withStorage { $0.history.maxChathistoryLimit = 2 }
        _ = chatter(net, count: 5)
        let bob = net.user("bob", caps: ["batch"])
        bob.send("CHATHISTORY LATEST #h * 10")
        XCTAssertEqual(bob.plainLines(), [":test.server FAIL CHATHISTORY INVALID_TARGET LATEST #h :You can only read the history of channels you are in"])
        bob.send("JOIN #h")
        _ = bob.lines()
        bob.send("CHATHISTORY LATEST #h * 10")
        XCTAssertEqual(texts(bob.lines()).count, 2, "capped at the advertised limit")
        bob.send("CHATHISTORY BEFORE #h msgid=nonexistent 5")
        XCTAssertTrue(bob.plainLines().first?.contains("INVALID_MSGREFTYPE") ?? false)
        bob.send("CHATHISTORY LATEST #h * zero")
        XCTAssertTrue(bob.plainLines().first?.contains("INVALID_PARAMS") ?? false)
        bob.send("CHATHISTORY SIDEWAYS #h * 1")
        XCTAssertEqual(bob.plainLines(), [":test.server FAIL CHATHISTORY UNKNOWN_COMMAND SIDEWAYS :Unknown command"])
        for (line, context) in [("CHATHISTORY", "*"), ("CHATHISTORY LATEST", "LATEST"), ("CHATHISTORY latest #h *", "LATEST"),
                                ("CHATHISTORY BETWEEN #h * *", "BETWEEN"), ("CHATHISTORY TARGETS * *", "TARGETS")] {
            bob.send(line)
            XCTAssertEqual(bob.plainLines(), [":test.server FAIL CHATHISTORY NEED_MORE_PARAMS \(context) :Missing parameters"], line)
        }
        bob.send("VERSION")
        XCTAssertTrue(bob.plainLines().joined().contains("CHATHISTORY=2"))
    }

    func testTopicsAndHistorySurviveANewServerOnTheSameDatabase() {
        let storage = try! ChatStorage()
        let first = TestNet(storage: storage)
        let alice = first.user("alice")
        alice.send("JOIN #keep")
        alice.send("TOPIC #keep :We remember")
        alice.send("PRIVMSG #keep :remember me")
        first.server.history!.flush()

        let second = TestNet(storage: storage)
        let bob = second.user("bob")
        bob.send("JOIN #keep")
        let lines = bob.plainLines()
        XCTAssertTrue(lines.contains(":test.server 332 bob #keep :We remember"))
        XCTAssertTrue(texts(lines).first?.hasSuffix("] remember me") ?? false)
        bob.send("PRIVMSG #keep :next")
        let seqs = second.server.history!.unwritten.map(\.seq)
        XCTAssertEqual(seqs, [3], "sequence numbers continue after a restart (the TOPIC was 1, the message 2)")
    }

    func testTimestampsFormat() {
        XCTAssertEqual(ServerTime.format(millis: 1_795_270_388_530), "2026-11-21T14:13:08.530Z")
        XCTAssertEqual(ServerTime.format(millis: 0), "1970-01-01T00:00:00.000Z")
        XCTAssertEqual(ServerTime.format(millis: 951_782_400_007), "2000-02-29T00:00:00.007Z")
        for millis: Int64 in [1, 999, 86_399_999, 1_700_000_000_123, 4_102_444_800_000] {
            XCTAssertEqual(ServerTime.parse(ServerTime.format(millis: millis)), millis)
        }
    }

    func testTimestampsParse() {
        XCTAssertEqual(ServerTime.parse("2026-11-21T14:13:08.530Z"), 1_795_270_388_530)
        XCTAssertEqual(ServerTime.parse("1970-01-01T00:00:00Z"), 0)
        XCTAssertNil(ServerTime.parse("yesterday"))
        XCTAssertNil(ServerTime.parse("2026-13-01T00:00:00Z"))
    }
}
