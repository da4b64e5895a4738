@testable import ChatServer
import ChatClient
import ChatUI
import CoreLoop
import Foundation
import XCTest

/// The full-screen client as a person uses it: keys in, the rendered screen
/// checked, against a real chatd over loopback. Another user is a plain
/// `ChatConnection` on the same test loop.
final class ChatAppScreenTests: XCTestCase {
    var loop: EventLoop!
    var server: TestDaemon!

    override func setUpWithError() throws {
        loop = try EventLoop()
    }

    override func tearDown() {
        loop.close()
        server?.stop()
    }

    func startServer(storage: ChatStorage? = nil, _ configure: (inout ServerConfig) -> Void = { _ in }) throws {
        server = try TestDaemon(storage: storage, configure)
        server.start()
    }

    func app(_ nick: String, rows: Int = 14, columns: Int = 72) -> (ChatApp, TestTerminal) {
        let terminal = TestTerminal(rows: rows, columns: columns)
        var config = ClientConfig(nick: nick, server: "127.0.0.1:\(server.port)")
        config.reconnect = false
        let app = ChatApp(loop: loop, config: config, terminal: terminal)
        app.start()
        return (app, terminal)
    }

    func other(_ nick: String) -> (ChatConnection, EventRecorder) {
        var config = ClientConfig(nick: nick, server: "127.0.0.1:\(server.port)")
        config.reconnect = false
        let c = ChatConnection(loop: loop, config: config)
        let r = EventRecorder()
        r.attach(c)
        c.start()
        return (c, r)
    }

    func typeKeys(_ app: ChatApp, _ text: String, enter: Bool = true) {
        for c in text { app.handle(.character(c)) }
        if enter { app.handle(.enter) }
    }

    func testConnectJoinSeeAnotherClientAndAnswer() throws {
        try startServer()
        let (alice, screen) = app("alice")
        pump(loop, until: { alice.connection.isRegistered && screen.shows("[alice] [1:server]") }, "the server window")
        // The welcome burst (MOTD…) follows at once, so the line may have scrolled off.
        XCTAssertTrue(alice.windows.server.lines.contains { $0.text == "Connected to 127.0.0.1:\(server.port) as alice" })
        XCTAssertTrue(screen.screen!.text(12).hasPrefix("[") && screen.screen!.text(12).contains("[alice] [1:server]"), screen.text)

        typeKeys(alice, "/join #lobby")
        pump(loop, until: { screen.screen?.text(0).hasPrefix(" #lobby") == true }, "the #lobby window")
        pump(loop, until: { screen.shows("You joined #lobby") && screen.shows("[2:#lobby]") }, "the join line and status")

        let (bob, b) = other("bob")
        pump(loop, until: { bob.isRegistered }, "bob")
        bob.send("JOIN", "#lobby")
        pump(loop, until: { screen.shows("bob joined #lobby") }, "bob's join on alice's screen")
        bob.send("PRIVMSG", "#lobby", "hello alice, welcome")
        pump(loop, until: { screen.shows("<bob> hello alice, welcome") }, "bob's message on alice's screen")

        typeKeys(alice, "hi bob")
        pump(loop, until: { b.line("hi bob", in: .window("#lobby")) != nil }, "bob to get alice's answer")
        pump(loop, until: { screen.shows("<alice> hi bob") }, "alice's own line (echoed by the server)")

        // Tab completes bob's nick.
        typeKeys(alice, "bo", enter: false)
        alice.handle(.tab)
        pump(loop, until: { screen.shows("[#lobby] bob: ") }, "the completed nick in the input line")
        alice.handle(.control("u"))

        // Alt-1 shows the server window; a mention in #lobby marks window 2.
        alice.handle(.alt("1"))
        pump(loop, until: { screen.shows("[1:server]") }, "the server window")
        bob.send("PRIVMSG", "#lobby", "alice, look")
        pump(loop, until: { screen.shows("[Act: 2!]") }, "activity with a mention in window 2")
        typeKeys(alice, "/window 2")
        pump(loop, until: { screen.shows("<bob> alice, look") && !screen.shows("[Act:") }, "window 2 again, activity cleared")

        // A private message opens a window of its own.
        bob.send("PRIVMSG", "alice", "a secret")
        pump(loop, until: { screen.shows("[Act: 3!]") }, "a query window with activity")
        alice.handle(.alt("3"))
        pump(loop, until: { screen.shows("<bob> a secret") && screen.shows("[3:bob]") }, "the query window")

        // Resize: the next draw has the new size.
        screen.rows = 8
        screen.columns = 40
        alice.redraw()
        XCTAssertEqual(screen.screen?.rows, 8)
        XCTAssertEqual(screen.screen?.columns, 40)
        XCTAssertTrue(screen.shows("a secret"))

        var exited = false
        alice.onExit = { exited = true }
        typeKeys(alice, "/quit see you")
        pump(loop, until: { exited }, "the client to exit")
        pump(loop, until: { b.has { if case .memberQuit("alice", _) = $0 { return true }; return false } }, "bob to see alice quit")
    }

