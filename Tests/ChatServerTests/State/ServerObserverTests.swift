@testable import ChatServer
import XCTest

/// What a feature beside the core hears, and what a handler's unexpected error does.
final class ServerObserverTests: XCTestCase {
    final class Recorder: ServerObserver {
        var events: [String] = []
        func clientRegistered(_ client: Client) { events.append("registered \(client.nick)") }
        func clientRenamed(_ client: Client, from oldNick: String) { events.append("renamed \(oldNick)->\(client.nick)") }
        func clientQuit(_ client: Client, reason: String) { events.append("quit \(client.nick): \(reason)") }
        func channelEmptied(_ channel: Channel) { events.append("emptied \(channel.name)") }
    }

    func testLifecycleEventsReachObserversInOrder() {
        let net = TestNet()
        let recorder = Recorder()
        net.server.addObserver(recorder)
        let ann = net.user("ann")
        ann.send("JOIN #a")
        ann.send("NICK anna")
        ann.send("PART #a")
        ann.send("JOIN #b")
        ann.send("QUIT :bye")
        let early = net.connect()
        early.send("NICK late")
        net.server.quit(early.client!, reason: "gone")
        XCTAssertEqual(recorder.events, [
            "registered ann", "renamed ann->anna", "emptied #a", "emptied #b", "quit anna: Quit: bye", "quit late: gone",
        ])
    }

    struct Broken: Error {}

    func testAnUnexpectedHandlerErrorIsAnsweredLoggedAndCounted() {
        let table = CommandTable([RegistrationCommands.all, [CommandSpec("BREAK", { _, _, _ in throw Broken() })]])
        var config = ServerConfig()
        config.serverName = "test.server"
        let server = IRCServer(config: config, motdLines: nil, clock: ManualClock(), commands: table)
        server.logger.logLevel = .critical
        let transport = InMemoryTransport()
        let client = server.accept(transport, host: "127.0.0.1")!
        for line in ["NICK x", "USER x 0 * :x", "BREAK now"] {
            _ = Array((line + "\r\n").utf8).withUnsafeBytes { server.receive($0, from: client) }
        }
        XCTAssertEqual(transport.takeLines().last, ":test.server 400 x BREAK :Internal error; the command was not completed")
        XCTAssertEqual(server.stats.handlerFailures, 1)
        XCTAssertEqual(server.commandCallCounts()["BREAK"], 1)
        XCTAssertNil(transport.closeReason, "the client stays connected")
    }

    func testOverlongAndEmptyLinesCostFloodTokens() {
        let net = TestNet { $0.limits.floodBurst = 3; $0.limits.floodLinesPerSecond = 1 }
        let u = net.user("u")
        let long = String(repeating: "x", count: 600)
        u.feed((0..<6).map { _ in long + "\r\n" }.joined())
        XCTAssertTrue(u.transport.paused, "overlong lines earn 417s, so they must be charged")
        XCTAssertLessThanOrEqual(u.codes().filter { $0 == "417" }.count, 3)
        let v = net.user("v")
        v.feed(String(repeating: "\r\n", count: 10))
        XCTAssertTrue(v.transport.paused, "empty lines are charged too")
    }
}
