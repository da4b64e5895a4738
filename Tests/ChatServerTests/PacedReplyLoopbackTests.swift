@testable import ChatServer
import CoreLoop
import Foundation
import XCTest

/// A WHO and a LIST many times the send-queue limit, over a real socket
/// with a small receive buffer: answered whole, in order, without "SendQ
/// exceeded" (queued at once, either would drop the asker).
final class PacedReplyLoopbackTests: XCTestCase {
    var server: DaemonThread?

    override func tearDown() { server?.stop() }

    func onLoop<T>(_ body: @escaping () -> T) -> T {
        let done = DispatchSemaphore(value: 0)
        var result: T?
        server!.daemon.loop.execute { result = body(); done.signal() }
        XCTAssertEqual(done.wait(timeout: .now() + 20), .success, "the loop answered")
        return result!
    }

    func testWhoAndListManyTimesTheSendQueueArriveWholeAndInOrder() throws {
        server = try DaemonThread {
            $0.serverName = "paced.test"
            $0.limits.sendQueueBytes = 16_384
            $0.limits.maxConnections = 0
            $0.limits.maxConnectionsPerIP = 0
            $0.limits.floodLinesPerSecond = 0
            $0.limits.maxChannelsPerUser = 500
        }
        server!.start()
        // 400 members of #big (in-memory, on the loop: no sockets needed for
        // them), one of which also holds 300 channels with 300-byte topics.
        let topic = String(repeating: "t", count: 300)
        let members = 400, channels = 300
        let joined = onLoop { () -> Int in
            let server = self.server!.daemon.server
            for i in 0..<members {
                guard let client = server.accept(InMemoryTransport(), host: "10.0.0.1") else { return i }
                var text = "NICK member\(i)\r\nUSER m 0 * :Member \(i)\r\nJOIN #big\r\n"
                if i == 0 { for c in 0..<channels { text += "JOIN #c\(c)\r\nTOPIC #c\(c) :\(topic)\r\n" } }
                _ = Array(text.utf8).withUnsafeBytes { server.receive($0, from: client) }
            }
            return server.channel(named: "#big")?.members.count ?? 0
        }
        XCTAssertEqual(joined, members)

        let asker = try LoopbackIRCClient(port: server!.port, receiveBuffer: 4_096)
        try asker.register("asker")
        try asker.line("WHO #big")
        try asker.line("LIST")
        try asker.line("PING :barrier")
        var who = Set<String>(), listed = 0, order: [String] = []
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            guard let line = try asker.readLine(timeout: max(0.01, deadline.timeIntervalSinceNow)) else { break }
            let message = try IRCMessage(parsing: line)
            switch message.command {
            case "352": who.insert(message.params[5])
            case "322":
                listed += 1
                if message.params[1] != "#big" { XCTAssertEqual(message.params.last, topic) }
            case "315", "323", "PONG": order.append(message.command)
            case "ERROR": XCTFail("dropped: \(line)")
            default: break
            }
            if message.command == "PONG" { break }
        }
        XCTAssertEqual(who.count, members, "every member of #big")
        XCTAssertEqual(listed, channels + 1, "every channel")
        XCTAssertEqual(order, ["315", "323", "PONG"], "each answer whole before the next command's")
        // ~40 kB of WHO and ~100 kB of LIST went through a 16 kB send queue.
        XCTAssertEqual(onLoop { self.server!.daemon.server.stats.sendQueueDisconnects }, 0)
        XCTAssertEqual(onLoop { self.server!.daemon.server.pacedReplies.count }, 0)
    }
}
