@testable import ChatServer
import Foundation
import XCTest

/// Private history, TARGETS, read markers and multiline through the real
/// daemon on loopback, as a client opening on a second device uses them.
final class ModernIRCLoopbackTests: XCTestCase {
    var daemon: DaemonThread!
    var dataDir = ""
    static let caps = "batch server-time message-tags draft/chathistory draft/multiline draft/read-marker echo-message labeled-response sasl"

    override func setUpWithError() throws {
        PasswordHasher.cost = 1
        dataDir = FileTestSupport.dataDir()
        let dir = dataDir
        daemon = try DaemonThread(storage: try ChatStorage(path: dir + "/chatd.sqlite")) {
            $0.dataDir = dir
            $0.limits.floodLinesPerSecond = 0
        }
        daemon.start()
    }

    override func tearDown() {
        daemon.stop()
        try? FileManager.default.removeItem(atPath: dataDir)
    }

    /// A client with every capability of these features, registered as `nick`.
    func connect(_ nick: String) throws -> LoopbackIRCClient {
        let c = try LoopbackIRCClient(port: daemon.port)
        try c.line("CAP LS 302")
        try c.line("CAP REQ :\(Self.caps)")
        try c.waitFor("CAP ACK") { $0.contains(" CAP ") && $0.contains(" ACK ") }
        try c.line("CAP END")
        try c.register(nick)
        return c
    }

    /// The lines read until one satisfies `end`, that one included.
    func collect(_ c: LoopbackIRCClient, until what: String, _ end: (String) -> Bool) throws -> [String] {
        var lines: [String] = []
        while true {
            guard let line = try c.readLine() else { throw LoopbackTimeout(waitingFor: what + " (closed)") }
            lines.append(line)
            if end(line) { return lines }
        }
    }

    func message(_ line: String) -> IRCMessage? { try? IRCMessage(parsing: line) }

    /// Answers that come from a worker keep their place: a PING sent right
    /// behind REGISTER or CHATHISTORY is answered after them (clients and
    /// test suites use PING as a barrier), and a label covers the worker's
    /// answer.
    func testAnswersFromWorkersStayInOrderAndInsideTheirLabel() throws {
        let alice = try connect("alice")
        try alice.line("REGISTER * * :password-alice\r\nPING :after-register")
        let registered = try collect(alice, until: "PONG") { $0.contains(" PONG ") }
        XCTAssertTrue(registered.contains { $0.contains("REGISTER SUCCESS alice") }, "REGISTER answered before the PONG: \(registered)")
        try alice.line("JOIN #o")
        try alice.waitFor("366") { $0.contains(" 366 ") }
        for i in 1...3 { try alice.line("PRIVMSG #o :line \(i)") }
        try alice.line("@label=h CHATHISTORY LATEST #o * 10\r\nPING :after-history")
        let answered = try collect(alice, until: "PONG") { $0.contains(" PONG ") }
        let parsed = answered.compactMap(message)
        let open = try XCTUnwrap(parsed.firstIndex { $0.command == "BATCH" && $0.params.dropFirst().first == "chathistory" },
                                 "the history batch before the PONG: \(answered)")
        XCTAssertEqual(parsed[open].tag("label"), "h")
        XCTAssertEqual(parsed.filter { $0.command == "PRIVMSG" && $0.tag("batch") != nil }.map { $0.params[1] },
                       ["line 1", "line 2", "line 3"])
        XCTAssertFalse(parsed.contains { $0.command == "ACK" }, "no bare ACK before the answer")
    }

