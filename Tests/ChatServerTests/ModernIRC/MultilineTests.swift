@testable import ChatServer
import XCTest

/// draft/multiline through the in-memory transport: receiving a batch,
/// delivering it as a batch or as lines, limits, echo and labels, history.
final class MultilineTests: XCTestCase {
    typealias S = ModernIRCTestSupport
    override class func setUp() { PasswordHasher.cost = 1 }
    let multiline = ["batch", "message-tags", "draft/multiline"]

    func send(_ u: TestUser, _ target: String, ref: String = "b1", _ lines: [String]) {
        u.send("BATCH +\(ref) draft/multiline \(target)")
        for line in lines {
            if line.hasPrefix("+") {
                u.send("@batch=\(ref);draft/multiline-concat PRIVMSG \(target) :\(line.dropFirst())")
            } else {
                u.send("@batch=\(ref) PRIVMSG \(target) :\(line)")
            }
        }
        u.send("BATCH -\(ref)")
    }

    func testTheCapabilityIsAdvertisedWithItsLimits() {
        let net = TestNet.withStorage { $0.limits.multilineMaxLines = 7 }
        let u = net.connect()
        u.send("CAP LS 302")
        let ls = u.plainLines().joined()
        XCTAssertTrue(ls.contains("draft/multiline=max-bytes=4096,max-lines=7"), ls)
        XCTAssertTrue(ls.contains("draft/read-marker"), ls)
    }

    func testABatchReachesMultilineClientsAsABatchAndOthersAsLines() throws {
        let net = TestNet.withStorage()
        let alice = net.user("alice", caps: multiline)
        let modern = net.user("modern", caps: multiline + ["server-time"])
        let plain = net.user("plain")
        for u in [alice, modern, plain] { u.send("JOIN #room") }
        for u in [alice, modern, plain] { _ = u.lines() }

        alice.send("BATCH +b1 draft/multiline #room")
        for line in ["@batch=b1 PRIVMSG #room :hello", "@batch=b1 PRIVMSG #room :how is ",
                     "@batch=b1;draft/multiline-concat PRIVMSG #room :everyone?", "@batch=b1 PRIVMSG #room :",
                     "@batch=b1 PRIVMSG #room :bye"] { alice.send(line) }
        modern.assertNothingUnread("before the batch ends")
        alice.send("BATCH -b1")

        let lines = modern.lines()
        XCTAssertEqual(lines.count, 7, "\(lines)")
        let open = try IRCMessage(parsing: lines[0])
        XCTAssertEqual(open.command, "BATCH")
        XCTAssertEqual(open.source, "alice!~alice@127.0.0.1")
        XCTAssertEqual(Array(open.params.dropFirst()), ["draft/multiline", "#room"])
        XCTAssertNotNil(open.tag("msgid"))
        XCTAssertNotNil(open.tag("time"))
        let id = String(open.params[0].dropFirst())
        XCTAssertEqual(Array(lines[1...5]), [
            "@batch=\(id) :alice!~alice@127.0.0.1 PRIVMSG #room :hello",
            "@batch=\(id) :alice!~alice@127.0.0.1 PRIVMSG #room :how is ",
            "@batch=\(id);draft/multiline-concat :alice!~alice@127.0.0.1 PRIVMSG #room :everyone?",
            "@batch=\(id) :alice!~alice@127.0.0.1 PRIVMSG #room :",
            "@batch=\(id) :alice!~alice@127.0.0.1 PRIVMSG #room :bye",
        ])
        XCTAssertEqual(lines[6], ":alice!~alice@127.0.0.1 BATCH -\(id)")
        XCTAssertEqual(plain.lines(), [
            ":alice!~alice@127.0.0.1 PRIVMSG #room :hello",
            ":alice!~alice@127.0.0.1 PRIVMSG #room :how is ",
            ":alice!~alice@127.0.0.1 PRIVMSG #room :everyone?",
            ":alice!~alice@127.0.0.1 PRIVMSG #room :bye",
        ], "separate lines, without the blank one")
        alice.assertNothingUnread("no echo without echo-message")
        XCTAssertEqual(net.server.history!.unwritten.map(\.text), ["hello\nhow is everyone?\n\nbye"], "one message in history")
    }

    /// Plain clients with message-tags get the opening line's client-only
    /// tags on every line (irctest's testBlankLines), the msgid on the first.
    func testPlainLinesEachKeepTheClientOnlyTags() throws {
        let net = TestNet.withStorage()
        let alice = net.user("alice", caps: multiline)
        let tagged = net.user("tagged", caps: ["message-tags"])
        for u in [alice, tagged] { u.send("JOIN #room") }
        for u in [alice, tagged] { _ = u.lines() }
        alice.send("@+client-only-tag BATCH +b draft/multiline #room")
        for line in ["@batch=b PRIVMSG #room :", "@batch=b PRIVMSG #room :one", "@batch=b PRIVMSG #room :two"] { alice.send(line) }
        alice.send("BATCH -b")
        let lines = try tagged.lines().map { try IRCMessage(parsing: $0) }
        XCTAssertEqual(lines.map { $0.params.last }, ["one", "two"])
        XCTAssertEqual(lines.map { $0.tags.contains { $0.key == "+client-only-tag" } }, [true, true])
        XCTAssertNotNil(lines[0].tag("msgid"))
        XCTAssertNil(lines[1].tag("msgid"), "one message, one msgid")
    }

