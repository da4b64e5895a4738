@testable import ChatServer
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The real chatd with the simulator on a fixed seed, killed with -9 and
/// started again on the same data folder.
final class ScoreRestartTests: XCTestCase {
    let chatds = ChatdProcesses()

    override func tearDown() { chatds.removeAll() }

    /// `SCORES SHOW 1` as (seq, type) pairs.
    private func events(_ client: LoopbackIRCClient) throws -> [(Int, String)] {
        try client.line("SCORES SHOW 1")
        var events: [(Int, String)] = []
        while true {
            let line = try client.waitFor("SCORES lines") { $0.contains(" SCORES ") || $0.contains(" FAIL ") }
            let words = line.split(separator: " ").map(String.init)
            if words.contains("FAIL") || words.contains("END") { return events }
            if words.count > 5 && words[2] == "EVENT" { events.append((Int(words[4])!, words[5])) }
        }
    }

    /// Asks until match 1 has at least `count` events (bounded by `timeout`).
    private func waitForEvents(_ client: LoopbackIRCClient, atLeast count: Int, timeout: Double = 30) throws -> [(Int, String)] {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let now = try events(client)
            if now.count >= count { return now }
            guard Date() < deadline else { throw LoopbackTimeout(waitingFor: "\(count) events of match 1 (have \(now.count))") }
            usleep(50_000)
        }
    }

    func testAfterKillMinus9TheEventsAreThereAndSeqContinues() throws {
        let dir = chatds.newDataDir()
        let config = #", "scores": {"simulator": true, "simulatorMatches": 1, "intervalMillis": 200, "seed": 5}"#
        let first = try chatds.start(dataDir: dir, extraConfig: config)
        let a = try first.connect()
        try a.register("before")
        let before = try waitForEvents(a, atLeast: 5)
        first.signal(SIGKILL)
        _ = try first.waitForExit()

        let second = try chatds.start(dataDir: dir, extraConfig: config)
        let b = try second.connect()
        try b.register("after")
        let after = try waitForEvents(b, atLeast: before.count + 3)
        // Everything announced before the kill is still there, under the same seqs…
        XCTAssertEqual(after.prefix(before.count).map(\.0), before.map(\.0))
        XCTAssertEqual(after.prefix(before.count).map(\.1), before.map(\.1))
        // …and the new events continue from there, without a gap or a reused seq.
        XCTAssertEqual(after.map(\.0), Array(1...after.count))
    }
}