    func testASecondDeviceFindsItsConversationsReadsThemAndSharesTheReadMarker() throws {
        let phone = try connect("alice")
        try phone.line("REGISTER * * :password-alice")
        try phone.waitFor("REGISTER SUCCESS") { $0.contains("REGISTER SUCCESS") }
        let bob = try LoopbackIRCClient(port: daemon.port)
        try bob.registerAccount("bob")

        // A line and a multiline message, both kept as private history.
        try phone.line("PRIVMSG bob :hello bob")
        try bob.waitFor("the line") { $0.hasSuffix("PRIVMSG bob :hello bob") }
        try phone.send("@label=m1 BATCH +p draft/multiline bob\r\n@batch=p PRIVMSG bob :two\r\n@batch=p PRIVMSG bob :lines\r\nBATCH -p\r\n")
        let echo = try collect(phone, until: "the echo's end") { self.message($0)?.command == "BATCH" && self.message($0)?.params.first?.hasPrefix("-") == true }
        XCTAssertEqual(message(echo.first { $0.contains(" BATCH +") } ?? "")?.tag("label"), "m1", "\(echo)")
        try bob.waitFor("the first line") { $0.hasSuffix("PRIVMSG bob :two") }
        let last = try bob.waitFor("the second line") { $0.hasSuffix("PRIVMSG bob :lines") }
        XCTAssertFalse(last.contains("msgid="), "bob lacks draft/multiline: separate lines, msgid on the first")

        // The new device: log in, ask which conversations were active, read one.
        let laptop = try LoopbackIRCClient(port: daemon.port)
        try laptop.line("CAP REQ :\(Self.caps)")
        try laptop.line("NICK laptop")
        try laptop.line("USER laptop 0 * :Laptop")
        try laptop.line("AUTHENTICATE PLAIN")
        try laptop.line("AUTHENTICATE " + Data("\0alice\0password-alice".utf8).base64EncodedString())
        try laptop.waitForNumeric("903")
        try laptop.line("CAP END")
        try laptop.waitForNumeric("376", "422")
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        try laptop.line("CHATHISTORY TARGETS timestamp=\(ServerTime.format(millis: now - 3_600_000)) timestamp=\(ServerTime.format(millis: now + 3_600_000)) 50")
        let targets = try collect(laptop, until: "the targets batch") { $0.contains(" BATCH -") }
        let listed = targets.compactMap(message).filter { $0.command == "CHATHISTORY" }
        XCTAssertEqual(listed.map { $0.params[1] }, ["bob"], "\(targets)")

        try laptop.line("CHATHISTORY LATEST bob * 50")
        let history = try collect(laptop, until: "the history batch") { line in
            guard let m = self.message(line), m.command == "BATCH", m.tag("batch") == nil else { return false }
            return m.params.first?.hasPrefix("-") == true
        }.compactMap(message)
        XCTAssertEqual(history.map(\.command), ["BATCH", "PRIVMSG", "BATCH", "PRIVMSG", "PRIVMSG", "BATCH", "BATCH"])
        XCTAssertEqual(history.filter { $0.command == "PRIVMSG" }.map { $0.params[1] }, ["hello bob", "two", "lines"])
        let newest = try XCTUnwrap(history[1...].first { $0.command == "BATCH" }?.tag("time"), "the multiline message's time")

        // Reading it on the laptop tells the phone.
        try laptop.line("MARKREAD bob timestamp=\(newest)")
        try laptop.waitFor("the laptop's answer") { $0.hasSuffix("MARKREAD bob timestamp=\(newest)") }
        try phone.waitFor("the phone's update") { $0.hasSuffix("MARKREAD bob timestamp=\(newest)") }

        // A channel's marker arrives with the JOIN, before the end of NAMES.
        try laptop.line("MARKREAD #room timestamp=\(newest)")
        try laptop.waitFor("the channel marker") { $0.hasSuffix("MARKREAD #room timestamp=\(newest)") }
        try laptop.line("JOIN #room")
        let join = try collect(laptop, until: "366") { self.message($0)?.command == "366" }.compactMap(message).map(\.command)
        XCTAssertEqual(Array(join.drop { $0 != "JOIN" }), ["JOIN", "MARKREAD", "353", "366"])
    }
}
