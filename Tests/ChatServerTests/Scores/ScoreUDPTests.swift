@testable import ChatServer
import Foundation
import ScoreFeed
import XCTest

/// The UDP stream over loopback: tokens from the chat connection, the
/// acknowledgement, lapse, forged tokens, caps; and the subscriber's
/// statistics through a relay that drops, duplicates and reorders.
final class ScoreUDPTests: XCTestCase {
    var server: DaemonThread?

    override func tearDown() { server?.stop() }

    func start(_ configure: (inout ScoresConfig) -> Void = { _ in }) throws {
        server = try DaemonThread {
            $0.serverName = "udp.test"
            $0.limits.floodLinesPerSecond = 0
            $0.scores.udpListen = "127.0.0.1:0"
            configure(&$0.scores)
        }
        server!.start()
    }

    func onLoop<T>(_ body: @escaping () -> T) -> T {
        let done = DispatchSemaphore(value: 0)
        var result: T?
        server!.daemon.loop.execute { result = body(); done.signal() }
        XCTAssertEqual(done.wait(timeout: .now() + 20), .success, "the loop did not answer")
        return result!
    }

    /// Runs a score job on the loop and waits for it to be written and announced.
    func submit(_ job: ScoreJob) {
        let done = DispatchSemaphore(value: 0)
        server!.daemon.loop.execute {
            self.server!.daemon.server.scores!.submit(job) { result in
                if case .failure(let error) = result { XCTFail("\(error)") }
                done.signal()
            }
        }
        XCTAssertEqual(done.wait(timeout: .now() + 20), .success, "the score job did not finish")
    }

    /// A registered client and its token for match 1: (client, token, port).
    func issueToken(_ nick: String) throws -> (LoopbackIRCClient, String, Int) {
        let c = try LoopbackIRCClient(port: server!.port)
        try c.register(nick)
        try c.line("SCORES UDP 1")
        let line = try c.waitFor("UDPTOKEN") { $0.contains("SCORES UDPTOKEN") || $0.contains("FAIL") }
        let words = line.split(separator: " ").map(String.init)
        guard words.count == 6, words[2] == "UDPTOKEN", words[3] == "1" else { throw LoopbackTimeout(waitingFor: "a token, got \(line)") }
        return (c, words[4], Int(words[5])!)
    }

    func kickoffAndFouls(_ count: Int) -> ScoreJob {
        .events([ScoreEventDraft(matchID: 1, type: .kickoff, minute: 0)]
            + (1...count).map { ScoreEventDraft(matchID: 1, type: .foul, minute: $0, team: .home, player: "N. Name") })
    }

    func testTokenFlowAckForgedTokenAndMovingAddress() throws {
        try start()
        submit(.create(home: "Home FC", away: "Away United"))
        let (alice, token, port) = try issueToken("alice")
        defer { withExtendedLifetime(alice) {} }
        XCTAssertEqual(token.count, 32)
        let forger = TestUDPSocket(), subscriber = TestUDPSocket()
        forger.send(String(repeating: "0", count: 32), to: port)       // well-formed, never issued
        forger.send(token.uppercased(), to: port)                         // not a token's form
        forger.send(Array(repeating: 0x61, count: 1000), to: port)        // noise
        subscriber.send(token, to: port)
        XCTAssertEqual(subscriber.receive(), Array("OK".utf8), "a valid token is acknowledged")
        XCTAssertLessThanOrEqual(UDPToken.acknowledgement.count, token.utf8.count, "no amplification")
        submit(.events([ScoreEventDraft(matchID: 1, type: .kickoff, minute: 0)]))
        let datagram = try XCTUnwrap(subscriber.receive())
        let event = try ScoreDatagram(decoding: datagram)
        XCTAssertEqual([event.match, event.seq], [1, 1])
        XCTAssertEqual(event.type, "kickoff")
        // Everything the forger sent was handled before the real token (one
        // socket, in order), and the event went out after: it got nothing.
        XCTAssertNil(forger.receive(timeout: 0), "a forged or malformed token gets nothing")
        // The token moves with its holder: the latest address gets the stream.
        let moved = TestUDPSocket()
        moved.send(token + "\n", to: port)
        XCTAssertEqual(moved.receive(), Array("OK".utf8))
        submit(.events([ScoreEventDraft(matchID: 1, type: .corner, minute: 2, team: .away)]))
        XCTAssertEqual(try ScoreDatagram(decoding: XCTUnwrap(moved.receive())).seq, 2)
        XCTAssertNil(subscriber.receive(timeout: 0))
    }

