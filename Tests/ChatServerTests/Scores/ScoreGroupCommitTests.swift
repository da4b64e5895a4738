@testable import ChatServer
import CoreLoop
import XCTest

/// Group commit: score changes queued while a write is in flight, or in the
/// same loop turn, go to disk in one transaction; none is announced before
/// that transaction is done, and they are announced in seq order.
final class ScoreGroupCommitTests: XCTestCase {
    private func foul(_ id: Int64, minute: Int) -> ScoreJob {
        .events([ScoreEventDraft(matchID: id, type: .foul, minute: minute, team: .home)])
    }

    /// The seqs in `SCORES EVENT` lines, in the order they came.
    private func announcedSeqs(_ user: TestUser) -> [Int64] {
        user.plainLines().compactMap { line in
            let words = line.split(separator: " ")
            guard words.count > 4, words[1] == "SCORES", words[2] == "EVENT" else { return nil }
            return Int64(words[4])
        }
    }

    func testEventsSubmittedInOneLoopTurnAreOneTransactionAnnouncedInOrder() throws {
        let net = TestNet.withStorage()
        let board = net.scoreBoard()
        let id = board.liveMatch()
        let writesBefore = board.writes
        let fan = net.user("fan")
        fan.send("SCORES FOLLOW \(id)")
        _ = fan.lines()
        let loop = try EventLoop()
        defer { loop.close() }
        try board.start(loop: loop)
        net.writer.deferred = true

        var answers: [Int64] = []
        for minute in 1...5 {
            board.submit(foul(id, minute: minute)) { result in
                if case .success(.events(let events)) = result { answers += events.map(\.seq) }
            }
        }
        XCTAssertEqual(net.writer.pendingCount, 0, "nothing starts before the turn ends")
        try loop.runOnce(maxWaitMilliseconds: 0)
        XCTAssertEqual(net.writer.pendingCount, 1, "the turn's five events: one write")

        net.writer.runWork()
        // On disk (fsynced), but the loop has not heard back: nothing announced yet.
        XCTAssertEqual(try net.storage!.loadScores().events(of: id).map(\.seq), [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(announcedSeqs(fan), [])
        XCTAssertEqual(answers, [])
        XCTAssertEqual(board.ledger.matches[id]?.lastSeq, 1)

        net.writer.runCompletions()
        XCTAssertEqual(announcedSeqs(fan), [2, 3, 4, 5, 6])
        XCTAssertEqual(answers, [2, 3, 4, 5, 6])
        XCTAssertEqual(board.writes, writesBefore + 1)
        XCTAssertEqual(try net.storage!.loadScores(), board.ledger)
    }

    func testEventsQueuedWhileAWriteIsInFlightGoInTheNextOne() throws {
        let net = TestNet.withStorage()
        let board = net.scoreBoard()
        let id = board.liveMatch()
        let writesBefore = board.writes
        let fan = net.user("fan")
        fan.send("SCORES FOLLOW \(id)")
        _ = fan.lines()
        net.writer.deferred = true

        var outcomes: [Result<ScoreJobResult, ScoreError>] = []
        board.submit(foul(id, minute: 1)) { outcomes.append($0) }
        XCTAssertEqual(net.writer.pendingCount, 1, "no loop: the first starts at once")
        board.submit(foul(id, minute: 2)) { outcomes.append($0) }
        // Refused by the rules: answered with its own error, the others still go.
        board.submit(.events([ScoreEventDraft(matchID: id, type: .goal, minute: 3)])) { outcomes.append($0) }
        board.submit(.events([ScoreEventDraft(matchID: id, type: .corner, minute: 4, team: .away),
                              ScoreEventDraft(matchID: id, type: .foul, minute: 4, team: .away)])) { outcomes.append($0) }
        XCTAssertEqual(net.writer.pendingCount, 1, "still one write in flight")

        net.writer.runWork()
        net.writer.runCompletions()
        XCTAssertEqual(announcedSeqs(fan), [2])
        XCTAssertEqual(net.writer.pendingCount, 1, "what queued meanwhile: one write")
        net.writer.runPending()

        XCTAssertEqual(announcedSeqs(fan), [3, 4, 5])
        XCTAssertEqual(board.writes, writesBefore + 2)
        XCTAssertEqual(outcomes.count, 4)
        if case .failure(let error) = outcomes[2] { XCTAssertEqual(error.code, "INVALID_PARAMS") } else { XCTFail("the goal without a team applied") }
        if case .success(.events(let events)) = outcomes[3] { XCTAssertEqual(events.map(\.seq), [4, 5]) } else { XCTFail("the pair failed") }
        XCTAssertEqual(try net.storage!.loadScores(), board.ledger)
        XCTAssertEqual(board.ledger.events(of: id).map(\.seq), Array(1...5))
    }

    func testAFailedGroupWriteAnnouncesNoneAndReusesNoAnnouncedSeq() throws {
        let net = TestNet.withStorage()
        let board = net.scoreBoard()
        let id = board.liveMatch()
        let fan = net.user("fan")
        fan.send("SCORES FOLLOW \(id)")
        _ = fan.lines()
        net.writer.deferred = true
        var codes: [String] = []
        board.submit(foul(id, minute: 1)) { _ in }
        for minute in 2...4 { board.submit(foul(id, minute: minute)) { if case .failure(let e) = $0 { codes.append(e.code) } } }
        net.writer.runWork()
        net.writer.runCompletions()
        // The second write (three events) fails as a whole.
        try net.storage!.database.write { try $0.execute(sql: "DROP TABLE scoreEvent") }
        net.writer.runPending()
        XCTAssertEqual(codes, Array(repeating: "TEMPORARILY_UNAVAILABLE", count: 3))
        XCTAssertEqual(announcedSeqs(fan), [2])
        XCTAssertEqual(board.ledger.matches[id]?.lastSeq, 2, "the failed batch used up no seq")
    }

    /// Shutting down: jobs taken before `stop()` are still written and
    /// answered (the daemon waits for `unansweredJobs`); jobs after it are
    /// refused at once, not queued for a turn that may never come.
    func testAfterStopNewJobsAreRefusedAndTakenOnesAreStillAnswered() throws {
        let net = TestNet.withStorage()
        let board = net.scoreBoard()
        let id = board.liveMatch()
        net.writer.deferred = true
        var outcomes: [Int: Result<ScoreJobResult, ScoreError>] = [:]
        board.submit(foul(id, minute: 1)) { outcomes[1] = $0 }  // in flight
        board.submit(foul(id, minute: 2)) { outcomes[2] = $0 }  // queued behind it
        XCTAssertEqual(board.unansweredJobs, 2)

        board.stop()
        board.submit(foul(id, minute: 3)) { outcomes[3] = $0 }
        guard case .failure(.shuttingDown)? = outcomes[3] else { return XCTFail("answered \(String(describing: outcomes[3]))") }
        XCTAssertEqual(board.unansweredJobs, 2, "the refused one is not owed")

        net.writer.runPending()
        XCTAssertEqual(board.unansweredJobs, 0)
        for n in [1, 2] {
            if case .success(.events(let events))? = outcomes[n] { XCTAssertEqual(events.map(\.seq), [Int64(n + 1)]) } else { XCTFail("job \(n): \(String(describing: outcomes[n]))") }
        }
        XCTAssertEqual(ScoreError.shuttingDown.code, "TEMPORARILY_UNAVAILABLE")
    }

    /// The loop stopped with a write in flight and a job behind it (shutdown
    /// timed out): `abandon()` answers both, once, even if the write's
    /// result arrives afterwards.
    func testAbandonAnswersEveryJobStillOwedExactlyOnce() throws {
        let net = TestNet.withStorage()
        let board = net.scoreBoard()
        let id = board.liveMatch()
        net.writer.deferred = true
        var answers: [Int: [ScoreError?]] = [:]
        for minute in 1...3 {
            board.submit(foul(id, minute: minute)) { result in
                if case .failure(let error) = result { answers[minute, default: []].append(error) } else { answers[minute, default: []].append(nil) }
            }
        }
        board.stop()
        board.abandon()
        XCTAssertEqual(answers, [1: [.shuttingDown], 2: [.shuttingDown], 3: [.shuttingDown]])
        XCTAssertEqual(board.unansweredJobs, 0)
        net.writer.runPending()  // the write in flight finishes late: no second answer
        XCTAssertEqual(answers, [1: [.shuttingDown], 2: [.shuttingDown], 3: [.shuttingDown]])
    }

    func testTheQueueIsBoundedWithItsOwnError() throws {
        let net = TestNet.withStorage()
        let board = net.scoreBoard { $0.maxEventsPerMatch = 5000 }
        let id = board.liveMatch()
        net.writer.deferred = true
        board.submit(foul(id, minute: 1)) { _ in }  // in flight
        for _ in 0..<ScoreBoard.maxQueued { board.submit(foul(id, minute: 2)) { _ in } }
        XCTAssertEqual(board.queuedCount, ScoreBoard.maxQueued)
        XCTAssertEqual(board.failure(foul(id, minute: 3)), .queueFull(ScoreBoard.maxQueued))
        XCTAssertEqual(ScoreError.queueFull(1000).code, "TEMPORARILY_UNAVAILABLE")
        net.writer.runPending()
        XCTAssertEqual(board.queuedCount, 0)
        XCTAssertEqual(board.ledger.matches[id]?.lastSeq, Int64(2 + ScoreBoard.maxQueued))
    }
}
