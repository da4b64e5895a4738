@testable import ChatServer
import XCTest

/// The rules that turn drafts into events: seq, score, status.
final class ScoreLedgerTests: XCTestCase {
    func testSeqCountsFromOneAndTheScoreFollowsTheGoals() throws {
        var ledger = ScoreLedger()
        let match = try ledger.createMatch(home: "Home FC", away: "Away United", nowMillis: 0)
        XCTAssertEqual(match.id, 1)
        let kickoff = try ledger.apply(ScoreEventDraft(matchID: 1, type: .kickoff, minute: 0), nowMillis: 1)
        let goal = try ledger.apply(ScoreEventDraft(matchID: 1, type: .goal, minute: 23, team: .home, player: "N. Name"), nowMillis: 2)
        let own = try ledger.apply(ScoreEventDraft(matchID: 1, type: .ownGoal, minute: 30, team: .home), nowMillis: 3)
        let pen = try ledger.apply(ScoreEventDraft(matchID: 1, type: .penaltyGoal, minute: 40, team: .away), nowMillis: 4)
        XCTAssertEqual([kickoff.seq, goal.seq, own.seq, pen.seq], [1, 2, 3, 4])
        XCTAssertEqual([goal.homeGoals, goal.awayGoals], [1, 0])
        XCTAssertEqual([own.homeGoals, own.awayGoals], [1, 1], "an own goal counts for the other side")
        XCTAssertEqual([pen.homeGoals, pen.awayGoals], [1, 2])
        XCTAssertEqual(ledger.matches[1]?.status, .live)
        XCTAssertEqual(ledger.matches[1]?.scoreline, "Home FC 1–2 Away United, 40'")
        XCTAssertTrue(goal.text.contains("N. Name"), goal.text)
    }

    func testAnEventReportedLateKeepsItsMinuteAndTheClockDoesNotGoBack() throws {
        var ledger = ScoreLedger()
        _ = try ledger.createMatch(home: "Home FC", away: "Away United", nowMillis: 0)
        _ = try ledger.apply(ScoreEventDraft(matchID: 1, type: .kickoff, minute: 0), nowMillis: 1)
        _ = try ledger.apply(ScoreEventDraft(matchID: 1, type: .goal, minute: 23, team: .home), nowMillis: 2)
        let late = try ledger.apply(ScoreEventDraft(matchID: 1, type: .yellowCard, minute: 10, team: .away), nowMillis: 3)
        XCTAssertEqual(late.minute, 10, "the card happened at 10'")
        XCTAssertEqual(ledger.matches[1]?.minute, 23, "the match is still at 23'")
        XCTAssertEqual(ledger.matches[1]?.scoreline, "Home FC 1–0 Away United, 23'")
    }

    func testAnUnnamedPlayerGetsTheRightArticle() {
        XCTAssertEqual(ScoreSentences.article("Away United"), "an")
        XCTAssertEqual(ScoreSentences.article("Olympic"), "an")
        XCTAssertEqual(ScoreSentences.article("Home FC"), "a")
        XCTAssertEqual(ScoreSentences.article("United"), "a", "a /ju/ sound")
        XCTAssertEqual(ScoreSentences.article(""), "a")
    }

    /// At `maxMatches` a new match retires the oldest finished one, in the
    /// ledger and, in the same write, on disk; with none finished it fails.
    func testAtMaxMatchesTheOldestFinishedMatchMakesRoom() throws {
        var config = ScoresConfig()
        config.maxMatches = 2
        var ledger = ScoreLedger()
        _ = try ledger.createMatch(home: "A", away: "B", nowMillis: 0)
        _ = try ledger.createMatch(home: "C", away: "D", nowMillis: 0)
        var full = ScoreBatch(ledger: ledger, config: config)
        full.add(.create(home: "E", away: "F"), nowMillis: 0)
        XCTAssertEqual(full.accepted, 0, "none finished: no room")
        XCTAssertEqual(full.retired, [])
        let kickoff = try ledger.apply(ScoreEventDraft(matchID: 1, type: .kickoff, minute: 0), nowMillis: 0)
        let end = try ledger.apply(ScoreEventDraft(matchID: 1, type: .fullTime, minute: 90), nowMillis: 0)
        var batch = ScoreBatch(ledger: ledger, config: config)
        batch.add(.create(home: "E", away: "F", simulated: true), nowMillis: 0)
        XCTAssertEqual(batch.retired, [1])
        XCTAssertEqual(batch.trial.sortedMatches.map(\.id), [2, 3], "ids are not reused")
        XCTAssertEqual(batch.trial.events(of: 1), [])
        var refused = ScoreBatch(ledger: ledger, config: config)
        refused.add(.create(home: "E", away: ""), nowMillis: 0)
        XCTAssertEqual(refused.retired, [], "a refused create retires nothing")
        XCTAssertEqual(refused.trial, ledger)

        let storage = try ChatStorage()
        try storage.saveScores(matches: ledger.sortedMatches, events: [kickoff, end])
        try storage.saveScores(matches: batch.matchRows, events: batch.events, retired: batch.retired)
        let reloaded = try storage.loadScores()
        XCTAssertEqual(reloaded.sortedMatches.map(\.id), [2, 3])
        XCTAssertEqual(reloaded.sortedMatches.map(\.simulated), [false, true], "whose match it is survives a restart")
        XCTAssertEqual(reloaded.events(of: 1), [])
        XCTAssertEqual(reloaded.nextMatchID, 4)
    }

    func testRefusedDraftsChangeNothing() throws {
        var ledger = ScoreLedger()
        _ = try ledger.createMatch(home: "A", away: "B", nowMillis: 0)
        let before = ledger
        XCTAssertThrowsError(try ledger.apply(ScoreEventDraft(matchID: 1, type: .goal, minute: 1, team: .home), nowMillis: 0)) {
            XCTAssertEqual(($0 as? ScoreError)?.code, "INVALID_PARAMS", "a goal before kick-off")
        }
        XCTAssertThrowsError(try ledger.apply(ScoreEventDraft(matchID: 9, type: .kickoff), nowMillis: 0)) {
            XCTAssertEqual($0 as? ScoreError, .noSuchMatch(9))
        }
        _ = try ledger.apply(ScoreEventDraft(matchID: 1, type: .kickoff, minute: 0), nowMillis: 0)
        XCTAssertThrowsError(try ledger.apply(ScoreEventDraft(matchID: 1, type: .goal, minute: 5), nowMillis: 0), "no team")
        XCTAssertThrowsError(try ledger.apply(ScoreEventDraft(matchID: 1, type: .foul, minute: 151, team: .away), nowMillis: 0))
        XCTAssertThrowsError(try ledger.apply(ScoreEventDraft(matchID: 1, type: .foul, minute: 5, team: .away, player: "x\r\nQUIT"), nowMillis: 0))
        _ = try ledger.apply(ScoreEventDraft(matchID: 1, type: .fullTime, minute: 90), nowMillis: 0)
        XCTAssertThrowsError(try ledger.apply(ScoreEventDraft(matchID: 1, type: .corner, minute: 91, team: .home), nowMillis: 0)) {
            XCTAssertEqual($0 as? ScoreError, .matchFinished(1))
        }
        XCTAssertNotEqual(before, ledger)
        XCTAssertEqual(ledger.events(of: 1).map(\.seq), [1, 2])
    }
}
