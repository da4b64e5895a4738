@testable import ChatServer
import Foundation
import XCTest

/// The operator feed: the console verbs behind `chatctl match …`, with the
/// database (events are written before they are announced).
final class ScoreFeedConsoleTests: XCTestCase {
    func ask(_ host: ConsoleHost, _ object: [String: Any]) -> [String: Any] {
        var reply: ConsoleReply?
        let line = try! JSONSerialization.data(withJSONObject: object)
        do {
            ConsoleVerbs.handle(try ConsoleRequest(line: line), host: host) { reply = $0 }
        } catch {
            XCTFail("\(error)")
        }
        guard let reply else { XCTFail("no reply"); return [:] }
        return try! JSONSerialization.jsonObject(with: reply.line) as! [String: Any]
    }

    func testCreateEventFinishAndList() throws {
        let net = TestNet.withStorage()
        let board = net.scoreBoard()
        let host = FakeConsoleHost(net)
        let created = ask(host, ["cmd": "match-create", "home": "Home FC", "away": "Away United"])
        XCTAssertEqual(created["id"] as? Int, 1)
        XCTAssertEqual(created["room"] as? String, "#match-1")
        XCTAssertEqual(ask(host, ["cmd": "match-event", "match": 1, "type": "kickoff", "minute": 0])["seq"] as? Int, 1)
        let goal = ask(host, ["cmd": "match-event", "match": 1, "type": "goal", "team": "home", "player": "N. Name", "minute": 23])
        XCTAssertEqual(goal["seq"] as? Int, 2)
        let bad = ask(host, ["cmd": "match-event", "match": 1, "type": "goal", "minute": 24])
        XCTAssertEqual(bad["ok"] as? Bool, false)
        XCTAssertEqual(bad["error"] as? String, "Invalid event: goal needs a team (home or away)")
        XCTAssertEqual(ask(host, ["cmd": "match-event", "match": 1, "type": "header", "team": "home"])["ok"] as? Bool, false)
        XCTAssertEqual(ask(host, ["cmd": "match-finish", "match": 1, "minute": 93])["seq"] as? Int, 3)
        let late = ask(host, ["cmd": "match-event", "match": 1, "type": "corner", "team": "away"])
        XCTAssertEqual(late["error"] as? String, "Match 1 is finished")
        let list = try XCTUnwrap(ask(host, ["cmd": "matches"])["matches"] as? [[String: Any]])
        XCTAssertEqual(list.count, 1)
        XCTAssertEqual(list[0]["status"] as? String, "finished")
        XCTAssertEqual(list[0]["homeGoals"] as? Int, 1)
        // Written: a fresh ledger from the database has the same events.
        let stored = try net.storage!.loadScores()
        XCTAssertEqual(stored, board.ledger)
        XCTAssertEqual(stored.events(of: 1).map(\.type), [.kickoff, .goal, .fullTime])
    }

    func testIngestWithABadLineAppliesNothingAndNamesTheLine() throws {
        let net = TestNet.withStorage()
        let board = net.scoreBoard()
        board.liveMatch()
        let host = FakeConsoleHost(net)
        let follower = net.user("fan")
        follower.send("SCORES FOLLOW 1")
        let file = """
            {"match":1,"type":"goal","team":"home","player":"N. Name","minute":23}
            # a comment

            {"match":1,"type":"yellow-card","team":"away","player":"K. Silva","minute":30}
            {"match":1,"type":"goal","minute":31}
            {"match":1,"type":"corner","team":"away","minute":32,"colour":"red"}
            not json
            {"match":2,"type":"corner","team":"away","minute":33}
            """
        let refused = ask(host, ["cmd": "match-ingest", "text": file])
        XCTAssertEqual(refused["ok"] as? Bool, false)
        XCTAssertEqual(refused["error"] as? String,
                       "nothing applied; line 5: Invalid event: goal needs a team (home or away); line 6: Invalid event: unknown key colour; "
                       + "line 7: Invalid event: not a JSON object; line 8: No such match: 2", "every bad line at once")
        // Syntax is fine now; line 5 and 8 fail as before.
        let second = file.replacingOccurrences(of: #","colour":"red""#, with: "").replacingOccurrences(of: "not json", with: "")
        let refusedAgain = ask(host, ["cmd": "match-ingest", "text": second])
        XCTAssertEqual(refusedAgain["error"] as? String,
                       "nothing applied; line 5: Invalid event: goal needs a team (home or away); line 8: No such match: 2")
        XCTAssertEqual(board.ledger.events(of: 1).count, 1, "only the kickoff")
        XCTAssertEqual(try net.storage!.loadScores().events(of: 1).count, 1)
        XCTAssertEqual(follower.lines(), [], "nothing announced")
        let good = second.replacingOccurrences(of: #"{"match":1,"type":"goal","minute":31}"#, with: "")
            .replacingOccurrences(of: #"{"match":2,"type":"corner","team":"away","minute":33}"#, with: "")
        XCTAssertEqual(ask(host, ["cmd": "match-ingest", "text": good])["events"] as? Int, 3)
        XCTAssertEqual(board.ledger.events(of: 1).map(\.seq), [1, 2, 3, 4])
        XCTAssertEqual(follower.lines().count, 3)
        XCTAssertEqual(try net.storage!.loadScores(), board.ledger)
    }

    func testIngestLinesAreBounded() {
        XCTAssertThrowsError(try ScoreIngest.parse(String(repeating: #"{"match":1,"type":"kickoff"}"# + "\n", count: 3), maxLines: 2)) {
            XCTAssertEqual(($0 as? ScoreIngestError)?.problems.last?.reason, "more than 2 events")
        }
        let long = #"{"match":1,"type":"foul","team":"home","text":""# + String(repeating: "x", count: 5000) + #""}"#
        XCTAssertThrowsError(try ScoreIngest.parseLine(long))
    }

    func testAFailedWriteAnnouncesNothingAndLeavesNoGap() throws {
        let net = TestNet.withStorage()
        let board = net.scoreBoard()
        let id = board.liveMatch()
        let fan = net.user("fan")
        fan.send("SCORES FOLLOW 1")
        try net.storage!.database.write { try $0.execute(sql: "DROP TABLE scoreEvent") }
        let error = board.failure(.events([ScoreEventDraft(matchID: id, type: .corner, minute: 3, team: .home)]))
        XCTAssertEqual(error?.code, "TEMPORARILY_UNAVAILABLE")
        XCTAssertEqual(fan.lines(), [])
        XCTAssertEqual(board.ledger.matches[id]?.lastSeq, 1, "the seq is not used up")
    }
}
