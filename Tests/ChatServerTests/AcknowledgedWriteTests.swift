@testable import ChatServer
import CoreLoop
import Foundation
import GRDB
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// "Nothing acknowledged is lost": a TOPIC, a console `topic`, a MARKREAD
/// and a REDACT are answered only once they are on disk, so a `kill -9`
/// the moment the answer arrives keeps them. (Before, each was answered
/// first and written after; a kill in between took it back.)
final class AcknowledgedWriteTests: XCTestCase {
    let chatds = ChatdProcesses()

    override func tearDown() { chatds.removeAll() }

    /// Logs `alice` in (the account exists) with the caps these writes need, in #c.
    func aliceIn(_ server: ChatdProcess) throws -> LoopbackIRCClient {
        let alice = try server.connect()
        try alice.line("CAP REQ :draft/read-marker draft/message-redaction echo-message message-tags batch server-time")
        try alice.line("PASS :alice:correct horse")
        try alice.line("CAP END")
        try alice.register("alice")
        try alice.line("JOIN #c")
        try alice.waitForNumeric("366")
        return alice
    }

    func killNow(_ server: ChatdProcess) throws {
        server.signal(SIGKILL)
        _ = try server.waitForExit()
    }

    func testWritesAnsweredAreOnDiskWhenTheAnswerArrives() throws {
        let dir = chatds.newDataDir()
        let first = try chatds.start(dataDir: dir)
        let founder = try first.connect()
        try founder.register("alice")
        try founder.line("REGISTER * * :correct horse")
        try founder.waitFor("registered") { $0.contains("REGISTER SUCCESS") }
        try founder.line("JOIN #c")
        try founder.waitForNumeric("366")
        try founder.line("TOPIC #c :stored before it was shown")
        try founder.waitFor("the TOPIC line") { $0.contains(" TOPIC #c :stored before it was shown") }
        try killNow(first)

        // The topic, then a read marker, killed the moment each is answered.
        let second = try chatds.start(dataDir: dir)
        var alice = try aliceIn(second)
        XCTAssertTrue(alice.received.contains { $0.contains(" 332 alice #c :stored before it was shown") }, "\(alice.received)")
        try alice.line("MARKREAD #c timestamp=2026-01-02T03:04:05.678Z")
        try alice.waitFor("the marker's answer") { $0.contains("MARKREAD #c timestamp=2026-01-02T03:04:05.678Z") }
        try killNow(second)

        // A message on disk, then redacted: killed the moment the REDACT is echoed.
        let third = try chatds.start(dataDir: dir)
        alice = try aliceIn(third)
        try alice.line("MARKREAD #c")
        try alice.waitFor("the marker kept") { $0.contains("MARKREAD #c timestamp=2026-01-02T03:04:05.678Z") }
        try alice.line("PRIVMSG #c :take this back")
        let echo = try IRCMessage(parsing: try alice.waitFor("the echo") { $0.contains("PRIVMSG #c :take this back") })
        let msgid = try XCTUnwrap(echo.tag("msgid"))
        try waitUntilStored(msgid, in: dir)
        try alice.line("REDACT #c \(msgid)")
        try alice.waitFor("the REDACT echo") { $0.contains("REDACT #c \(msgid)") }
        try killNow(third)

        // The console's topic, killed the moment it says ok.
        let fourth = try chatds.start(dataDir: dir)
        alice = try aliceIn(fourth)
        try alice.line("CHATHISTORY LATEST #c * 50")
        let history = try alice.waitFor("the history batch's end") { $0.contains("BATCH -") }
        XCTAssertFalse(alice.received.contains { $0.contains("take this back") }, "the redacted message stays gone: \(history)")
        let answer = try ConsoleLine.exchange(##"{"cmd":"topic","channel":"#c","text":"from the console"}"##,
                                              socket: dir + "/console.sock")
        XCTAssertTrue(answer.contains(#""ok":true"#), answer)
        try killNow(fourth)

        let fifth = try chatds.start(dataDir: dir)
        alice = try aliceIn(fifth)
        XCTAssertTrue(alice.received.contains { $0.contains(" 332 alice #c :from the console") }, "\(alice.received)")
    }

    /// Waits (bounded) until the history writer has put `msgid` on disk.
    func waitUntilStored(_ msgid: String, in dir: String) throws {
        let database = try DatabaseQueue(path: dir + "/chatd.sqlite", configuration: { var c = Configuration(); c.readonly = true; return c }())
        defer { try? database.close() }
        let deadline = Date().addingTimeInterval(30)
        while try database.read({ try Int.fetchOne($0, sql: "SELECT COUNT(*) FROM message WHERE msgid = ?", arguments: [msgid]) ?? 0 }) == 0 {
            guard Date() < deadline else { throw LoopbackTimeout(waitingFor: "the message to reach the disk") }
            usleep(10_000)
        }
    }
}

/// One request on the admin console's Unix socket, one reply line back.
enum ConsoleLine {
    static func exchange(_ request: String, socket path: String, timeout: Int = 20) throws -> String {
        let fd = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            let bytes = Array(path.utf8.prefix(raw.count - 1))
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else { throw IOError(errnoCode: errno, function: "connect \(path)") }
        var tv = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        let line = Array((request + "\n").utf8)
        guard line.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == line.count else {
            throw IOError(errnoCode: errno, function: "send")
        }
        var reply: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !reply.contains(0x0A) {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { throw LoopbackTimeout(waitingFor: "the console's reply") }
            reply += buffer[0..<n]
        }
        return String(decoding: reply.prefix { $0 != 0x0A }, as: UTF8.self)
    }
}