    func testLimitsAndMalformedBatches() {
        let net = TestNet.withStorage {
            $0.limits.floodLinesPerSecond = 0
            $0.limits.multilineMaxLines = 3
            $0.limits.multilineMaxBytes = 600
        }
        let alice = net.user("alice", caps: multiline)
        let bob = net.user("bob", caps: multiline)
        send(alice, "bob", ["1", "2", "3", "4", "5"])
        XCTAssertEqual(alice.plainLines(), [":test.server FAIL BATCH MULTILINE_MAX_LINES 3 :Multiline batch max-lines exceeded"])
        bob.assertNothingUnread("a refused batch is not delivered, not even in part")

        let long = String(repeating: "x", count: 350)
        send(alice, "bob", [long, long])
        XCTAssertEqual(alice.plainLines(), [":test.server FAIL BATCH MULTILINE_MAX_BYTES 600 :Multiline batch max-bytes exceeded"])
        send(alice, "bob", [long, "+" + String(repeating: "y", count: 249)])
        XCTAssertEqual(bob.lines().count, 4, "600 bytes exactly: a concat line adds no line break")
        _ = alice.lines()

        alice.send("BATCH +t draft/multiline bob")
        alice.send("@batch=t PRIVMSG carol :elsewhere")
        alice.send("BATCH -t")
        XCTAssertEqual(alice.plainLines(), [":test.server FAIL BATCH MULTILINE_INVALID_TARGET bob carol :Invalid multiline target"])

        send(alice, "bob", ["", ""])
        XCTAssertEqual(alice.plainLines(), [":test.server FAIL BATCH MULTILINE_INVALID :A multiline message needs some text"])
        alice.send("BATCH -never")
        XCTAssertEqual(alice.plainLines(), [":test.server FAIL BATCH MULTILINE_INVALID :No such batch is open"])
        alice.send("BATCH +x netsplit a b")
        XCTAssertEqual(alice.plainLines(), [":test.server FAIL BATCH UNSUPPORTED_TYPE netsplit :Only draft/multiline batches can be sent"])
        send(alice, "nobody", ["hello"])
        XCTAssertEqual(alice.codes(), ["401"])

        alice.send("BATCH +right draft/multiline bob")
        alice.send("@batch=wrong PRIVMSG bob :lost track")
        alice.send("@batch=right PRIVMSG bob :dropped with its batch")
        alice.send("BATCH -right")
        XCTAssertEqual(alice.plainLines(), [":test.server FAIL BATCH MULTILINE_INVALID :A line names another batch while a multiline batch is open"],
                       "irctest's testInvalidBatchTag: once, and nothing is delivered")
        bob.assertNothingUnread()

        let old = net.user("old", caps: ["batch", "message-tags"])
        send(old, "bob", ["hello"])
        XCTAssertEqual(old.plainLines(), [":test.server FAIL BATCH MULTILINE_INVALID :Negotiate draft/multiline and batch first"])
        bob.assertNothingUnread()
        XCTAssertEqual(net.server.multiline.openCount, 0)
    }

    func testANoticeOrAClosedChannelRefusesTheBatchAndAQuitDropsIt() {
        let net = TestNet.withStorage()
        let alice = net.user("alice", caps: multiline)
        let op = net.user("op", caps: multiline)
        op.send("JOIN #quiet")
        op.send("MODE #quiet +m")
        alice.send("JOIN #quiet")
        _ = op.lines()
        _ = alice.lines()
        alice.send("BATCH +n draft/multiline #quiet")
        alice.send("@batch=n NOTICE #quiet :not allowed")
        alice.send("@batch=n PRIVMSG #quiet :dropped with the rest")
        alice.send("BATCH -n")
        XCTAssertEqual(alice.plainLines(), [":test.server FAIL BATCH MULTILINE_INVALID :Only PRIVMSG lines may be in a multiline batch"])
        send(alice, "#quiet", ["moderated"])
        XCTAssertEqual(alice.codes(), ["404"], "the channel's modes apply as to PRIVMSG")
        op.assertNothingUnread()

        alice.send("BATCH +q draft/multiline #quiet")
        XCTAssertEqual(net.server.multiline.openCount, 1)
        alice.send("QUIT :gone")
        XCTAssertEqual(net.server.multiline.openCount, 0, "a quit drops the open batch")
    }

    func testLinesInsideABatchCostNoFloodTokens() {
        // Registration leaves 6 tokens; 60 lines would need 60.
        let net = TestNet.withStorage { $0.limits.floodBurst = 10 }
        let alice = net.user("alice", caps: multiline)
        let bob = net.user("bob", caps: multiline)
        send(alice, "bob", (1...60).map { "line \($0)" })
        XCTAssertFalse(alice.transport.paused, "not throttled")
        XCTAssertEqual(bob.lines().count, 62)
    }

