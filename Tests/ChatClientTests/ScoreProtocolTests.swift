import ChatClient
import ChatServer
import XCTest

/// The client side of issue #12's SCORES lines, fed the exact server lines the
/// issue specifies (the server side has not landed; see the README).
final class ScoreProtocolTests: XCTestCase {
    func m(_ line: String) -> IRCMessage { try! IRCMessage(parsing: line) }

    func testListQuery() {
        let q = ScoreQuery(.list)
        XCTAssertEqual(q.request.line, "SCORES LIST")
        XCTAssertNil(q.receive(ScoreLine(m(":srv SCORES MATCH 1 live 67 2 1 :Home FC - Away United"))!))
        XCTAssertNil(q.receive(ScoreLine(m(":srv SCORES MATCH 2 scheduled 0 0 0 :Rovers - City"))!))
        let result = q.receive(ScoreLine(m(":srv SCORES END LIST"))!)
        guard case .list(let matches)? = result else { return XCTFail("\(String(describing: result))") }
        XCTAssertEqual(matches.map(\.id), ["1", "2"])
        XCTAssertEqual(matches[0].scoreText, "Home FC 2–1 Away United, 67'")
        XCTAssertEqual(matches[1].scoreText, "Rovers 0–0 City (scheduled)")
    }

    func testShowQueryAndNoSuchMatch() {
        let q = ScoreQuery(.show("1"))
        XCTAssertEqual(q.request.line, "SCORES SHOW 1")
        _ = q.receive(ScoreLine(m(":srv SCORES MATCH 1 live 23 1 0 :Home FC - Away United"))!)
        _ = q.receive(ScoreLine(m(":srv SCORES EVENT 1 1 kickoff 0 0 0 :Kick-off"))!)
        _ = q.receive(ScoreLine(m(":srv SCORES EVENT 1 2 goal 23 1 0 :Home FC — N. Name"))!)
        guard case .show(let s, let events)? = q.receive(ScoreLine(m(":srv SCORES END 1"))!) else { return XCTFail() }
        XCTAssertEqual(s?.homeGoals, 1)
        XCTAssertEqual(events.map(\.seq), [1, 2])
        XCTAssertEqual(events[1].display, "23' GOAL Home FC — N. Name (1–0)")

        let missing = ScoreQuery(.show("9"))
        XCTAssertEqual(missing.receive(ScoreLine(m(":srv FAIL SCORES NO_SUCH_MATCH 9 :No such match"))!), .failed(.notFound("No such match")))
    }

    func testFollowedMatchIgnoresOldEventsAndResumesFromLastSeq() {
        var f = FollowedMatch(summary: MatchSummary(id: "1", status: "live", minute: 0, homeGoals: 0, awayGoals: 0, teams: "A - B"))
        XCTAssertEqual(f.followRequest.line, "SCORES FOLLOW 1")
        let goal = ScoreEvent(matchID: "1", seq: 4, type: "goal", minute: 30, homeGoals: 0, awayGoals: 1, sentence: "B score")
        XCTAssertTrue(f.apply(goal))
        XCTAssertFalse(f.apply(goal), "a duplicate is not applied twice")
        XCTAssertFalse(f.apply(ScoreEvent(matchID: "2", seq: 9, type: "goal", minute: 1, homeGoals: 1, awayGoals: 0, sentence: "")))
        XCTAssertEqual(f.summary.scoreText, "A 0–1 B, 30'")
        XCTAssertEqual(f.followRequest.line, "SCORES FOLLOW 1 since=4")
    }

    func testUDPTokenAndMalformedLines() {
        XCTAssertEqual(ScoreLine(m(":srv SCORES UDPTOKEN 1 abc123 6668")), .udpToken(matchID: "1", token: "abc123", port: 6668))
        XCTAssertNil(ScoreLine(m(":srv SCORES UDPTOKEN 1 abc123 70000")))
        XCTAssertNil(ScoreLine(m(":srv SCORES MATCH 1 live x 0 0 :A - B")))
        XCTAssertNil(ScoreLine(m(":srv SCORES EVENT 1 2 goal 23 1 :short")))
        XCTAssertEqual(ScoreLine(m(":srv NOTE SCORES MATCH_RETIRED 4 :Match 4 is archived")), .retired(matchID: "4", text: "Match 4 is archived"))
        XCTAssertNil(ScoreLine(m(":srv NOTE FILE MATCH_RETIRED 4 :x")))
    }
}
