@testable import ChatServer
import CoreLoop
import Foundation
import GRDB
import Logging
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The daemon as a real process on a real data folder.
final class DurabilityTests: XCTestCase {
    let chatds = ChatdProcesses()

    override func tearDown() { chatds.removeAll() }

    func start(_ dir: String) throws -> ChatdProcess { try chatds.start(dataDir: dir) }

    func newDataDir() -> String { chatds.newDataDir() }

    /// Connects, registers the nick and creates the account `alice`.
    func registeredAlice(on server: ChatdProcess) throws -> LoopbackIRCClient {
        let alice = try server.connect()
        try alice.register("alice")
        try alice.line("REGISTER * * :correct horse")
        try alice.waitFor("registered") { $0.contains("REGISTER SUCCESS") }
        return alice
    }

    /// Logs in to the account `alice` with PASS and waits for the welcome.
    func logInAsAlice(_ client: LoopbackIRCClient) throws {
        try client.line("PASS :alice:correct horse")
        try client.line("NICK alice")
        try client.line("USER a 0 * :A")
        try client.waitForNumeric("900")
        try client.waitForNumeric("376")
    }

    /// Joins and collects the replay, which comes as a batch (its end marks the end).
    func history(of client: LoopbackIRCClient, channel: String) throws -> [String] {
        try client.line("CAP REQ :batch server-time")
        try client.line("JOIN \(channel)")
        var texts: [String] = []
        while let line = try client.readLine(), !line.contains(" BATCH -") {
            if let range = line.range(of: "PRIVMSG \(channel) :") { texts.append(String(line[range.upperBound...])) }
        }
        return texts
    }

    func testGracefulShutdownFlushesHistoryAndKeepsAccounts() throws {
        let dir = newDataDir()
        let server = try start(dir)
        let alice = try registeredAlice(on: server)
        try alice.line("JOIN #log")
        for i in 1...30 { try alice.line("PRIVMSG #log :line \(i)") }
        try alice.line("PING :sent")
        try alice.waitFor("pong") { $0.contains("sent") }

        server.signal(SIGTERM)
        let rest = try alice.readToEnd()
        XCTAssertEqual(rest.last, "ERROR :Closing Link: 127.0.0.1 (Server shutting down)")
        XCTAssertEqual(try server.waitForExit(), 0, server.log)
        XCTAssertTrue(server.log.contains("history flushed"), server.log)

        let again = try start(dir)
        let bob = try again.connect()
        try logInAsAlice(bob)
        XCTAssertEqual(try history(of: bob, channel: "#log").count, 20, "replay is capped at replayOnJoin")
        try bob.line("CAP REQ :batch")
        try bob.line("CHATHISTORY LATEST #log * 100")
        var all: [String] = []
        while let line = try bob.readLine(), !line.contains("BATCH -") {
            if line.contains("PRIVMSG #log :") { all.append(String(line[line.range(of: "#log :")!.upperBound...])) }
        }
        XCTAssertEqual(all, (1...30).map { "line \($0)" }, "every line survived the restart, in order")
        again.signal(SIGINT)
        XCTAssertEqual(try again.waitForExit(), 0)
    }

    func testKillMinus9LosesNoAccountAndNothingAlreadyFlushed() throws {
        let dir = newDataDir()
        let server = try start(dir)
        let alice = try registeredAlice(on: server)
        try alice.line("JOIN #crash")
        for i in 1...10 { try alice.line("PRIVMSG #crash :before \(i)") }
        // Wait until the flush window has passed and the rows are on disk.
        let database = try DatabaseQueue(path: dir + "/chatd.sqlite", configuration: { var c = Configuration(); c.readonly = true; return c }())
        let deadline = Date().addingTimeInterval(30)
        while try database.read({ try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM message") ?? 0 }) < 10 {
            // Throw, not assert: an assertion in the loop would record a
            // failure per turn and never leave it.
            guard Date() < deadline else { throw LoopbackTimeout(waitingFor: "the history to reach the disk") }
            usleep(10_000)
        }
        try database.close()
        server.signal(SIGKILL)
        _ = try server.waitForExit()

        let again = try start(dir)
        let back = try again.connect()
        try logInAsAlice(back)
        XCTAssertEqual(try history(of: back, channel: "#crash"), (1...10).map { "before \($0)" })
        again.signal(SIGTERM)
        XCTAssertEqual(try again.waitForExit(), 0)
    }

    func testUnusableDataFolderOrDatabaseStopsStartupWithAClearError() throws {
        let blocker = newDataDir()
        XCTAssertTrue(FileManager.default.createFile(atPath: blocker, contents: Data("a file, not a folder".utf8)))
        let server = try start(blocker + "/sub")
        XCTAssertEqual(try server.waitForExit(), 73)
        XCTAssertTrue(server.log.contains("data folder"), server.log)

        let dir = newDataDir()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Data(repeating: 0x42, count: 4096).write(to: URL(fileURLWithPath: dir + "/chatd.sqlite"))
        let broken = try start(dir)
        XCTAssertEqual(try broken.waitForExit(), 74)
        XCTAssertTrue(broken.log.contains("cannot open database"), broken.log)
    }

    func testTearDownKillsAndReapsTheDaemon() throws {
        let server = try start(newDataDir())
        _ = try server.connect()
        let pid = server.process.processIdentifier
        ChatdProcesses.killAndReap(server)
        // A process killed but not yet waited for would still answer kill(pid, 0), as a zombie.
        XCTAssertEqual(kill(pid, 0), -1, "chatd is gone, not even a zombie")
        XCTAssertEqual(errno, ESRCH)
    }
}
