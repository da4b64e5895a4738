@testable import ChatServer
import XCTest

/// SCORES LIST/SHOW/FOLLOW/UNFOLLOW/UDP through the in-memory transport,
/// every FAIL, and the #match rooms.
final class ScoreCommandTests: XCTestCase {
    func testListAndShowUseTheDocumentedLineForms() {
        let net = TestNet()
        let board = net.scoreBoard()
        let id = board.liveMatch()
        board.goal(id, .home, minute: 23)
        board.run(.create(home: "Ashford Athletic", away: "Oakdale County"))
        let u = net.user("alice")
        u.send("SCORES LIST")
        XCTAssertEqual(u.lines(), [
            ":test.server SCORES MATCH 1 live 23 1 0 :Home FC - Away United",
            ":test.server SCORES MATCH 2 scheduled 0 0 0 :Ashford Athletic - Oakdale County",
            ":test.server SCORES END LIST",
        ])
        u.send("SCORES SHOW 1")
        let shown = u.lines()
        XCTAssertEqual(shown.count, 4)
        XCTAssertEqual(shown[0], ":test.server SCORES MATCH 1 live 23 1 0 :Home FC - Away United")
        XCTAssertTrue(shown[1].hasPrefix(":test.server SCORES EVENT 1 1 kickoff 0 0 0 :"), shown[1])
        XCTAssertTrue(shown[2].hasPrefix(":test.server SCORES EVENT 1 2 goal 23 1 0 :"), shown[2])
        XCTAssertTrue(shown[2].contains("N. Name"))
        XCTAssertEqual(shown[3], ":test.server SCORES END 1")
    }

    func testEveryFailCode() {
        let net = TestNet()
        let board = net.scoreBoard { $0.maxFollowsPerConnection = 1 }
        let id = board.liveMatch()
        board.run(.create(home: "B", away: "C"))
        let u = net.user("alice")
        let cases: [(String, String)] = [
            ("SCORES SHOW 9", "FAIL SCORES NO_SUCH_MATCH 9 :No such match: 9"),
            ("SCORES SHOW abc", "FAIL SCORES NO_SUCH_MATCH abc :No such match: abc"),
            ("SCORES FOLLOW 9", "FAIL SCORES NO_SUCH_MATCH 9 :No such match: 9"),
            ("SCORES FOLLOW 1 since=x", "FAIL SCORES INVALID_PARAMS since=x :since= needs a whole number of 0 or more, not since=x"),
            ("SCORES FOLLOW 1 after=3", "FAIL SCORES INVALID_PARAMS after=3 :since= needs a whole number of 0 or more, not after=3"),
            ("SCORES UNFOLLOW 1", "FAIL SCORES NOT_FOLLOWING 1 :You are not following match 1"),
            ("SCORES DANCE", "FAIL SCORES UNKNOWN_SUBCOMMAND DANCE :Unknown SCORES subcommand DANCE (LIST SHOW FOLLOW UNFOLLOW UDP UDPSTOP)"),
            ("SCORES UDP 1", "FAIL SCORES UNAVAILABLE :The UDP score stream is not enabled on this server"),
            ("SCORES UDPSTOP 0123456789abcdef0123456789abcdef", "FAIL SCORES UNAVAILABLE :The UDP score stream is not enabled on this server"),
        ]
        for (command, expected) in cases {
            u.send(command)
            XCTAssertEqual(u.lines(), [":test.server " + expected], command)
        }
        u.send("SCORES FOLLOW \(id)")
        XCTAssertEqual(u.lines(), [])
        u.send("SCORES FOLLOW 2")
        XCTAssertEqual(u.lines(), [":test.server FAIL SCORES TOO_MANY :Too many followed matches for this connection (max 1)"])
        u.send("SCORES SHOW")
        XCTAssertEqual(u.codes(), ["461"])
        u.send("SCORES")
        XCTAssertEqual(u.codes(), ["461"])
    }

    func testTheTotalFollowerCap() {
        let net = TestNet()
        let board = net.scoreBoard { $0.maxFollowers = 2 }
        board.liveMatch()
        let users = (0..<3).map { net.user("u\($0)") }
        users[0].send("SCORES FOLLOW 1")
        users[1].send("SCORES FOLLOW 1")
        users[2].send("SCORES FOLLOW 1")
        XCTAssertEqual(users[2].lines(), [":test.server FAIL SCORES TOO_MANY :Too many followers on this server (max 2)"])
        users[0].send("QUIT")
        users[2].send("SCORES FOLLOW 1")
        XCTAssertEqual(users[2].lines(), [], "a quit frees its follows")
        XCTAssertEqual(board.followerCount, 2)
    }

    func testWithoutTheFeatureScoresIsUnavailable() {
        let net = TestNet()
        let u = net.user("alice")
        u.send("SCORES LIST")
        XCTAssertEqual(u.lines(), [":test.server FAIL SCORES UNAVAILABLE :Scores are not enabled on this server"])
    }

