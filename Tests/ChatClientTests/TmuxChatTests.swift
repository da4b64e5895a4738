import ChatClient
import CoreLoop
import Foundation
import XCTest

/// The full-screen `chat` binary as a person uses it, in tmux, against a
/// spawned chatd: it connects and joins, shows another client's message,
/// sends one that the other client receives, shares a file, follows a
/// match, and quits. The other client is the client library on the test's
/// loop; every wait is on screen content or a received event, with a timeout.
final class TmuxChatTests: XCTestCase {
    var chatd: SpawnedChatd?
    var screen: TmuxScreen?
    var loop: EventLoop!

    override func setUpWithError() throws {
        guard let tmux = TmuxScreen.executable else {
            throw XCTSkip("tmux is not installed (apt-get install -y tmux; .ci/run installs it)")
        }
        for binary in [ChatBinary.path, SpawnedChatd.binary] where !FileManager.default.isExecutableFile(atPath: binary) {
            throw XCTSkip("\(binary) is not built next to the tests")
        }
        loop = try EventLoop()
        // Uploads without an account (so the pane needs no password), and the
        // simulator on, fast, with a fixed seed, so match 1 is playing.
        let server = try SpawnedChatd(config: """
            {"limits": {"floodLinesPerSecond": 0}, "files": {"requireAccount": false},
             "scores": {"simulator": true, "simulatorMatches": 1}}
            """, arguments: ["--score-interval", "0.2", "--score-seed", "7"])
        chatd = server
        server.waitUntilListening()
        try "first line of the notes\nsecond line\n".write(toFile: server.folder + "/notes.txt", atomically: true, encoding: .utf8)
        screen = try TmuxScreen(tmux: tmux, folder: server.folder, command: [
            "env", "LANG=C.UTF-8", "TERM=xterm-256color", "XDG_CONFIG_HOME=\(server.folder)",
            "sh", "-c", "cd \(server.folder) && exec \(ChatBinary.path) --nick alice --server 127.0.0.1:\(server.port) --join '#tmux'"])
    }

    override func tearDown() {
        let tmuxServer = screen?.serverPID
        screen?.kill()
        // Reaped, not just told to exit: no tmux server outlives the run.
        if let tmuxServer { XCTAssertEqual(kill(tmuxServer, 0), -1, "tmux server \(tmuxServer) is still there") }
        chatd?.stop()  // after the screen: the tmux socket is in its folder, which this removes
        loop?.close()
    }

    /// Runs the other client's loop until the pane shows `text`; fails with the screen.
    func waitForScreen(_ text: String, timeout: Double = 30, file: StaticString = #filePath, line: UInt = #line) {
        var last = "", checked = Date.distantPast
        let deadline = Date().addingTimeInterval(timeout)
        while !last.contains(text) {
            guard Date() < deadline else {
                return XCTFail("timed out after \(timeout)s waiting for the screen to show \"\(text)\"; it shows:\n\(last)\n"
                               + "chatd log: \(chatd!.log.suffix(2000))", file: file, line: line)
            }
            // The other client's loop runs meanwhile (its writes and reads are
            // part of what the screen waits for); capture-pane is a process,
            // so the pane is read every 50 ms, not every loop turn.
            do { try loop.runOnce(maxWaitMilliseconds: 20) } catch { return XCTFail("loop failed: \(error)", file: file, line: line) }
            guard Date().timeIntervalSince(checked) > 0.05 else { continue }
            checked = Date()
            last = screen!.screen()
        }
    }

    func testConnectJoinTalkShareAndFollowInTmux() throws {
        let port = chatd!.port
        waitForScreen("You joined #tmux")

        let bob = ChatConnection(loop: loop, config: ClientConfig(nick: "bob", server: "127.0.0.1:\(port)"))
        let heard = EventRecorder()
        heard.attach(bob)
        bob.start()
        pump(loop, until: { bob.isRegistered }, "bob to register")
        bob.send("JOIN", "#tmux")
        waitForScreen("bob joined #tmux")

        bob.send("PRIVMSG", "#tmux", "hello alice, from bob")
        waitForScreen("<bob> hello alice, from bob")

        try screen!.type("hi bob, typed in tmux")
        pump(loop, until: { heard.line("hi bob, typed in tmux", in: .window("#tmux")) != nil }, "bob to hear alice")
        XCTAssertEqual(heard.line("hi bob, typed in tmux")?.sender, "alice")

        // A file: the pane says it was sent, and bob sees the share notice.
        try screen!.type("/send notes.txt")
        waitForScreen("Sent notes.txt to #tmux (file 1)")
        pump(loop, until: { heard.lines.contains { $0.text.hasPrefix("alice shared notes.txt") && $0.text.hasSuffix("FILE GET 1") } },
             "bob to see the share")

        // A match: its window opens and the simulator's events show in it.
        // The simulator stores its matches just after start; on a loaded
        // machine the pane can ask first and be told "No such match", as a
        // person would be, and asks again.
        try screen!.type("/follow 1")
        waitForScreen("Following match 1")
        var refusals = 0
        let deadline = Date().addingTimeInterval(60)
        while !screen!.screen().contains("KICKOFF") {
            guard Date() < deadline else { return XCTFail("match 1 never showed its kick-off:\n\(screen!.screen())") }
            try loop.runOnce(maxWaitMilliseconds: 50)
            let shown = screen!.screen().components(separatedBy: "No such match").count - 1
            if shown > refusals {
                refusals = shown
                try screen!.type("/follow 1")
            }
        }

        try screen!.type("/quit")
        pump(loop, until: { heard.has { if case .memberQuit("alice", _) = $0 { return true }; return false } }, "alice to quit")
    }
}
