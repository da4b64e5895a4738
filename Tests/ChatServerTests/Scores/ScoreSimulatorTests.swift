@testable import ChatServer
import XCTest

/// The simulator under a fixed seed: deterministic, and plays whole matches.
final class ScoreSimulatorTests: XCTestCase {
    /// Plays `steps` steps from an empty ledger, applying each change.
    private func play(seed: UInt64, steps: Int, matches: Int = 3, maxMatches: Int = 6,
                      from start: ScoreLedger = ScoreLedger()) throws -> ScoreLedger {
        var simulator = ScoreSimulator(seed: seed, matches: matches, maxMatches: maxMatches)
        var ledger = start
        for step in 0..<steps {
            guard let job = simulator.next(ledger) else { break }
            switch job {
            case .create(let home, let away, let simulated):
                XCTAssertTrue(simulated)
                // As ScoreBatch does: at the cap the oldest finished match makes room.
                if ledger.matches.count >= maxMatches, let oldest = ledger.oldestFinished() { ledger.retire(oldest) }
                _ = try ledger.createMatch(home: home, away: away, simulated: simulated, nowMillis: Int64(step))
            case .events(let drafts):
                for draft in drafts { _ = try ledger.apply(draft, nowMillis: Int64(step)) }
            }
        }
        return ledger
    }

    /// A match an operator created (and feeds) is never played by the simulator.
    func testTheSimulatorLeavesAnOperatorsMatchAlone() throws {
        var start = ScoreLedger()
        let real = try start.createMatch(home: "Home FC", away: "Away United", nowMillis: 0)
        let ledger = try play(seed: 3, steps: 400, maxMatches: 20, from: start)
        XCTAssertEqual(ledger.matches[real.id]?.status, .scheduled, "no kick-off invented")
        XCTAssertEqual(ledger.events(of: real.id), [])
        XCTAssertEqual(ledger.sortedMatches.filter { $0.simulated && $0.status != .finished }.count, 3,
                       "its own three, beside the operator's")
    }

    func testTheSameSeedPlaysTheSameMatches() throws {
        let a = try play(seed: 42, steps: 300)
        let b = try play(seed: 42, steps: 300)
        let c = try play(seed: 43, steps: 300)
        XCTAssertEqual(a, b)
        func texts(_ l: ScoreLedger) -> [String] { l.sortedMatches.flatMap { l.events(of: $0.id) }.map(\.text) }
        XCTAssertFalse(texts(a).isEmpty)
        XCTAssertNotEqual(texts(a), texts(c))
    }

    func testMatchesArePlayedToFullTimeWithARealisticMix() throws {
        // Every step is valid (play throws otherwise); matches of at most
        // ~60 events each, three at a time, many finish within 1000 steps.
        let ledger = try play(seed: 7, steps: 1000)
        XCTAssertEqual(ledger.matches.count, 6, "kept at maxMatches")
        XCTAssertGreaterThan(ledger.nextMatchID, 7, "new matches kept starting: the oldest finished made room")
        let open = ledger.sortedMatches.filter { $0.status != .finished }
        let playing = open.flatMap { [$0.home, $0.away] }
        XCTAssertEqual(Set(playing).count, playing.count, "no team in two matches at once")
        let finished = ledger.sortedMatches.filter { $0.status == .finished }
        XCTAssertGreaterThanOrEqual(finished.count, 3)
        for match in finished {
            XCTAssertNotEqual(match.home, match.away)
            let events = ledger.events(of: match.id)
            XCTAssertEqual(match.status, .finished, "match \(match.id)")
            XCTAssertEqual(events.map(\.seq), Array(1...Int64(events.count)), "no gaps")
            XCTAssertEqual(events.first?.type, .kickoff)
            XCTAssertEqual(events.last?.type, .fullTime)
            XCTAssertEqual(events.filter { $0.type == .halfTime }.count, 1)
            XCTAssertEqual(events.map(\.minute), events.map(\.minute).sorted(), "time runs forward")
            let home = events.filter { $0.type.scoringSide(team: $0.team) == .home }.count
            let away = events.filter { $0.type.scoringSide(team: $0.team) == .away }.count
            XCTAssertEqual([match.homeGoals, match.awayGoals], [home, away])
        }
        let all = ledger.sortedMatches.flatMap { ledger.events(of: $0.id) }
        let types = Set(all.map(\.type))
        for expected: ScoreEventType in [.goal, .foul, .corner, .yellowCard, .substitution, .save] {
            XCTAssertTrue(types.contains(expected), "\(expected) never happened")
        }
        // Varied sentences: more than one wording per common type.
        XCTAssertGreaterThan(Set(all.filter { $0.type == .foul }.map { $0.text.prefix(12) }).count, 1)
        XCTAssertNotNil(ScoreSimulator(seed: 7, matches: 3, maxMatches: 6).nextAfter(ledger), "the demo never runs out")
    }
}

extension ScoreSimulator {
    func nextAfter(_ ledger: ScoreLedger) -> ScoreJob? {
        var copy = self
        return copy.next(ledger)
    }
}
