@testable import ChatServer
import CoreLoop
import Foundation
import XCTest

/// The daemon on real loopback sockets, its loop on its own thread.
final class LoopbackIntegrationTests: XCTestCase {
    var server: DaemonThread?
    var port: Int { server!.port }

    func start(_ configure: (inout ServerConfig) -> Void = { _ in }) throws {
        server = try DaemonThread {
            $0.serverName = "loop.test"
            configure(&$0)
        }
        server!.start()
    }

    override func tearDown() { server?.stop() }

    /// Runs `body` on the daemon's loop thread and returns its result.
    func onLoop<T>(_ body: @escaping () -> T) -> T {
        let done = DispatchSemaphore(value: 0)
        var result: T?
        server!.daemon.loop.execute { result = body(); done.signal() }
        _ = done.wait(timeout: .now() + 20)
        return result!
    }

    func testBytesOfAConnectionTheServerClosedStayCounted() throws {
        try start()
        let c = try LoopbackIRCClient(port: port)
        try c.register("leaver")  // the welcome alone is over a kilobyte
        try c.line("QUIT :bye")
        _ = try c.readToEnd()
        let deadline = Date().addingTimeInterval(20)
        var total: (in: UInt64, out: UInt64) = (0, 0)
        while Date() < deadline {
            total = onLoop { self.server!.daemon.server.totalBytes() }
            if total.out >= 1000 { break }
            usleep(10_000)
        }
        XCTAssertGreaterThanOrEqual(total.out, 1000, "bytes sent to the client that quit")
        XCTAssertGreaterThan(total.in, 20, "NICK, USER and QUIT")
    }

    func testBroadcastReachesAllMembersInOrder() throws {
        try start { $0.limits.floodLinesPerSecond = 0 }  // 50 lines at once would be throttled
        let members = try (0..<8).map { i -> LoopbackIRCClient in
            let c = try LoopbackIRCClient(port: port)
            try c.register("member\(i)")
            try c.line("JOIN #room")
            try c.waitForNumeric("366")
            return c
        }
        // Everyone has seen every later join before the messages start.
        for (i, c) in members.enumerated() {
            for j in (i + 1)..<members.count { try c.waitFor("join of \(j)") { $0.contains("member\(j)!") && $0.contains("JOIN") } }
        }
        let sender = members[0]
        for n in 0..<50 { try sender.line("PRIVMSG #room :message \(n)") }
        for c in members.dropFirst() {
            for n in 0..<50 {
                let line = try c.waitFor("message \(n)") { $0.contains("PRIVMSG #room") }
                XCTAssertTrue(line.hasSuffix(":message \(n)"), line)
            }
        }
    }

    func testKickNickChangeAndQuitOverSockets() throws {
        try start()
        let op = try LoopbackIRCClient(port: port), bob = try LoopbackIRCClient(port: port), carol = try LoopbackIRCClient(port: port)
        try op.register("op"); try bob.register("bob"); try carol.register("carol")
        for c in [op, bob, carol] {
            try c.line("JOIN #k")
            try c.waitForNumeric("366")
        }
        try op.waitFor("carol joined") { $0.hasPrefix(":carol!") }
        try bob.waitFor("carol joined") { $0.hasPrefix(":carol!") }

        try bob.line("NICK robert")
        for c in [op, carol] { try c.waitFor("nick change") { $0 == ":bob!~bob@127.0.0.1 NICK robert" } }

        try op.line("KICK #k robert :behave")
        for c in [op, bob, carol] { try c.waitFor("kick") { $0 == ":op!~op@127.0.0.1 KICK #k robert :behave" } }

        try carol.line("QUIT :done")
        XCTAssertEqual(try carol.readToEnd().last, "ERROR :Closing Link: 127.0.0.1 (Quit: done)")
        try op.waitFor("quit") { $0 == ":carol!~carol@127.0.0.1 QUIT :Quit: done" }
        // Exactly once: the next thing op sees is its own PONG.
        try op.line("PING :marker")
        let next = try op.readLine()
        XCTAssertEqual(next, ":loop.test PONG loop.test :marker")
    }

