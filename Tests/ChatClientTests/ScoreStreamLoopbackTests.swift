@testable import ChatServer
import ChatClient
import CoreLoop
import Foundation
import ScoreFeed
import XCTest

/// The client library's score side against a real chatd over loopback:
/// a query and a follow on the chat connection, and the UDP stream through
/// a relay that drops, duplicates and reorders on purpose, with the
/// subscriber's statistics checked exactly.
final class ScoreStreamLoopbackTests: XCTestCase {
    var loop: EventLoop!
    var server: TestDaemon!

    override func setUpWithError() throws {
        loop = try EventLoop()
        server = try TestDaemon { $0.scores.udpListen = "127.0.0.1:0" }
        server.start()
    }

    override func tearDown() {
        loop.close()
        server.stop()
    }

    func connect(_ nick: String) -> (ChatConnection, EventRecorder) {
        let c = ChatConnection(loop: loop, config: ClientConfig(nick: nick, server: "127.0.0.1:\(server.port)"))
        let r = EventRecorder()
        r.attach(c)
        c.start()
        pump(loop, until: { c.isRegistered }, "\(nick) to register")
        return (c, r)
    }

    /// The SCORES lines received so far.
    func scoreLines(_ r: EventRecorder) -> [ChatClient.ScoreLine] {
        r.events.compactMap { if case .message(let m) = $0 { return ChatClient.ScoreLine(m) } else { return nil } }
    }

    func testQueryAndFollowOnTheChatConnection() throws {
        server.submit(.create(home: "Home FC", away: "Away United"))
        server.submit(.events([ScoreEventDraft(matchID: 1, type: .kickoff, minute: 0)]))
        let (c, r) = connect("fan")
        let query = ScoreQuery(.show("1"))
        c.send(query.request)
        var result: ScoreQuery.Result?
        pump(loop, until: {
            for line in scoreLines(r) { if let done = query.receive(line) { result = done } }
            return result != nil
        }, "the SHOW answer")
        guard case .show(let summary?, let events)? = result else { return XCTFail("\(String(describing: result))") }
        XCTAssertEqual(summary.teams, "Home FC - Away United")
        XCTAssertEqual(events.map(\.type), ["kickoff"])

        var followed = FollowedMatch(summary: summary)
        for e in events { _ = followed.apply(e) }
        c.send(followed.followRequest)
        XCTAssertEqual(followed.followRequest.params, ["FOLLOW", "1", "since=1"])
        pump(loop, until: { server.onLoop { $0.scores!.followerCount } == 1 }, "the follow to be taken")
        server.submit(.events([ScoreEventDraft(matchID: 1, type: .goal, minute: 9, team: .away, player: "K. Silva")]))
        pump(loop, until: {
            for case .event(let e) in scoreLines(r) { _ = followed.apply(e) }
            return followed.lastSeq == 2
        }, "the pushed goal")
        XCTAssertEqual(followed.summary.scoreText, "Home FC 0–1 Away United, 9'")
    }

    func testUDPStreamThroughALossyRelayCountsExactly() throws {
        server.submit(.create(home: "Home FC", away: "Away United"))
        server.submit(.events([ScoreEventDraft(matchID: 1, type: .kickoff, minute: 0)]))
        let serverUDP = try SocketAddress(host: "127.0.0.1", port: server.onLoop { $0.scores!.udpPort! })
        let relay = try LossyRelay(loop: loop, server: serverUDP, drop: [4], duplicate: [5], holdUntilAfter: [6: 7])

        let (c, _) = connect("udpfan")
        let watch = try XCTUnwrap(UDPScoreWatch(loop: loop, matchID: "1", server: c.config.server, send: { c.send($0) }))
        watch.relay = relay.address
        var shown: [String] = []
        watch.onEvent = { _, line in shown.append(line) }
        c.onEvent = { event in if case .message(let m) = event, let line = ChatClient.ScoreLine(m) { watch.receive(line) } }
        watch.start()
        pump(loop, until: { watch.state == .subscribed && relay.serverAcknowledged }, "the token to be taken")

        server.submit(.events((1...8).map { ScoreEventDraft(matchID: 1, type: .foul, minute: $0, team: .home, player: "N. Name") }))
        pump(loop, until: { relay.forwardedLast && watch.received == 7 }, "the events through the relay")
        XCTAssertEqual(watch.summary, "received=7 lost=1 duplicated=1 out-of-order=1 first=2 last=9")
        XCTAssertEqual(shown.count, 7, "a duplicate is not shown twice: \(shown)")
        XCTAssertTrue(shown[0].hasPrefix("1' FOUL Home FC — N. Name (0–0)"), shown[0])

        watch.stop()
        XCTAssertEqual(watch.state, .stopped)
        pump(loop, until: { server.onLoop { $0.scores!.udpSubscribers } == 0 }, "UDPSTOP to revoke the token")
    }
}

/// A UDP relay on the test's loop between a subscriber and chatd's score
/// port: tokens go through to the server; score datagrams come back through
/// it, except those the plan drops, repeats, or holds back until a later
/// seq has passed.
///
/// Thread-safety: loop thread only.
final class LossyRelay {
    private var socket: UDPSocket!
    let address: SocketAddress
    private let server: SocketAddress
    private var subscriber: SocketAddress?
    private let drop: Set<Int64>
    private let duplicate: Set<Int64>
    private let holdUntilAfter: [Int64: Int64]
    private var held: [Int64: [UInt8]] = [:]
    private(set) var serverAcknowledged = false
    private(set) var forwardedLast = false

    init(loop: EventLoop, server: SocketAddress, drop: Set<Int64>, duplicate: Set<Int64>, holdUntilAfter: [Int64: Int64]) throws {
        self.server = server
        self.drop = drop
        self.duplicate = duplicate
        self.holdUntilAfter = holdUntilAfter
        var relay: LossyRelay?
        let socket = try UDPSocket(loop: loop, bindTo: try SocketAddress(host: "127.0.0.1", port: 0)) { bytes, sender in
            relay?.datagram(Array(bytes), from: sender)
        }
        self.socket = socket
        address = socket.address
        relay = self
    }

    private func datagram(_ bytes: [UInt8], from sender: SocketAddress) {
        guard sender == server else {
            subscriber = sender
            _ = try? socket.send(bytes, to: server)
            return
        }
        guard let subscriber else { return }
        if bytes == UDPToken.acknowledgement { serverAcknowledged = true }
        guard let seq = (try? ScoreDatagram(decoding: bytes))?.seq else {
            _ = try? socket.send(bytes, to: subscriber)
            return
        }
        if drop.contains(seq) { return }
        if holdUntilAfter[seq] != nil { held[seq] = bytes; return }
        _ = try? socket.send(bytes, to: subscriber)
        if duplicate.contains(seq) { _ = try? socket.send(bytes, to: subscriber) }
        for (waiting, after) in holdUntilAfter where after == seq {
            if let late = held.removeValue(forKey: waiting) { _ = try? socket.send(late, to: subscriber) }
        }
        if seq == 9 { forwardedLast = true }
    }
}
