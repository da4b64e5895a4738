import Foundation
import GRDB
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// chatctl as a process against chatd as a process.
final class ChatctlTests: XCTestCase {
    var processes: [ChatdProcess] = []
    var dirs: [String] = []

    override func tearDown() {
        for p in processes {
            if p.process.isRunning { p.signal(SIGKILL) }
            p.removeFiles()
        }
        for d in dirs { try? FileManager.default.removeItem(atPath: d) }
    }

    func startChatd() throws -> ChatdProcess {
        let dir = ChatdProcess.temporaryDataDir()
        dirs.append(dir)
        let p = try ChatdProcess(dataDir: dir)
        processes.append(p)
        return p
    }

    /// Runs chatctl; returns exit status, stdout and stderr.
    func chatctl(_ args: [String]) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ChatdProcess.binary).deletingLastPathComponent().appendingPathComponent("chatctl")
        process.arguments = args
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    func testKickFromChatctlIsSeenByTheOtherMember() throws {
        let server = try startChatd()
        let op = try server.connect(), bob = try server.connect()
        try op.register("op"); try bob.register("bob")
        try op.line("JOIN #lobby")
        try op.waitForNumeric("366")
        try bob.line("JOIN #lobby")
        try op.waitFor("bob joined") { $0.hasPrefix(":bob!") }
        let socket = server.dataDir + "/console.sock"

        let status = try chatctl(["status", "--socket", socket])
        XCTAssertEqual(status.status, 0, status.err)
        for field in ["version", "users", "connectionsRefused", "historyUnwritten", "loopLagMaxMillis"] {
            XCTAssertTrue(status.out.contains(field), "status shows \(field): \(status.out)")
        }
        XCTAssertFalse(status.out.contains(" ok "), "the protocol's ok flag is not a field")

        let users = try chatctl(["users", "--socket", socket])
        XCTAssertEqual(users.status, 0, users.err)
        XCTAssertTrue(users.out.hasPrefix("NICK"), users.out)
        XCTAssertTrue(users.out.contains("bob"))

        let kicked = try chatctl(["kick", "#lobby", "bob", "no", "spamming", "--socket", socket])
        XCTAssertEqual(kicked.status, 0, kicked.err)
        try op.waitFor("kick") { $0 == ":proc.test KICK #lobby bob :no spamming" }
        try bob.waitFor("kick") { $0 == ":proc.test KICK #lobby bob :no spamming" }

        let again = try chatctl(["kick", "#lobby", "bob", "--socket", socket])
        XCTAssertEqual(again.status, 1)
        XCTAssertEqual(again.err, "chatctl: bob is not on #lobby\n")

        let raw = try chatctl(["channels", "--json", "--socket", socket])
        XCTAssertTrue(raw.out.contains("\"ok\" : true"), raw.out)
    }

    func testShutdownFromChatctlEndsTheDaemonCleanly() throws {
        let server = try startChatd()
        let alice = try server.connect()
        try alice.register("alice")
        try alice.line("JOIN #log")
        for i in 1...5 { try alice.line("PRIVMSG #log :kept \(i)") }
        try alice.line("PING :sent")
        try alice.waitFor("pong") { $0.contains("sent") }

        let result = try chatctl(["shutdown", "--grace", "2", "--message", "maintenance", "--socket", server.dataDir + "/console.sock"])
        XCTAssertEqual(result.status, 0, result.err)
        XCTAssertEqual(try alice.readToEnd().last, "ERROR :Closing Link: 127.0.0.1 (maintenance)")
        XCTAssertEqual(try server.waitForExit(), 0, server.log)
        XCTAssertFalse(FileManager.default.fileExists(atPath: server.dataDir + "/console.sock"), "socket file removed")
        let db = try DatabaseQueue(path: server.dataDir + "/chatd.sqlite")
        XCTAssertEqual(try db.read { try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM message") }, 5, "history is on disk")
    }

    func testArgumentErrorsAndAServerThatIsNotRunning() throws {
        let missing = try chatctl(["kick", "#lobby"])
        XCTAssertEqual(missing.status, 64, "usage error")
        XCTAssertTrue(missing.err.contains("Missing expected argument"), missing.err)
        let badGrace = try chatctl(["shutdown", "--grace", "-3"])
        XCTAssertEqual(badGrace.status, 64)
        let notRunning = try chatctl(["status", "--socket", "/tmp/no-such-chatd.sock"])
        XCTAssertEqual(notRunning.status, 69)
        XCTAssertEqual(notRunning.err, "chatctl: chatd is not running (no console socket at /tmp/no-such-chatd.sock)\n")
        let help = try chatctl(["--help"])
        XCTAssertEqual(help.status, 0)
        for verb in ["status", "users", "channels", "kick", "disconnect", "wall", "topic", "shutdown"] {
            XCTAssertTrue(help.out.contains(verb), "help lists \(verb)")
        }
    }

    func testReloadFromChatctlChangesTheMotdAndRefusesABadFile() throws {
        let server = try startChatd()
        let socket = server.dataDir + "/console.sock"
        let early = try server.connect()
        try early.register("early")
        try """
        {"serverName": "proc.test", "motd": "Fresh news", "limits": {"floodLinesPerSecond": 0}}
        """.write(toFile: server.configPath, atomically: true, encoding: .utf8)
        let reloaded = try chatctl(["reload", "--socket", socket])
        XCTAssertEqual(reloaded.status, 0, reloaded.err)
        let later = try server.connect()
        try later.line("NICK later")
        try later.line("USER later 0 * :L")
        try later.waitFor("new motd") { $0.hasSuffix(":- Fresh news") }

        try #"{"limits": {"nickLength": "long"}}"#.write(toFile: server.configPath, atomically: true, encoding: .utf8)
        let refused = try chatctl(["reload", "--socket", socket])
        XCTAssertEqual(refused.status, 1)
        XCTAssertTrue(refused.err.contains("reload refused, old configuration kept") && refused.err.contains("limits.nickLength"), refused.err)
        try early.line("PING :still-here")
        try early.waitFor("pong") { $0.hasSuffix("still-here") }

        let created = try chatctl(["accounts", "create", "zoe", "--password", "long password", "--socket", socket])
        XCTAssertEqual(created.status, 0, created.err)
        let listed = try chatctl(["accounts", "--socket", socket])
        XCTAssertTrue(listed.out.contains("zoe"), listed.out)
        let banned = try chatctl(["ban", "--account", "zoe", "--duration", "60", "--socket", socket])
        XCTAssertEqual(banned.status, 0, banned.err)
        XCTAssertTrue(try chatctl(["bans", "--socket", socket]).out.contains("zoe"))
        XCTAssertEqual(try chatctl(["ban", "--socket", socket]).status, 64, "needs --account or --mask")
    }
}
