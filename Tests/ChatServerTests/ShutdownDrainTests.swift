@testable import ChatServer
import CoreLoop
import Foundation
import GRDB
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// SIGTERM writes everything first: the real chatd, a burst of input, and
/// a storage writer held up past the grace period.
final class ShutdownDrainTests: XCTestCase {
    var dataDirs: [String] = []
    var processes: [ChatdProcess] = []

    override func tearDown() {
        for p in processes {
            if p.process.isRunning { p.signal(SIGKILL) }
            p.removeFiles()
        }
        for dir in dataDirs { try? FileManager.default.removeItem(atPath: dir) }
    }

    /// `extra` is appended to ChatdProcess's config object; a key given
    /// again (`"limits"`) replaces the base one (the last key wins).
    func start(_ dir: String, extra: String = "") throws -> ChatdProcess {
        let p = try ChatdProcess(dataDir: dir, extraConfig: extra)
        processes.append(p)
        return p
    }

    func newDataDir() -> String {
        let dir = ChatdProcess.temporaryDataDir()
        dataDirs.append(dir)
        return dir
    }

    func storedTexts(_ dir: String, channel: String) throws -> [String] {
        var configuration = Configuration()
        configuration.readonly = true
        let database = try DatabaseQueue(path: dir + "/chatd.sqlite", configuration: configuration)
        defer { try? database.close() }
        return try database.read {
            try String.fetchAll($0, sql: "SELECT text FROM message WHERE channel = ? ORDER BY seq", arguments: [channel])
        }
    }

    /// Polls `condition` every 10 ms until it holds; fails with `what` after `timeout`.
    func wait(for what: String, timeout: Double = 30, _ condition: () throws -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while try !condition() {
            guard Date() < deadline else { throw LoopbackTimeout(waitingFor: what) }
            usleep(10_000)
        }
    }

    func testSigtermRightAfterABurstKeepsEveryMessage() throws {
        let dir = newDataDir()
        let count = 10_000
        let server = try start(dir, extra: #", "limits": {"floodLinesPerSecond": 0, "sendQueueBytes": 0}"#)
        let alice = try server.connect()
        try alice.register("alice")
        try alice.line("JOIN #burst")
        var burst = ""
        for i in 1...count { burst += "PRIVMSG #burst :m\(i)\r\n" }
        try alice.send(burst)
        server.signal(SIGTERM)  // the last line has just been handed to the kernel

        let rest = try alice.readToEnd(timeout: 60)
        XCTAssertEqual(rest.last, "ERROR :Closing Link: 127.0.0.1 (Server shutting down)")
        XCTAssertEqual(try server.waitForExit(timeout: 60), 0, server.log)
        XCTAssertTrue(server.log.contains("history flushed"), server.log)

        let again = try start(dir)
        let bob = try again.connect()
        try bob.register("bob")
        try bob.line("CAP REQ :batch")
        try bob.waitFor("the ACK") { $0.contains(" ACK ") }
        try bob.line("JOIN #burst")
        try bob.line("CHATHISTORY LATEST #burst * 100")
        try bob.waitFor("the chathistory batch") { $0.contains("BATCH +") && $0.contains("chathistory") && !$0.contains("JOIN") }
        var latest: [String] = []
        while let line = try bob.readLine(), !line.contains("BATCH -") {
            if let range = line.range(of: "PRIVMSG #burst :") { latest.append(String(line[range.upperBound...])) }
        }
        XCTAssertEqual(latest, (count - 99...count).map { "m\($0)" })
        let stored = try storedTexts(dir, channel: "#burst")
        XCTAssertEqual(stored.count, count)
        XCTAssertEqual(stored, (1...count).map { "m\($0)" }, "every line, in order")
        again.signal(SIGTERM)
        XCTAssertEqual(try again.waitForExit(), 0, again.log)
    }

    /// Another connection holds the database's write lock, so every write
    /// waits 5 s (the busy timeout) and fails: shutdown must keep the
    /// messages (retrying) and the queued topic save past the 5 s grace
    /// period, until the lock goes.
    func testShutdownWaitsForTheWriterPastTheGracePeriod() throws {
        let dir = newDataDir()
        let server = try start(dir, extra: #", "shutdownTimeoutSeconds": 60"#)
        let alice = try server.connect()
        try alice.register("alice")
        try alice.line("JOIN #slow")
        try alice.waitFor("the join") { $0.contains("JOIN") }  // the channel row exists nowhere yet: no writes so far

        var unsafe = Configuration()
        unsafe.allowsUnsafeTransactions = true  // the lock is held across calls
        let blocker = try DatabaseQueue(path: dir + "/chatd.sqlite", configuration: unsafe)
        try blocker.writeWithoutTransaction { try $0.execute(sql: "BEGIN IMMEDIATE") }
        for i in 1...20 { try alice.line("PRIVMSG #slow :line \(i)") }
        try alice.line("TOPIC #slow :Saved through the same writer")
        // Alice hears her TOPIC only once it is stored (and her input waits
        // until then), so another user sees that the server has it.
        // (Asked again until it shows: alice's lines may still be on their way in.)
        let bob = try server.connect()
        try bob.register("bob")
        let asked = Date()
        while true {
            try bob.line("TOPIC #slow")
            let answer = try bob.waitForNumeric("331", "332")
            if answer.contains(" 332 bob #slow :Saved through the same writer") { break }
            guard Date().timeIntervalSince(asked) < 20 else { throw LoopbackTimeout(waitingFor: "the topic to be set") }
            usleep(20_000)
        }
        let signalled = Date()
        server.signal(SIGTERM)
        XCTAssertEqual(try alice.readToEnd().last, "ERROR :Closing Link: 127.0.0.1 (Server shutting down)")
        try wait(for: "the log to say shutdown waits for storage") { server.log.contains("waiting for storage") }
        // The old grace period (5 s) passes with the server still waiting.
        try wait(for: "the grace period to pass", timeout: 20) {
            XCTAssertTrue(server.process.isRunning, "chatd gave up on the writer: \(server.log)")
            return Date().timeIntervalSince(signalled) > 6 || !server.process.isRunning
        }
        try blocker.writeWithoutTransaction { try $0.execute(sql: "COMMIT") }
        try blocker.close()

        XCTAssertEqual(try server.waitForExit(timeout: 30), 0, server.log)
        XCTAssertTrue(server.log.contains("history flushed"), server.log)
        XCTAssertEqual(try storedTexts(dir, channel: "#slow"), (1...20).map { "line \($0)" } + ["Saved through the same writer"],
                       "the TOPIC is a history row too (event-playback)")
        var readonly = Configuration()
        readonly.readonly = true
        let database = try DatabaseQueue(path: dir + "/chatd.sqlite", configuration: readonly)
        XCTAssertEqual(try database.read { try String.fetchOne($0, sql: "SELECT topic FROM channel WHERE folded = '#slow'") },
                       "Saved through the same writer", "a topic save queued behind the history waits too")
        try database.close()
    }
}
