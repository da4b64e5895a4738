@testable import ChatServer
import XCTest

/// Builds a board on an in-memory server and runs score jobs synchronously
/// (the test net's writer runs work at once).
extension TestNet {
    func scoreBoard(_ configure: (inout ScoresConfig) -> Void = { _ in }) -> ScoreBoard {
        var config = ScoresConfig()
        configure(&config)
        return try! ScoreBoard(server: server, config: config)
    }
}

extension ScoreBoard {
    /// Runs `job` and returns its result, failing the test on an error.
    @discardableResult
    func run(_ job: ScoreJob, file: StaticString = #filePath, line: UInt = #line) -> ScoreJobResult? {
        var outcome: Result<ScoreJobResult, ScoreError>?
        submit(job) { outcome = $0 }
        switch outcome {
        case .success(let result)?: return result
        case .failure(let error)?: XCTFail("score job failed: \(error)", file: file, line: line)
        case nil: XCTFail("score job did not complete", file: file, line: line)
        }
        return nil
    }

    /// Runs `job` and returns the error it must fail with.
    func failure(_ job: ScoreJob) -> ScoreError? {
        var outcome: Result<ScoreJobResult, ScoreError>?
        submit(job) { outcome = $0 }
        if case .failure(let error)? = outcome { return error }
        return nil
    }

    /// A match between Home FC and Away United, kicked off.
    @discardableResult
    func liveMatch(home: String = "Home FC", away: String = "Away United") -> Int64 {
        guard case .created(let match)? = run(.create(home: home, away: away)) else { return 0 }
        run(.events([ScoreEventDraft(matchID: match.id, type: .kickoff, minute: 0)]))
        return match.id
    }

    func goal(_ id: Int64, _ team: TeamSide, minute: Int, player: String = "N. Name") {
        run(.events([ScoreEventDraft(matchID: id, type: .goal, minute: minute, team: team, player: player)]))
    }
}
