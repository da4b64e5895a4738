@testable import ChatServer
import XCTest

/// The #match-<id> rooms: the service, the live-score topic, replay on
/// join, and only the service speaking.
final class ScoreRoomTests: XCTestCase {
    func testJoiningReplaysTheEventsAndShowsTheScoreAsTopic() {
        let net = TestNet()
        let board = net.scoreBoard()
        let id = board.liveMatch()
        board.goal(id, .home, minute: 23)
        let u = net.user("alice")
        u.send("JOIN #match-1")
        let lines = u.lines()
        XCTAssertTrue(lines.contains(":test.server 332 alice #match-1 :Home FC 1–0 Away United, 23'"), "\(lines)")
        XCTAssertTrue(lines.contains { $0.contains(" 353 ") && $0.contains("@ScoreBot") }, "\(lines)")
        let said = lines.filter { $0.contains("PRIVMSG #match-1") }
        XCTAssertEqual(said.count, 2, "\(lines)")
        XCTAssertTrue(said[0].hasPrefix(":ScoreBot!scores@test.server PRIVMSG #match-1 :0' "), said[0])
        XCTAssertTrue(said[1].contains(":23' ") && said[1].contains("N. Name"), said[1])
    }

    func testEachEventIsAnnouncedAndTheTopicFollowsTheScore() {
        let net = TestNet()
        let board = net.scoreBoard()
        let id = board.liveMatch()
        let u = net.user("alice")
        u.send("JOIN #match-1")
        _ = u.lines()
        board.goal(id, .away, minute: 67, player: "K. Silva")
        let lines = u.lines()
        XCTAssertEqual(lines.count, 2, "\(lines)")
        XCTAssertTrue(lines[0].hasPrefix(":ScoreBot!scores@test.server PRIVMSG #match-1 :67' "), lines[0])
        XCTAssertTrue(lines[0].contains("K. Silva"))
        XCTAssertEqual(lines[1], ":ScoreBot!scores@test.server TOPIC #match-1 :Home FC 0–1 Away United, 67'")
    }

    func testOnlyTheServiceSpeaksUnlessAnOperatorLiftsTheMode() {
        let net = TestNet()
        let board = net.scoreBoard()
        board.liveMatch()
        let fan = net.user("fan")
        let oper = net.user("oper")
        fan.send("JOIN #match-1")
        oper.send("JOIN #match-1")
        oper.send("OPER root sesame")
        _ = fan.lines(); _ = oper.lines()
        fan.send("PRIVMSG #match-1 :come on!")
        XCTAssertEqual(fan.codes(), ["404"])
        XCTAssertEqual(oper.lines(), [])
        oper.send("MODE #match-1 -m")
        _ = oper.lines(); _ = fan.lines()
        fan.send("PRIVMSG #match-1 :come on!")
        XCTAssertEqual(oper.plainLines(), [":fan!~fan@127.0.0.1 PRIVMSG #match-1 :come on!"])
    }

    func testTheRoomOutlivesItsLastUser() {
        let net = TestNet()
        let board = net.scoreBoard()
        board.liveMatch()
        let u = net.user("alice")
        u.send("JOIN #match-1")
        u.send("PART #match-1")
        XCTAssertNotNil(net.server.channel(named: "#match-1"), "the service stays")
    }

    /// After full time (at once here, without a loop; `finishedRoomSeconds`
    /// later in the daemon) ScoreBot leaves, and the users still there get an
    /// ordinary channel they can talk in.
    func testAFinishedMatchsRoomIsClosed() {
        let net = TestNet()
        let board = net.scoreBoard()
        let id = board.liveMatch()
        let fan = net.user("fan")
        fan.send("JOIN #match-1")
        _ = fan.lines()
        board.run(.events([ScoreEventDraft(matchID: id, type: .fullTime, minute: 90)]))
        let lines = fan.plainLines()
        XCTAssertTrue(lines.contains(":ScoreBot!scores@test.server MODE #match-1 -mt"), "\(lines)")
        XCTAssertTrue(lines.contains { $0.hasPrefix(":ScoreBot!scores@test.server PART #match-1 :Full time: Home FC") }, "\(lines)")
        fan.send("PRIVMSG #match-1 :good game")
        XCTAssertEqual(fan.codes(), [], "no longer moderated")
        fan.send("PART #match-1")
        XCTAssertNil(net.server.channel(named: "#match-1"), "gone with its last user")
        let late = net.user("late")
        late.send("JOIN #MATCH-1")
        let joined = late.lines()
        XCTAssertTrue(joined.contains { $0.contains(" 353 ") && $0.contains("@ScoreBot") && !$0.contains("@late") }, "\(joined)")
        XCTAssertEqual(net.server.channel(named: "#match-1")?.moderated, true, "the match's room again, not a channel for the first comer")

        let kept = TestNet()
        let keeping = kept.scoreBoard { $0.finishedRoomSeconds = 0 }
        let other = keeping.liveMatch()
        keeping.run(.events([ScoreEventDraft(matchID: other, type: .fullTime, minute: 90)]))
        XCTAssertNotNil(kept.server.channel(named: "#match-1"), "0 keeps rooms")
    }
}
