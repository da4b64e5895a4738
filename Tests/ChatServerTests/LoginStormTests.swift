@testable import ChatServer
import CoreLoop
import Foundation
import XCTest

/// Many logins hash on the workers while chat round trips stay fast.
final class LoginStormTests: XCTestCase {
    func testPasswordHashingDoesNotStallTheLoop() throws {
        let savedCost = PasswordHasher.cost
        PasswordHasher.cost = 7  // slow enough that one hash on the loop would show
        defer { PasswordHasher.cost = savedCost }

        let dir = ChatdProcess.temporaryDataDir()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let storage = try ChatStorage(path: dir + "/chatd.sqlite")
        let started = Date()
        let hash = try PasswordHasher.hash("correct horse")
        let hashSeconds = Date().timeIntervalSince(started)
        try storage.createAccount(AccountRecord(name: "member", email: nil, passwordHash: hash, createdAtMillis: 0))

        let server = try DaemonThread(storage: storage) {
            $0.serverName = "storm.test"
            $0.limits.floodLinesPerSecond = 0
            $0.limits.maxConnectionsPerIP = 0
            $0.accounts.loginMaxFailures = 0
        }
        server.start()
        defer { server.stop() }
        let port = server.port

        let chatter = try LoopbackIRCClient(port: port)
        try chatter.register("chatter")

        let logins = 16
        let payload = Data("\0member\0correct horse".utf8).base64EncodedString()
        let clients = try (0..<logins).map { _ in try LoopbackIRCClient(port: port) }
        for c in clients { try c.send("AUTHENTICATE PLAIN\r\nAUTHENTICATE \(payload)\r\n") }

        // Ping through the storm until every login has its answer.
        var roundTrips: [Double] = []
        var done = Set<Int>()
        let deadline = Date().addingTimeInterval(120)
        while done.count < logins {
            // Throw, not assert: an assertion here would fail every turn and never end the loop.
            guard Date() < deadline else { throw LoopbackTimeout(waitingFor: "the log-ins (\(done.count) of \(logins) answered)") }
            let sent = Date()
            try chatter.line("PING :\(roundTrips.count)")
            try chatter.waitFor("pong") { $0.hasSuffix(":\(roundTrips.count)") }
            roundTrips.append(Date().timeIntervalSince(sent))
            for (i, c) in clients.enumerated() where !done.contains(i) {
                if let line = try? c.readLine(timeout: 0.001), line.contains(" 903 ") || line.contains(" 904 ") {
                    XCTAssertTrue(line.contains(" 903 "), line)
                    done.insert(i)
                }
            }
        }
        let worst = roundTrips.max() ?? 0
        // 16 hashes on 2 workers take several hash-times; the loop answered
        // many pings meanwhile, each far quicker than one hash.
        XCTAssertGreaterThan(roundTrips.count, 5, "pings kept flowing during the storm")
        XCTAssertLessThan(worst, hashSeconds / 2, "worst round trip \(worst)s vs one hash \(hashSeconds)s")
    }
}