    func testALapsedTokenGetsNothingAndQuitRevokes() throws {
        try start { $0.udpLeaseSeconds = 1 }
        submit(.create(home: "Home FC", away: "Away United"))
        let (alice, token, port) = try issueToken("alice")
        defer { withExtendedLifetime(alice) {} }
        let subscriber = TestUDPSocket()
        subscriber.send(token, to: port)
        XCTAssertEqual(subscriber.receive(), Array("OK".utf8))
        // Not renewed: the sweep (every second) forgets it once the lease is over.
        let deadline = Date().addingTimeInterval(20)
        while onLoop({ self.server!.daemon.server.scores!.udpSubscribers }) > 0 {
            XCTAssertLessThan(Date(), deadline, "the token never lapsed")
            if Date() >= deadline { return }
            usleep(50_000)
        }
        subscriber.send(token, to: port)
        // A fresh token from another client, acknowledged after the lapsed one was handled.
        let (bob, fresh, _) = try issueToken("bob")
        let other = TestUDPSocket()
        other.send(fresh, to: port)
        XCTAssertEqual(other.receive(), Array("OK".utf8))
        XCTAssertNil(subscriber.receive(timeout: 0), "a lapsed token is not acknowledged")
        submit(.events([ScoreEventDraft(matchID: 1, type: .kickoff, minute: 0)]))
        XCTAssertNotNil(other.receive())
        XCTAssertNil(subscriber.receive(timeout: 0), "and gets no events")
        // Closing the chat connection revokes its tokens.
        try bob.line("QUIT")
        _ = try bob.readToEnd()
        let deadline2 = Date().addingTimeInterval(20)
        while onLoop({ self.server!.daemon.server.scores!.udpSubscribers }) > 0 && Date() < deadline2 { usleep(20_000) }
        XCTAssertEqual(onLoop { self.server!.daemon.server.scores!.udpSubscribers }, 0)
    }

    func testCapsAndUdpStop() throws {
        try start { $0.udpPerConnection = 2; $0.udpMaxSubscribers = 3 }
        submit(.create(home: "Home FC", away: "Away United"))
        let c = try LoopbackIRCClient(port: server!.port)
        try c.register("alice")
        var tokens: [String] = []
        for _ in 0..<3 {
            try c.line("SCORES UDP 1")
            let line = try c.waitFor("answer") { $0.contains("UDPTOKEN") || $0.contains("FAIL") }
            if line.contains("UDPTOKEN") { tokens.append(String(line.split(separator: " ")[4])) }
            else { XCTAssertTrue(line.hasSuffix("FAIL SCORES TOO_MANY :Too many UDP tokens for this connection (max 2)"), line) }
        }
        XCTAssertEqual(tokens.count, 2)
        let (bob, _, _) = try issueToken("bob")
        defer { withExtendedLifetime(bob) {} }
        let d = try LoopbackIRCClient(port: server!.port)
        try d.register("carol")
        try d.line("SCORES UDP 1")
        let refused = try d.waitFor("answer") { $0.contains("UDPTOKEN") || $0.contains("FAIL") }
        XCTAssertTrue(refused.hasSuffix("FAIL SCORES TOO_MANY :Too many UDP subscribers on this server (max 3)"), refused)
        try c.line("SCORES UDPSTOP \(tokens[0])")
        try c.line("SCORES UDPSTOP \(tokens[0])")
        let again = try c.waitFor("answer") { $0.contains("FAIL") }
        XCTAssertTrue(again.hasSuffix("FAIL SCORES BAD_TOKEN \(tokens[0]) :Unknown UDP token \(tokens[0])"), again)
        try d.line("SCORES UDP 1")
        XCTAssertTrue(try d.waitFor("answer") { $0.contains("UDPTOKEN") || $0.contains("FAIL") }.contains("UDPTOKEN"), "a stopped token frees its place")
    }

    /// Relay: presents the token, so the server streams to it; forwards each
    /// datagram to the subscriber, dropping 3 and 8, sending 5 twice, and 10 after 11.
    func testStatisticsThroughALossyRelay() throws {
        try start()
        submit(.create(home: "Home FC", away: "Away United"))
        let (alice, token, port) = try issueToken("alice")
        defer { withExtendedLifetime(alice) {} }
        let relay = TestUDPSocket(), subscriberSocket = TestUDPSocket()
        relay.send(token, to: port)
        XCTAssertEqual(relay.receive(), Array("OK".utf8))
        submit(kickoffAndFouls(11))   // seqs 1…12
        var held: [UInt8]?
        for _ in 1...12 {
            let datagram = try XCTUnwrap(relay.receive(), "the relay is missing a datagram")
            let seq = try ScoreDatagram(decoding: datagram).seq
            switch seq {
            case 3, 8: continue
            case 5: subscriberSocket.send(datagram, to: subscriberSocket.port); subscriberSocket.send(datagram, to: subscriberSocket.port)
            case 10: held = datagram
            case 11: subscriberSocket.send(datagram, to: subscriberSocket.port); subscriberSocket.send(held!, to: subscriberSocket.port)
            default: subscriberSocket.send(datagram, to: subscriberSocket.port)
            }
        }
        var subscriber = ScoreSubscriber(match: 1)
        var printed: [String] = []
        for _ in 0..<11 {
            let datagram = try XCTUnwrap(subscriberSocket.receive(), "the subscriber is missing a datagram")
            if let line = subscriber.receive(datagram) { printed.append(line) }
        }
        let stats = subscriber.statistics
        XCTAssertEqual(stats.received, 10)
        XCTAssertEqual(stats.lost, 2)
        XCTAssertEqual(stats.duplicated, 1)
        XCTAssertEqual(stats.outOfOrder, 1)
        XCTAssertEqual(stats.first, 1)
        XCTAssertEqual(stats.last, 12)
        XCTAssertEqual(stats.summary, "received=10 lost=2 duplicated=1 out-of-order=1 first=1 last=12")
        XCTAssertEqual(printed.count, 10)
        XCTAssertEqual(printed[0], "0' KICKOFF (0–0)")
        XCTAssertEqual(printed[1], "1' FOUL Home FC — N. Name (0–0)")
    }
}