    func testFollowPushesNewEventsWithTagsAndSinceReplaysWhatWasMissed() throws {
        let net = TestNet()
        let board = net.scoreBoard()
        let id = board.liveMatch()
        board.goal(id, .away, minute: 10)
        let plain = net.user("plain")
        let tagged = net.user("tagged", caps: ["message-tags", "server-time"])
        plain.send("SCORES FOLLOW 1 since=1")
        XCTAssertEqual(plain.plainLines().count, 1)
        tagged.send("SCORES FOLLOW 1")
        XCTAssertEqual(tagged.lines(), [], "without since= nothing old is sent")
        board.goal(id, .home, minute: 67, player: "N. Name")
        let line = try XCTUnwrap(plain.lines().first)
        XCTAssertTrue(line.hasPrefix(":test.server SCORES EVENT 1 3 goal 67 1 1 :"), line)
        let taggedLine = try XCTUnwrap(tagged.lines().first)
        let message = try Array(taggedLine.utf8).withUnsafeBytes { try IRCMessage(parsing: $0) }
        XCTAssertNotNil(message.tag("msgid"))
        XCTAssertNotNil(message.tag("time"))
        let json = try XCTUnwrap(message.tag(ScoreBoard.eventTag))
        XCTAssertTrue(json.contains("\"seq\":3") && json.contains("\"player\":\"N. Name\""), json)
        XCTAssertEqual(message.params.prefix(7), ["EVENT", "1", "3", "goal", "67", "1", "1"])
        plain.send("SCORES UNFOLLOW 1")
        XCTAssertEqual(plain.lines(), [])
        board.goal(id, .home, minute: 70)
        XCTAssertEqual(plain.lines(), [], "no more events after UNFOLLOW")
        XCTAssertEqual(tagged.lines().count, 1)
    }

    func testAReplayedEventCarriesTheMsgidAndTimeItHadLive() throws {
        let net = TestNet()
        let board = net.scoreBoard()
        let id = board.liveMatch()
        let live = net.user("live", caps: ["message-tags", "server-time"])
        live.send("SCORES FOLLOW 1")
        live.send("JOIN #match-1")
        _ = live.lines()
        net.clock.advance(seconds: 5)
        board.goal(id, .home, minute: 12)
        let heard = try live.lines().map { try IRCMessage(parsing: $0) }
        let event = try XCTUnwrap(heard.first { $0.command == "SCORES" })
        let said = try XCTUnwrap(heard.first { $0.command == "PRIVMSG" })
        XCTAssertNotEqual(event.tag("msgid"), said.tag("msgid"), "two messages, two ids")
        net.clock.advance(seconds: 60)

        let late = net.user("late", caps: ["message-tags", "server-time"])
        late.send("SCORES FOLLOW 1 since=0")
        late.send("JOIN #match-1")
        let replayed = try late.lines().map { try IRCMessage(parsing: $0) }
        let again = try XCTUnwrap(replayed.last { $0.command == "SCORES" })
        XCTAssertEqual(again.tag("msgid"), event.tag("msgid"), "a client can tell the repeat")
        XCTAssertEqual(again.tag("time"), event.tag("time"))
        let retold = try XCTUnwrap(replayed.last { $0.command == "PRIVMSG" })
        XCTAssertEqual(retold.tag("msgid"), said.tag("msgid"))
        late.send("SCORES SHOW 1")
        let shown = try XCTUnwrap(try late.lines().map { try IRCMessage(parsing: $0) }.last { $0.params.first == "EVENT" })
        XCTAssertEqual(shown.tag("msgid"), event.tag("msgid"), "SHOW sends the same event, the same id")
        XCTAssertEqual(shown.tag("time"), event.tag("time"))

        // server-time without message-tags: the event's own time, not now.
        let timed = net.user("timed", caps: ["server-time"])
        timed.send("SCORES FOLLOW 1 since=0")
        let timedEvent = try XCTUnwrap(try timed.lines().map { try IRCMessage(parsing: $0) }.last { $0.command == "SCORES" })
        XCTAssertEqual(timedEvent.tag("time"), event.tag("time"))
        XCTAssertNil(timedEvent.tag("msgid"))
    }

    /// At maxMatches a new match retires the oldest finished one: whoever
    /// still follows it is told, and it is no longer followed.
    func testFollowersOfARetiredMatchAreTold() {
        let net = TestNet()
        let board = net.scoreBoard { $0.maxMatches = 1 }
        let first = board.liveMatch()
        let fan = net.user("fan")
        fan.send("SCORES FOLLOW \(first)")
        board.run(.events([ScoreEventDraft(matchID: first, type: .fullTime, minute: 90)]))
        _ = fan.lines()
        board.run(.create(home: "North", away: "South"))
        XCTAssertEqual(fan.plainLines(),
                       [":test.server NOTE SCORES MATCH_RETIRED 1 :Match 1 is archived to make room; it is no longer followed"])
        XCTAssertEqual(board.followers.total, 0)
        fan.send("SCORES UNFOLLOW 1")
        XCTAssertEqual(fan.plainLines(), [":test.server FAIL SCORES NO_SUCH_MATCH 1 :No such match: 1"])
    }

    func testScoresIsAdvertisedAndHasHelp() {
        let net = TestNet()
        let u = net.connect()
        u.send("NICK alice")
        u.send("USER a 0 * :A")
        XCTAssertTrue(u.lines().contains { $0.contains(" 005 ") && $0.contains(" SCORES ") })
        XCTAssertNotNil(HelpTexts.entries["SCORES"])
    }
}
