@testable import ChatServer
import XCTest

/// The simulator under a fixed seed: deterministic, and plays whole matches.
final class ScoreSimulatorTests: XCTestCase {
    /// Plays `steps` steps from an empty ledger, applying each change.
    private func play(seed: UInt64, steps: Int, matches: Int = 3, maxMatches: Int = 6) throws -> ScoreLedger {
        var simulator = ScoreSimulator(seed: seed, matches: matches, maxMatches: maxMatches)
        var ledger = ScoreLedger()
        for step in 0..<steps {
            guard let job = simulator.next(ledger) else { break }
            switch job {
            case .create(let home, let away):
                _ = try ledger.createMatch(home: home, away: away, nowMillis: Int64(step))
            case .events(let drafts):
                for draft in drafts { _ = try ledger.apply(draft, nowMillis: Int64(step)) }
            }
        }
        return ledger
    }

    func testTheSameSeedPlaysTheSameMatches() throws {
        let a = try play(seed: 42, steps: 300)
        let b = try play(seed: 42, steps: 300)
        let c = try play(seed: 43, steps: 300)
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a.events(of: 1).map(\.text), c.events(of: 1).map(\.text))
    }

    func testMatchesArePlayedToFullTimeWithARealisticMix() throws {
        // Every step is valid (play throws otherwise); 6 matches of at most
        // ~60 events each finish well within 1000 steps.
        let ledger = try play(seed: 7, steps: 1000)
        XCTAssertEqual(ledger.matches.count, 6)
        for match in ledger.sortedMatches {
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
            XCTAssertTrue(types.contains(expected), "\(expected) never happened in 6 matches")
        }
        // Varied sentences: more than one wording per common type.
        XCTAssertGreaterThan(Set(all.filter { $0.type == .foul }.map { $0.text.prefix(12) }).count, 1)
        XCTAssertNil(ScoreSimulator(seed: 7, matches: 3, maxMatches: 6).nextAfter(ledger), "all done")
    }
}

extension ScoreSimulator {
    func nextAfter(_ ledger: ScoreLedger) -> ScoreJob? {
        var copy = self
        return copy.next(ledger)
    }
}