    func testMorePagesBackWithChathistory() throws {
        try startServer(storage: try ChatStorage()) { $0.history.replayOnJoin = 2 }
        let (bob, b) = other("bob")
        pump(loop, until: { bob.isRegistered }, "bob")
        bob.send("JOIN", "#h")
        pump(loop, until: { bob.channels == ["#h"] }, "bob in #h")
        for i in 1...5 { bob.send("PRIVMSG", "#h", "old line \(i)") }
        pump(loop, until: { b.line("old line 5") != nil }, "bob's lines")

        let (alice, screen) = app("alice", rows: 16)
        pump(loop, until: { alice.connection.isRegistered }, "alice")
        typeKeys(alice, "/join #h")
        pump(loop, until: { screen.shows("<bob> old line 5") }, "the history replayed on join")
        XCTAssertTrue(screen.shows("old line 4"))
        XCTAssertFalse(screen.shows("old line 3"), "only replayOnJoin lines at first")
        typeKeys(alice, "/more")
        pump(loop, until: { screen.shows("3 earlier lines") }, "/more's answer")
        for i in 1...5 { XCTAssertTrue(screen.shows("<bob> old line \(i)"), "line \(i) after /more:\n\(screen.text)") }
        // In time order: line 1 above line 5.
        let text = screen.text
        XCTAssertLessThan(text.range(of: "old line 1")!.lowerBound, text.range(of: "old line 5")!.lowerBound)
    }

    func testRegisterAsksForThePasswordMasked() throws {
        try startServer(storage: try ChatStorage())
        let (alice, screen) = app("alice")
        pump(loop, until: { alice.connection.isRegistered }, "alice")
        typeKeys(alice, "/register")
        pump(loop, until: { screen.shows("Password for alice:") }, "the password prompt")
        typeKeys(alice, "long-enough-pw", enter: false)
        pump(loop, until: { screen.shows("Password for alice: **************") }, "the masked password")
        XCTAssertFalse(screen.shows("long-enough-pw"))
        alice.handle(.enter)
        pump(loop, until: { screen.shows("Password again:") }, "the second prompt")
        typeKeys(alice, "long-enough-pX")
        pump(loop, until: { screen.shows("The passwords differ; /register to try again") }, "a mismatch refused")
        XCTAssertNil(alice.connection.account)
        typeKeys(alice, "/register")
        pump(loop, until: { screen.shows("Password for alice:") }, "the password prompt again")
        typeKeys(alice, "long-enough-pw")
        pump(loop, until: { screen.shows("Password again:") }, "the second prompt again")
        typeKeys(alice, "long-enough-pw")
        pump(loop, until: { alice.connection.account == "alice" }, timeout: 30, "the account to be registered and logged in")
        pump(loop, until: { screen.shows("[alice(alice)]") }, "the account in the status line")
        // The password is not in the input history.
        alice.handle(.up)
        pump(loop, until: { screen.shows("[server] /register") }, "the previous entry")
    }

    func testUnknownCommandsAndTextInTheServerWindowAreExplained() throws {
        try startServer()
        let (alice, screen) = app("alice")
        pump(loop, until: { alice.connection.isRegistered }, "alice")
        typeKeys(alice, "/frobnicate")
        typeKeys(alice, "hello?")
        pump(loop, until: { screen.shows("Unknown command /frobnicate; /help lists them") && screen.shows("This is the server window") },
             "both explanations")
        typeKeys(alice, "/whois nobody")
        pump(loop, until: { screen.shows("nobody No such nick") }, "the server's error")
    }

    /// After the server restarts, the followed match is followed again from
    /// the last event seen: an event scored meanwhile reaches its window.
    func testAFollowedMatchIsFollowedAgainAfterAReconnect() throws {
        let path = NSTemporaryDirectory() + "chat-follow-\(UUID().uuidString).sqlite"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try startServer(storage: try ChatStorage(path: path))
        let port = server.port
        server.submit(.create(home: "Home FC", away: "Away United"))
        server.submit(.events([ScoreEventDraft(matchID: 1, type: .kickoff, minute: 0)]))
        var config = ClientConfig(nick: "fan", server: "127.0.0.1:\(port)")
        config.backoff = Backoff(initialMillis: 50, maximumMillis: 400, jitter: 0)
        let terminal = TestTerminal(rows: 14, columns: 72)
        let fan = ChatApp(loop: loop, config: config, terminal: terminal)
        fan.start()
        pump(loop, until: { fan.connection.isRegistered }, "fan")
        typeKeys(fan, "/follow 1")
        pump(loop, until: { self.followers() == 1 }, "the follow")

        server.shutdown()
        pump(loop, until: { !fan.connection.isRegistered }, "the loss")
        server = try TestDaemon(storage: try ChatStorage(path: path), port: port)
        server.start()
        pump(loop, until: { fan.connection.isRegistered && self.followers() == 1 }, timeout: 30, "followed again after the reconnect")
        server.submit(.events([ScoreEventDraft(matchID: 1, type: .goal, minute: 9, team: .away, player: "K. Silva")]))
        pump(loop, until: { fan.windows.window(named: "match-1")?.lines.contains { $0.text.contains("K. Silva") } ?? false },
             "the goal in the match window")
    }

    func followers() -> Int { server.onLoop { $0.scores?.followerCount ?? 0 } }
}
