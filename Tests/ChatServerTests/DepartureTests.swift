@testable import ChatServer
import CoreLoop
import Foundation
import XCTest

/// Connections that end together quit together (`Departures`,
/// `Departures.quitTogether`): the crowd leaves its channels first, then the
/// members left hear each QUIT once; nobody of the crowd is sent the others'.
final class DepartureTests: XCTestCase {
    func testACrowdLeavesFirstAndTheOthersHearEachQuitOnce() throws {
        let net = TestNet { $0.limits.floodLinesPerSecond = 0 }
        let crowd = (0..<5).map { net.user("crowd\($0)") }
        for user in crowd { user.send("JOIN #room") }
        crowd[0].send("JOIN #side")
        let stay = net.user("stay")
        stay.send("JOIN #room")
        stay.send("JOIN #side")  // shares two channels with crowd0: one QUIT
        let elsewhere = net.user("elsewhere")
        elsewhere.send("JOIN #other")
        for user in crowd + [stay, elsewhere] { _ = user.lines() }

        net.server.departures.quitTogether(crowd.map { ($0.client!, "Connection closed") })

        let quits = stay.lines().filter { $0.contains(" QUIT ") }
        XCTAssertEqual(quits.sorted(), (0..<5).map { ":crowd\($0)!~crowd\($0)@127.0.0.1 QUIT :Connection closed" })
        for user in crowd { XCTAssertEqual(user.lines(), [], "the crowd is not told of itself") }
        elsewhere.assertNothingUnread("shares no channel")
        let room = try XCTUnwrap(net.server.channel(named: "#room"))
        XCTAssertEqual(room.members.count, 1)
        XCTAssertEqual(net.server.channel(named: "#side")?.members.count, 1)
        XCTAssertNil(net.server.client(named: "crowd3"))
        stay.send("WHOWAS crowd3")
        XCTAssertTrue(stay.lines().contains { $0.contains(" 314 stay crowd3 ") }, "remembered for WHOWAS")
        stay.send("LUSERS")
        XCTAssertTrue(stay.lines().contains { $0.contains("There are 2 users") })
    }

    /// Users who time out in the same sweep quit together too: each gets
    /// its ERROR, none the others' QUITs; whoever answered hears each once.
    func testUsersTimingOutTogetherQuitTogether() {
        let net = TestNet { $0.limits.pingIntervalSeconds = 60; $0.limits.pingTimeoutSeconds = 30 }
        let silent = (0..<3).map { net.user("gone\($0)") }
        let stay = net.user("stay")
        for user in silent + [stay] { user.send("JOIN #room") }
        for user in silent + [stay] { _ = user.lines() }
        net.clock.advance(seconds: 61)
        net.server.tick()
        stay.send("PONG test.server")
        net.clock.advance(seconds: 31)
        net.server.tick()
        for user in silent {
            XCTAssertEqual(user.plainLines(), ["PING test.server", "ERROR :Closing Link: 127.0.0.1 (Ping timeout: 90 seconds)"])
            XCTAssertNotNil(user.closed)
        }
        XCTAssertEqual(stay.plainLines().filter { $0.contains(" QUIT ") }.sorted(),
                       (0..<3).map { ":gone\($0)!~gone\($0)@127.0.0.1 QUIT :Ping timeout: 90 seconds" })
        XCTAssertEqual(net.server.channel(named: "#room")?.members.count, 1)
    }

    func testAClientAlreadyGoneByAnotherPathIsSkipped() {
        let net = TestNet()
        let a = net.user("a"), b = net.user("b"), stay = net.user("stay")
        for user in [a, b, stay] { user.send("JOIN #room") }
        _ = stay.lines()
        net.server.quit(a.client!, reason: "Killed")
        net.server.departures.quitTogether([(a.client!, "Connection closed"), (b.client!, "Connection closed")])
        XCTAssertEqual(stay.lines().filter { $0.contains(" QUIT ") }.count, 2, "a once (killed), b once")
    }

    func testWithoutALoopAHangUpQuitsAtOnce() {
        let net = TestNet()
        let a = net.user("a"), stay = net.user("stay")
        a.send("JOIN #room")
        stay.send("JOIN #room")
        _ = stay.lines()
        net.server.transportClosed(a.client!, reason: "Connection closed")
        XCTAssertEqual(stay.lines().filter { $0.contains(" QUIT ") }.count, 1)
        XCTAssertEqual(net.server.departures.count, 0)
    }

    /// Over sockets: a crowd's connections closed together; the one who
    /// stays hears each QUIT exactly once and the server ends with one user.
    func testSocketsClosedTogetherReachTheOneWhoStays() throws {
        let server = try DaemonThread {
            $0.serverName = "crowd.test"
            $0.limits.maxConnectionsPerIP = 0
            $0.limits.floodLinesPerSecond = 0
        }
        server.start()
        defer { server.stop() }
        let stay = try LoopbackIRCClient(port: server.port)
        try stay.register("stay")
        try stay.line("JOIN #crowd")
        try stay.waitForNumeric("366")
        var crowd = try (0..<60).map { i -> LoopbackIRCClient in
            let c = try LoopbackIRCClient(port: server.port)
            try c.line("NICK crowd\(i)")
            try c.line("USER c 0 * :Crowd \(i)")
            try c.line("JOIN #crowd")
            return c
        }
        for i in 0..<60 { _ = try stay.waitFor("join of crowd\(i)") { $0.hasPrefix(":crowd\(i)!") && $0.contains(" JOIN ") } }
        crowd.removeAll()  // every socket closed (deinit) at once
        var quits: [String: Int] = [:]
        while quits.count < 60 {
            let line = try stay.waitFor("60 QUITs, have \(quits.count)") { $0.contains(" QUIT ") }
            quits[String(line.dropFirst().prefix { $0 != "!" }), default: 0] += 1
        }
        try stay.line("PING :end")
        _ = try stay.waitFor("PONG") { $0.contains("PONG") }
        XCTAssertEqual(Set(quits.keys), Set((0..<60).map { "crowd\($0)" }))
        XCTAssertTrue(quits.values.allSatisfy { $0 == 1 }, "each QUIT once")
        let done = DispatchSemaphore(value: 0)
        var users = -1, members = -1
        server.daemon.loop.execute {
            users = server.daemon.server.clients.all.filter(\.isRegistered).count
            members = server.daemon.server.channel(named: "#crowd")?.members.count ?? 0
            done.signal()
        }
        XCTAssertEqual(done.wait(timeout: .now() + 20), .success)
        XCTAssertEqual(users, 1)
        XCTAssertEqual(members, 1)
    }
}
