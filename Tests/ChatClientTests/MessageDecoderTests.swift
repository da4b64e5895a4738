import ChatClient
import ChatServer
import XCTest

final class MessageDecoderTests: XCTestCase {
    var decoder = MessageDecoder(nick: "alice")

    func decode(_ line: String) -> [ClientEvent] { decoder.decode(try! IRCMessage(parsing: line), nowMillis: 5) }

    func onlyLine(_ events: [ClientEvent], file: StaticString = #filePath, line: UInt = #line) -> ChatLine? {
        let lines = events.compactMap { if case .line(let l) = $0 { return l } else { return nil } }
        XCTAssertEqual(lines.count, 1, file: file, line: line)
        return lines.first
    }

    func testChannelMessageKeepsServerTimeAndMsgid() {
        let l = onlyLine(decode("@time=2026-11-21T14:05:00.250Z;msgid=m1 :bob!b@h PRIVMSG #lobby :hi there"))
        XCTAssertEqual(l?.place, .window("#lobby"))
        XCTAssertEqual(l?.sender, "bob")
        XCTAssertEqual(l?.text, "hi there")
        XCTAssertEqual(l?.timeMillis, 1_795_269_900_250)
        XCTAssertEqual(l?.msgid, "m1")
        XCTAssertEqual(l?.isOwn, false)
    }

    func testRedact() {
        XCTAssertEqual(decode(":bob!b@h REDACT #lobby m1 :typo"), [.redacted(msgid: "m1", by: "bob", reason: "typo")])
        XCTAssertEqual(decode(":bob!b@h REDACT alice m2"), [.redacted(msgid: "m2", by: "bob", reason: "")])
        XCTAssertEqual(decode(":bob!b@h REDACT #lobby"), [], "no msgid: nothing to delete")
        XCTAssertEqual(decode(":bob!b@h REDACT #lobby :"), [])
    }

    func testPrivateMessagesGoToTheOtherPersonsWindow() {
        XCTAssertEqual(onlyLine(decode(":bob!b@h PRIVMSG alice :psst"))?.place, .window("bob"))
        // Our own line echoed back (echo-message) belongs with its target.
        let own = onlyLine(decode(":alice!a@h PRIVMSG bob :hello"))
        XCTAssertEqual(own?.place, .window("bob"))
        XCTAssertEqual(own?.isOwn, true)
        XCTAssertEqual(onlyLine(decode(":irc.test NOTICE alice :server says"))?.place, .server)
    }

    func testActionAndOtherCTCP() {
        let l = onlyLine(decode(":bob!b@h PRIVMSG #c :\u{1}ACTION waves\u{1}"))
        XCTAssertEqual(l?.kind, .action)
        XCTAssertEqual(l?.text, "waves")
        XCTAssertEqual(decode(":bob!b@h PRIVMSG alice :\u{1}VERSION\u{1}"), [])
    }

    func testJoinPartQuitNick() {
        XCTAssertEqual(decode(":alice!a@h JOIN #c").first, .joined(channel: "#c"))
        XCTAssertEqual(decode(":bob!b@h JOIN #c * :Bob").first, .memberJoined(channel: "#c", nick: "bob"))
        XCTAssertEqual(decode(":bob!b@h PART #c :later").first, .memberLeft(channel: "#c", nick: "bob"))
        XCTAssertEqual(decode(":op!o@h KICK #c alice :out").first, .left(channel: "#c"))
        XCTAssertEqual(decode(":bob!b@h QUIT :gone"), [.memberQuit(nick: "bob", reason: "gone")])
        XCTAssertEqual(decode(":alice!a@h NICK alice2"), [.nickChanged(old: "alice", new: "alice2")])
        XCTAssertEqual(decoder.nick, "alice2")
    }

    func testAnEmptyNickFromTheServerIsIgnored() {
        // Found by the client-lines fuzzer: `001 :` and `NICK :` would leave no nick.
        _ = decode(":srv 001 :")
        _ = decode(":alice!a@h NICK :")
        XCTAssertEqual(decoder.nick, "alice")
    }

