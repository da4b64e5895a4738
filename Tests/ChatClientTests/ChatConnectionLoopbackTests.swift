@testable import ChatServer
import ChatClient
import CoreLoop
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The client library against a real chatd over loopback: log-in, join,
/// messages both ways, history, a wrong password, a refused connection, and
/// reconnecting after a server restart.
final class ChatConnectionLoopbackTests: XCTestCase {
    var loop: EventLoop!
    var daemons: [TestDaemon] = []

    override func setUpWithError() throws {
        loop = try EventLoop()
    }

    override func tearDown() {
        loop.close()
        daemons.forEach { $0.stop() }
        daemons = []
    }

    func daemon(storage: ChatStorage? = nil, port: Int = 0, _ configure: (inout ServerConfig) -> Void = { _ in }) throws -> TestDaemon {
        let d = try TestDaemon(storage: storage, port: port, configure)
        d.start()
        daemons.append(d)
        return d
    }

    func client(_ nick: String, port: Int, account: String? = nil, password: String? = nil,
                reconnect: Bool = false) -> (ChatConnection, EventRecorder) {
        var config = ClientConfig(nick: nick, server: "127.0.0.1:\(port)", account: account, password: password)
        config.reconnect = reconnect
        config.backoff = Backoff(initialMillis: 50, maximumMillis: 400, jitter: 0)
        let c = ChatConnection(loop: loop, config: config)
        let r = EventRecorder()
        r.attach(c)
        c.start()
        return (c, r)
    }

    func testLogInJoinAndMessagesBothWays() throws {
        let server = try daemon(storage: try TestDaemon.storage(account: "alice", password: "correct-horse-1"))
        let (alice, a) = client("alice", port: server.port, account: "alice", password: "correct-horse-1")
        let (bob, b) = client("bob", port: server.port)
        pump(loop, until: { alice.isRegistered && bob.isRegistered }, "both to register")
        XCTAssertEqual(alice.account, "alice", "SASL PLAIN logged alice in")
        XCTAssertNil(bob.account)
        XCTAssertTrue(alice.caps.isSuperset(of: ["server-time", "batch", "echo-message", "message-tags"]), "\(alice.caps)")

        alice.send("JOIN", "#lobby")
        pump(loop, until: { alice.channels == ["#lobby"] }, "alice in #lobby")
        bob.send("JOIN", "#lobby")
        pump(loop, until: { a.has { $0 == .memberJoined(channel: "#lobby", nick: "bob") } }, "alice to see bob join")

        bob.send("PRIVMSG", "#lobby", "hi from bob")
        pump(loop, until: { a.line("hi from bob", in: .window("#lobby")) != nil }, "alice to get bob's message")
        XCTAssertEqual(a.line("hi from bob")?.sender, "bob")
        XCTAssertNotNil(a.line("hi from bob")?.msgid)

        alice.send("PRIVMSG", "bob", "psst, bob")
        pump(loop, until: { b.line("psst, bob", in: .window("alice")) != nil }, "bob to get alice's private message")
        // echo-message: alice's own line comes back, in the query window named after bob.
        pump(loop, until: { a.line("psst, bob", in: .window("bob"))?.isOwn == true }, "alice's echo")

        bob.quit("bye")
        pump(loop, until: { a.has { if case .memberQuit("bob", _) = $0 { return true }; return false } }, "alice to see bob quit")
        pump(loop, until: { b.isClosed }, "bob's connection to close")
        XCTAssertNil(b.failure, "a quit is not a failure")
    }

    func testHistoryOnJoinKeepsOriginalTimes() throws {
        let server = try daemon(storage: try ChatStorage())
        let (bob, b) = client("bob", port: server.port)
        pump(loop, until: { bob.isRegistered }, "bob to register")
        bob.send("JOIN", "#h")
        pump(loop, until: { bob.channels == ["#h"] }, "bob in #h")
        bob.send("PRIVMSG", "#h", "said before alice came")
        pump(loop, until: { b.line("said before alice came") != nil }, "bob's echo")
        let original = b.line("said before alice came")!

        let (alice, a) = client("alice", port: server.port)
        pump(loop, until: { alice.isRegistered }, "alice to register")
        alice.send("JOIN", "#h")
        var history: [ChatLine] = []
        pump(loop, until: {
            for case .history("#h", let lines) in a.events { history = lines }
            return !history.isEmpty
        }, "the history batch")
        let replayed = history.first { $0.text == "said before alice came" }
        XCTAssertNotNil(replayed)
        XCTAssertEqual(replayed?.isHistory, true)
        XCTAssertEqual(replayed?.timeMillis, original.timeMillis, "history carries the time it was said")
        XCTAssertEqual(replayed?.msgid, original.msgid)
        XCTAssertEqual(replayed?.place, .window("#h"))
    }