    func testDisconnectInTheMiddleOfALineIsAQuitForOthers() throws {
        try start()
        let alice = try LoopbackIRCClient(port: port), bob = try LoopbackIRCClient(port: port)
        try alice.register("alice"); try bob.register("bob")
        try alice.line("JOIN #x")
        try alice.waitForNumeric("366")  // alice is in before bob joins
        try bob.line("JOIN #x")
        try alice.waitFor("bob joined") { $0.hasPrefix(":bob!") }
        try bob.send("PRIVMSG #x :half a li")  // no line end
        bob.closeNow()
        let quit = try alice.waitFor("quit") { $0.contains(" QUIT ") }
        // FIN or, if bob's socket still held unread lines, RST: both are a departure.
        XCTAssertTrue([":bob!~bob@127.0.0.1 QUIT :Connection closed", ":bob!~bob@127.0.0.1 QUIT :Connection reset by peer"].contains(quit), quit)
        try alice.line("PING :after")
        XCTAssertEqual(try alice.readLine(), ":loop.test PONG loop.test :after", "the half line was never delivered")
    }

    func testSlowReaderHitsTheSendQueueLimitWhileOthersAreUnaffected() throws {
        try start {
            $0.limits.sendQueueBytes = 64 * 1024
            $0.limits.floodLinesPerSecond = 0
        }
        let sender = try LoopbackIRCClient(port: port), fast = try LoopbackIRCClient(port: port)
        let slow = try LoopbackIRCClient(port: port, receiveBuffer: 4096)
        try sender.register("sender"); try fast.register("fast"); try slow.register("slow")
        for c in [sender, fast, slow] {
            try c.line("JOIN #firehose")
            try c.waitForNumeric("366")
        }
        try sender.waitFor("slow joined") { $0.hasPrefix(":slow!") }
        // slow stops reading; 4 MB of chat goes by.
        let text = String(repeating: "z", count: 400)
        var got = 0
        var slowGone = false
        for n in 0..<10_000 {
            try sender.line("PRIVMSG #firehose :\(n) \(text)")
            if n % 100 == 99 {
                // The fast reader keeps up and sees everything, in order.
                while got <= n {
                    let line = try fast.waitFor("message \(got)") { $0.contains("PRIVMSG #firehose") || $0.contains(" QUIT ") }
                    if line.contains(" QUIT ") { slowGone = true; continue }
                    XCTAssertTrue(line.hasSuffix(":\(got) \(text)"))
                    got += 1
                }
                if slowGone { break }
            }
        }
        XCTAssertTrue(slowGone, "the slow reader was dropped")
        XCTAssertTrue(fast.received.contains(":slow!~slow@127.0.0.1 QUIT :SendQ exceeded"))
        try fast.line("PING :ok")
        try fast.waitFor("pong") { $0 == ":loop.test PONG loop.test :ok" }
    }

    func testSilentClientIsClosedWithPingTimeout() throws {
        try start {
            $0.limits.pingIntervalSeconds = 1
            $0.limits.pingTimeoutSeconds = 1
        }
        let silent = try LoopbackIRCClient(port: port)
        try silent.register("silent")
        try silent.waitFor("ping", timeout: 30) { $0 == "PING loop.test" }
        let rest = try silent.readToEnd(timeout: 30)
        XCTAssertEqual(rest.last, "ERROR :Closing Link: 127.0.0.1 (Ping timeout: 2 seconds)")
    }

    func testOverlongLineGets417AndTheConnectionStaysUsable() throws {
        try start()
        let c = try LoopbackIRCClient(port: port)
        try c.register("longwinded")
        try c.send("PRIVMSG #x :" + String(repeating: "a", count: 100_000) + "\r\n")
        try c.waitForNumeric("417")
        try c.line("PING :fine")
        try c.waitFor("pong") { $0 == ":loop.test PONG loop.test :fine" }
    }
}

extension LoopbackIRCClient {
    /// Closes the socket now (the peer sees EOF).
    func closeNow() { shutdown(fd, Int32(SHUT_RDWR)) }
}
