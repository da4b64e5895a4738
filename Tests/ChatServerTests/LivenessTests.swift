@testable import ChatServer
import XCTest

final class LivenessTests: XCTestCase {
    /// With a 60-second ping interval: nothing at 59 s of silence, a PING at 61 s.
    func assertPingedAfterTheInterval(_ net: TestNet, _ user: TestUser, line: UInt = #line) {
        net.clock.advance(seconds: 59)
        net.server.tick()
        XCTAssertEqual(user.lines(), [], line: line)
        net.clock.advance(seconds: 2)
        net.server.tick()
        XCTAssertEqual(user.plainLines(), ["PING test.server"], line: line)
    }

    func testSilentClientIsPingedThenClosedWithPingTimeout() {
        let net = TestNet {
            $0.limits.pingIntervalSeconds = 60
            $0.limits.pingTimeoutSeconds = 30
        }
        let alice = net.user("alice"), bob = net.user("bob")
        alice.send("JOIN #a"); bob.send("JOIN #a")
        _ = alice.lines(); _ = bob.lines()
        assertPingedAfterTheInterval(net, alice)
        bob.send("PONG test.server")  // bob answers, alice does not
        net.clock.advance(seconds: 31)
        net.server.tick()
        XCTAssertEqual(alice.plainLines(), ["ERROR :Closing Link: 127.0.0.1 (Ping timeout: 90 seconds)"])
        XCTAssertNotNil(alice.closed)
        XCTAssertEqual(bob.plainLines(), ["PING test.server", ":alice!~alice@127.0.0.1 QUIT :Ping timeout: 90 seconds"])
        XCTAssertNil(bob.closed)
    }

    func testAnsweringThePingKeepsTheClient() {
        let net = TestNet { $0.limits.pingIntervalSeconds = 10; $0.limits.pingTimeoutSeconds = 10 }
        let alice = net.user("alice")
        for _ in 0..<5 {
            net.clock.advance(seconds: 11)
            net.server.tick()
            XCTAssertEqual(alice.plainLines(), ["PING test.server"])
            alice.send("PONG :test.server")
        }
        XCTAssertNil(alice.closed)
    }

    /// alice (ping interval 60 s, timeout 30 s) has sent a CHATHISTORY whose
    /// read waits on a deferred worker, and a PONG behind it, held unread.
    func aliceWaitingOnAWorker() -> (TestNet, TestUser) {
        let net = TestNet.withStorage {
            $0.limits.pingIntervalSeconds = 60
            $0.limits.pingTimeoutSeconds = 30
        }
        let alice = net.user("alice", caps: ["batch", "server-time", "draft/chathistory"])
        alice.send("JOIN #h")
        _ = alice.lines()
        net.workers.deferred = true
        alice.feed("CHATHISTORY LATEST #h * 10\r\nPONG :test.server\r\n")
        return (net, alice)
    }

    func testAClientWaitingOnAWorkersAnswerIsNotTimedOut() {
        let (net, alice) = aliceWaitingOnAWorker()
        XCTAssertTrue(alice.transport.paused, "its next lines wait for the answer")
        // The worker is slow past a whole ping interval and timeout: the
        // client's input is held by us, so it is neither pinged nor dropped.
        net.clock.advance(seconds: 95)
        net.server.tick()
        XCTAssertNil(alice.closed)
        XCTAssertEqual(alice.lines(), [])
        net.workers.runPending()
        XCTAssertFalse(alice.transport.paused)
        XCTAssertEqual(alice.lines().count, 2, "the (empty) history batch")
        // Its silence counts from the answer: a PING a ping interval later.
        assertPingedAfterTheInterval(net, alice)
        XCTAssertNil(alice.closed)
    }

    func testAWorkerStuckPastTwiceThePingDeadlineNoLongerShieldsTheClient() {
        let (net, alice) = aliceWaitingOnAWorker()  // the worker never runs: a hung disk
        net.clock.advance(seconds: 179)
        net.server.tick()
        XCTAssertEqual(alice.lines(), [], "within twice the deadline: waiting on us")
        net.clock.advance(seconds: 2)
        net.server.tick()
        XCTAssertEqual(alice.plainLines(), ["PING test.server"], "then the usual rules")
        net.clock.advance(seconds: 1)
        net.server.tick()
        XCTAssertEqual(alice.closed, "Ping timeout: 90 seconds")
    }

    func testUnregisteredConnectionTimesOut() {
        let net = TestNet { $0.limits.registrationTimeoutSeconds = 30 }
        let u = net.connect()
        u.send("NICK slow")
        net.clock.advance(seconds: 31)
        net.server.tick()
        XCTAssertEqual(u.lines(), ["ERROR :Closing Link: 127.0.0.1 (Registration timed out)"])
        XCTAssertNotNil(net.connect().client)
        let other = net.user("slow")
        XCTAssertNotNil(other.client, "the nick was released")
    }

    func testFloodIsThrottledThenDisconnectedPastTheBacklog() {
        let net = TestNet {
            $0.limits.floodBurst = 5
            $0.limits.floodLinesPerSecond = 1
            $0.limits.floodBacklogBytes = 2048
        }
        let spammer = net.user("spammer"), victim = net.user("victim")
        let burst = String(repeating: "PRIVMSG victim :spam\r\n", count: 20)
        let used = spammer.feed(burst)
        // NICK and USER took two tokens of the burst of five.
        XCTAssertEqual(victim.lines().count, 3, "the rest of the burst allowance goes through")
        XCTAssertLessThan(used, burst.utf8.count, "the rest waits unread")
        XCTAssertTrue(spammer.transport.paused)
        // A second later one more token: reading resumes.
        net.clock.advance(seconds: 1)
        net.server.tick()
        XCTAssertFalse(spammer.transport.paused)
        let rest = String(decoding: Array(burst.utf8).dropFirst(used), as: UTF8.self)
        spammer.feed(rest)
        XCTAssertEqual(victim.lines().count, 1)
        // Keeps sending while throttled: the backlog passes its bound.
        spammer.transport.pendingInput = 4096
        net.clock.advance(seconds: 0.1)
        net.server.tick()
        XCTAssertEqual(spammer.closed, "Excess Flood")
    }

    func testPongAndQuitPassEvenWhenThrottled() {
        // NICK and USER take two of the three tokens.
        let net = TestNet { $0.limits.floodBurst = 3; $0.limits.floodLinesPerSecond = 1 }
        let u = net.user("u")
        u.send("PING :a")
        u.send("PING :b")
        XCTAssertTrue(u.transport.paused)
        XCTAssertEqual(u.codes(), ["PONG"])
        let used = u.feed("QUIT :bye\r\n")
        XCTAssertEqual(used, 11)
        XCTAssertEqual(u.closed, "Quit: bye")
    }

    func testFloodControlCanBeTurnedOff() {
        let net = TestNet { $0.limits.floodLinesPerSecond = 0 }
        let spammer = net.user("spammer"), victim = net.user("victim")
        spammer.feed(String(repeating: "PRIVMSG victim :x\r\n", count: 500))
        XCTAssertEqual(victim.lines().count, 500)
    }
}