    func testWrongPasswordFailsWithoutRetrying() throws {
        let server = try daemon(storage: try TestDaemon.storage(account: "alice", password: "correct-horse-1"))
        let (connection, a) = client("alice", port: server.port, account: "alice", password: "wrong-password", reconnect: true)
        pump(loop, until: { a.isClosed }, "the connection to close")
        XCTAssertFalse(connection.isRegistered)
        guard case .loginFailed? = a.failure else { return XCTFail("expected a log-in failure, got \(String(describing: a.failure))") }
        XCTAssertFalse(a.has { if case .status(.waitingToReconnect) = $0 { return true }; return false }, "no retry with a wrong password")
    }

    func testRefusedConnection() throws {
        let port = try unusedPort()
        let (connection, r) = client("alice", port: port)
        pump(loop, until: { r.isClosed }, "the attempt to fail")
        _ = connection  // the owner keeps a connection alive
        guard case .cannotConnect? = r.failure else { return XCTFail("expected cannotConnect, got \(String(describing: r.failure))") }
        XCTAssertEqual(r.failure?.exitCode, 69)
    }

    func testReconnectsAfterRestartAndRejoins() throws {
        let first = try daemon()
        let port = first.port
        let (alice, a) = client("alice", port: port, reconnect: true)
        pump(loop, until: { alice.isRegistered }, "alice to register")
        alice.send("JOIN", "#a,#b")
        pump(loop, until: { alice.channels.count == 2 }, "alice in #a and #b")

        first.shutdown()
        pump(loop, until: { a.has { if case .status(.waitingToReconnect) = $0 { return true }; return false } }, "the loss to be noticed")
        XCTAssertEqual(alice.channels, ["#a", "#b"], "channels are kept for the rejoin")

        _ = try daemon(port: port)
        pump(loop, until: { a.has { $0 == .rejoining(["#a", "#b"]) } }, timeout: 30, "the rejoin")
        pump(loop, until: { a.count { $0 == .joined(channel: "#b") } == 2 }, "the server to confirm the rejoin")
        XCTAssertTrue(alice.isRegistered)
    }

    /// Registering an account from the client logs later connections in to it.
    func testAnAccountRegisteredFromTheClientLogsInAgainAfterAReconnect() throws {
        let path = NSTemporaryDirectory() + "chat-register-\(UUID().uuidString).sqlite"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let first = try daemon(storage: try ChatStorage(path: path))
        let port = first.port
        let (carol, c) = client("carol", port: port, reconnect: true)
        pump(loop, until: { carol.isRegistered }, "carol to register")
        carol.register(email: "*", password: "carols-long-password")
        pump(loop, until: { carol.account == "carol" }, timeout: 30, "the account")
        XCTAssertEqual(carol.config.account, "carol")

        first.shutdown()
        pump(loop, until: { c.has { if case .status(.waitingToReconnect) = $0 { return true }; return false } }, "the loss")
        _ = try daemon(storage: try ChatStorage(path: path), port: port)
        pump(loop, until: { carol.isRegistered && carol.account == "carol" }, timeout: 30, "logged in again, not a guest")
        XCTAssertEqual(carol.nick, "carol")
    }

    /// A loopback port nothing listens on (bound, then closed).
    func unusedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        let address = try SocketAddress(host: "127.0.0.1", port: 0)
        _ = address.withSockAddr { bind(fd, $0, $1) }
        var storage = sockaddr_storage()
        var len = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &storage) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &len) } }
        return SocketAddress(storage: storage)!.port!
    }
}