    func testEchoCarriesTheLabelOnItsOpeningBatch() throws {
        let net = TestNet.withStorage()
        let caps = multiline + ["echo-message", "labeled-response"]
        let alice = net.user("alice", caps: caps)
        let quiet = net.user("quiet", caps: multiline + ["labeled-response"])
        _ = net.user("bob")
        alice.send("@label=L1 BATCH +b draft/multiline bob")
        alice.send("@batch=b PRIVMSG bob :one")
        alice.send("@batch=b PRIVMSG bob :two")
        alice.send("BATCH -b")
        let echo = alice.lines()
        XCTAssertEqual(echo.count, 4, "\(echo)")
        let open = try IRCMessage(parsing: echo[0])
        XCTAssertEqual(open.tag("label"), "L1")
        XCTAssertEqual(open.command, "BATCH")
        XCTAssertFalse(echo.dropFirst().contains { $0.contains("label=") }, "the label only on the opening BATCH")

        quiet.send("@label=L2 BATCH +b draft/multiline bob")
        quiet.send("@batch=b PRIVMSG bob :hi")
        quiet.send("BATCH -b")
        XCTAssertEqual(quiet.lines(), ["@label=L2 :test.server ACK"])
        quiet.send("@label=L3 BATCH +c draft/multiline nobody")
        quiet.send("@batch=c PRIVMSG nobody :hi")
        quiet.send("BATCH -c")
        XCTAssertEqual(quiet.lines(), ["@label=L3 :test.server 401 quiet nobody :No such nick/channel"])

        // To oneself: delivered and echoed, as a single line is; the label on the echo only.
        alice.send("@label=L4 BATCH +s draft/multiline alice")
        alice.send("@batch=s PRIVMSG alice :note")
        alice.send("@batch=s PRIVMSG alice :to self")
        alice.send("BATCH -s")
        let toSelf = try alice.lines().map { try IRCMessage(parsing: $0) }
        XCTAssertEqual(toSelf.filter { $0.command == "BATCH" && $0.params[0].hasPrefix("+") }.count, 2, "\(toSelf)")
        XCTAssertEqual(toSelf.compactMap { $0.tag("label") }, ["L4"])
        let opened = toSelf.filter { $0.command == "BATCH" && $0.params[0].hasPrefix("+") }.map { $0.params[0] }
        XCTAssertEqual(Set(opened).count, 2, "the delivery and the echo are two batches, each with its own id: \(opened)")
    }

    func testHistoryKeepsItAsOneMessageAndReturnsItAsABatch() throws {
        let net = TestNet.withStorage { $0.limits.floodLinesPerSecond = 0 }
        let historyCaps = multiline + ["server-time", "draft/chathistory"]
        let alice = S.account(net, "alice", caps: historyCaps)
        let bob = S.account(net, "bob", caps: historyCaps)
        let old = net.user("old", caps: ["batch", "server-time", "message-tags", "draft/chathistory"])
        for u in [alice, old] { u.send("JOIN #room") }
        let (a, b) = (String(repeating: "a", count: 300), String(repeating: "b", count: 200))
        send(alice, "#room", ["first", a, "+" + b])
        send(alice, "bob", ["private", "lines"])
        net.server.history!.flush()
        for u in [alice, bob, old] { _ = u.lines() }

        alice.send("CHATHISTORY LATEST #room * 10")
        let lines = S.parsed(alice.lines())
        XCTAssertEqual(lines.map(\.command), ["BATCH", "BATCH", "PRIVMSG", "PRIVMSG", "PRIVMSG", "BATCH", "BATCH"])
        let outer = String(lines[0].params[0].dropFirst())
        XCTAssertEqual(lines[1].tag("batch"), outer, "the multiline batch nests in the chathistory batch")
        XCTAssertEqual(Array(lines[1].params.dropFirst()), ["draft/multiline", "#room"])
        XCTAssertNotNil(lines[1].tag("msgid"))
        // Kept as "first\n" + a + b; the 500-byte line comes back cut at 400 bytes.
        XCTAssertEqual(lines[2...4].map { $0.params[1] }, ["first", a + b.prefix(100), String(b.suffix(100))])
        XCTAssertTrue(lines[4].tags.contains { $0.key == "draft/multiline-concat" })

        old.send("CHATHISTORY LATEST #room * 10")
        let plain = S.parsed(old.lines())
        XCTAssertEqual(plain.map(\.command), ["BATCH", "PRIVMSG", "PRIVMSG", "PRIVMSG", "BATCH"])
        XCTAssertEqual(plain[1].params[1], "first")
        XCTAssertNotNil(plain[1].tag("msgid"))
        XCTAssertNil(plain[2].tag("msgid"), "msgid on the first line only")

        bob.send("CHATHISTORY LATEST alice * 10")
        let pm = S.parsed(bob.lines())
        XCTAssertEqual(pm.map(\.command), ["BATCH", "BATCH", "PRIVMSG", "PRIVMSG", "BATCH", "BATCH"])
        XCTAssertEqual(pm[2...3].map { $0.params[1] }, ["private", "lines"])
    }
}
