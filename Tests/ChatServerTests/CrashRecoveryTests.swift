@testable import ChatServer
import CoreLoop
import Foundation
import GRDB
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// `kill -9` under load: 200 clients, a few chatting in one channel. After
/// a restart on the same data folder every account that was confirmed can
/// log in, and history holds every message a member saw more than the flush
/// window before the kill.
final class CrashRecoveryTests: XCTestCase {
    var dataDir = ""
    var processes: [ChatdProcess] = []

    override func tearDown() {
        for p in processes {
            if p.process.isRunning { p.signal(SIGKILL) }
            p.removeFiles()
        }
        if !dataDir.isEmpty { try? FileManager.default.removeItem(atPath: dataDir) }
    }

    func start() throws -> ChatdProcess {
        // The second "limits" replaces ChatdProcess's (the last key wins):
        // 200 connections from one address, no flood control, no SendQ
        // limit for the members that never read.
        let p = try ChatdProcess(dataDir: dataDir, extraConfig: #"""
            , "limits": {"floodLinesPerSecond": 0, "maxConnectionsPerIP": 0, "sendQueueBytes": 0}
            """#)
        processes.append(p)
        return p
    }

    /// What one member saw of the channel, and when.
    final class Observed: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [(text: String, at: Date)] = []
        func add(_ text: String) { lock.withLock { lines.append((text, Date())) } }
        var count: Int { lock.withLock { lines.count } }
        var all: [(text: String, at: Date)] { lock.withLock { lines } }
    }

    func testKillMinus9UnderLoadLosesNoAccountAndAtMostTheFlushWindow() throws {
        let flushIntervalMillis = 50  // ChatdProcess's setting
        let commitAllowance = 0.5     // seconds for the batch being committed (fsync on a shared, busy disk)
        dataDir = ChatdProcess.temporaryDataDir()
        let server = try start()

        // Accounts confirmed before any load.
        let chatterNames = ["ann", "ben", "cat", "dan"]
        var chatters: [LoopbackIRCClient] = []
        for name in chatterNames {
            let c = try server.connect()
            try c.register(name)
            try c.line("REGISTER * * :password-\(name)")
            try c.waitFor("\(name) registered", timeout: 60) { $0.contains("REGISTER SUCCESS") }
            try c.line("JOIN #load")
            chatters.append(c)
        }
        let observer = try server.connect()
        try observer.register("watcher")
        try observer.line("JOIN #load")
        try observer.waitFor("the observer's join") { $0.contains("366") }
        // The rest of the 200: 45 silent members that never read, 150 idle.
        var others: [LoopbackIRCClient] = []
        for i in 0..<195 {
            let c = try server.connect()
            try c.line("NICK idle\(i)")
            try c.line("USER idle 0 * :idle")
            if i < 45 { try c.line("JOIN #load") }
            others.append(c)
        }
        for c in others { try c.waitForNumeric("376", "422") }
        for c in chatters { try c.line("PING :ready"); try c.waitFor("pong") { $0.contains("ready") } }

        // The observer reads on its own thread until the server dies.
        let seen = Observed()
        let observerDone = DispatchSemaphore(value: 0)
        Thread {
            while let line = try? observer.readLine(timeout: 60) {
                if let range = line.range(of: "PRIVMSG #load :") { seen.add(String(line[range.upperBound...])) }
            }
            observerDone.signal()
        }.start()
        // The chatters talk round-robin, about 1,000 lines a second, until the server is gone.
        let chatDone = DispatchSemaphore(value: 0)
        let perChatter = 3000
        let talkers = chatters
        Thread {
            outer: for i in 1...perChatter {
                for (k, c) in talkers.enumerated() {
                    guard (try? c.line("PRIVMSG #load :\(chatterNames[k]) \(i)")) != nil else { break outer }
                }
                usleep(4000)
            }
            chatDone.signal()
        }.start()

        // An account confirmed in the middle of the load.
        try wait(for: "500 messages seen") { seen.count >= 500 }
        let late = try server.connect()
        try late.register("eve")
        try late.line("REGISTER * * :password-eve")
        try late.waitFor("eve registered", timeout: 60) { $0.contains("REGISTER SUCCESS") }
        try wait(for: "another 2,000 messages seen") { seen.count >= 2500 }

        server.signal(SIGKILL)
        let killedAt = Date()
        _ = try server.waitForExit()
        XCTAssertEqual(chatDone.wait(timeout: .now() + 30), .success, "the chatters never noticed the kill")
        XCTAssertEqual(observerDone.wait(timeout: .now() + 30), .success, "the observer never noticed the kill")
        let observed = seen.all
        chatters = []
        others = []

        let again = try start()
        let probe = try again.connect()
        try probe.register("probe")
        XCTAssertFalse(again.log.contains("error"), "a clean start: \(again.log)")
        for name in chatterNames + ["eve"] {
            let c = try again.connect()
            try c.line("PASS :\(name):password-\(name)")
            try c.line("NICK \(name)")
            try c.line("USER \(name) 0 * :\(name)")
            let reply = try c.waitForNumeric("900", "464", "904", timeout: 60)
            XCTAssertEqual((try? IRCMessage(parsing: reply))?.command, "900", "account \(name) lost: \(reply)")
        }

        var readonly = Configuration()
        readonly.readonly = true
        let database = try DatabaseQueue(path: dataDir + "/chatd.sqlite", configuration: readonly)
        let stored = try database.read {
            try String.fetchAll($0, sql: "SELECT text FROM message WHERE channel = '#load' ORDER BY seq")
        }
        try database.close()
        // Batches commit in order: what is stored is the start of what was said.
        XCTAssertEqual(stored, observed.prefix(stored.count).map(\.text), "stored history is a prefix of the channel")
        let mustHave = killedAt.addingTimeInterval(-(Double(flushIntervalMillis) / 1000 + commitAllowance))
        let required = observed.filter { $0.at <= mustHave }.count
        XCTAssertGreaterThanOrEqual(stored.count, required,
                                    "a message seen before the flush window was lost (first missing: \(observed[min(stored.count, observed.count - 1)].text))")
        XCTAssertGreaterThan(required, 1000, "the load ran long enough to mean something")
        if stored.count < observed.count {
            let lostWindow = killedAt.timeIntervalSince(observed[stored.count].at)
            print("kill -9: \(observed.count - stored.count) of \(observed.count) seen messages lost, the oldest seen \(Int(lostWindow * 1000)) ms before the kill")
        }
        again.signal(SIGTERM)
        XCTAssertEqual(try again.waitForExit(), 0, again.log)
    }

    func wait(for what: String, timeout: Double = 60, _ condition: () -> Bool) throws {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition() {
            guard Date() < deadline else { throw LoopbackTimeout(waitingFor: what) }
            usleep(5_000)
        }
    }
}