    func testNamesAreCollectedUntilTheEnd() {
        XCTAssertEqual(decode(":srv 353 alice = #c :@alice bob!b@host"), [])
        XCTAssertEqual(decode(":srv 353 alice = #c :carol"), [])
        XCTAssertEqual(decode(":srv 366 alice #c :End of /NAMES list"), [.names(channel: "#c", nicks: ["@alice", "bob", "carol"])])
    }

    func testTopicAndErrors() {
        let events = decode(":srv 332 alice #c :Release day")
        XCTAssertEqual(events.first, .topic(channel: "#c", text: "Release day"))
        let error = onlyLine(decode(":srv 401 alice nobody :No such nick/channel"))
        XCTAssertEqual(error?.kind, .error)
        XCTAssertEqual(error?.place, .active)
        XCTAssertEqual(error?.text, "nobody No such nick/channel")
    }

    /// Other numerics show everything after our nick: counts and columns
    /// come before the text (252, 254, 004, STATS), except the user counts
    /// whose text repeats them (265, 266).
    func testOtherNumericsKeepTheirLeadingParameters() {
        XCTAssertEqual(onlyLine(decode(":srv 252 alice 2 :operator(s) online"))?.text, "2 operator(s) online")
        XCTAssertEqual(onlyLine(decode(":srv 254 alice 7 :channels formed"))?.text, "7 channels formed")
        XCTAssertEqual(onlyLine(decode(":srv 212 alice PRIVMSG :40"))?.text, "PRIVMSG 40")
        XCTAssertEqual(onlyLine(decode(":srv 265 alice 1 3 :Current local users 1, max 3"))?.text, "Current local users 1, max 3")
        XCTAssertEqual(onlyLine(decode(":srv 372 alice :- Welcome"))?.place, .server)
    }

    func testISupportChangesChannelTypes() {
        _ = decode(":srv 005 alice CHANTYPES=# PREFIX=(ov)@+ FILES=1048576 SCORES :are supported")
        XCTAssertEqual(decoder.isupport.fileLimit, 1_048_576)
        XCTAssertTrue(decoder.isupport.hasScores)
        XCTAssertFalse(decoder.isupport.isChannel("&local"))
        XCTAssertEqual(decoder.isupport.memberPrefixes, ["@", "+"])
    }

    func testFileShareTagOrText() {
        let tagged = onlyLine(decode("@+chatd/file=17 :bob!b@h PRIVMSG #c :bob shared notes.txt"))
        XCTAssertEqual(tagged?.fileID, "17")
        let plain = onlyLine(decode(":bob!b@h PRIVMSG #c :bob shared notes.txt (2.1 kB, sha256 3f2a…) — FILE GET 42"))
        XCTAssertEqual(plain?.fileID, "42")
        XCTAssertNil(onlyLine(decode(":bob!b@h PRIVMSG #c :say FILE GET now please"))?.fileID)
    }

    func testBatchCollectorIsBounded() {
        var batches = BatchCollector()
        XCTAssertNil(batches.handleBatch(try! IRCMessage(parsing: ":srv BATCH +b1 chathistory #c")))
        for i in 0..<(BatchCollector.maxLines + 5) {
            XCTAssertTrue(batches.take(try! IRCMessage(parsing: "@batch=b1 :bob!b@h PRIVMSG #c :\(i)")))
        }
        XCTAssertFalse(batches.take(try! IRCMessage(parsing: "@batch=other :bob!b@h PRIVMSG #c :x")))
        let done = batches.handleBatch(try! IRCMessage(parsing: ":srv BATCH -b1"))
        XCTAssertEqual(done?.messages.count, BatchCollector.maxLines)
        XCTAssertEqual(done?.target, "#c")
        XCTAssertEqual(batches.dropped, 5)
    }
}
