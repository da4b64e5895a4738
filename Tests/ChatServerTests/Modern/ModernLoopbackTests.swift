@testable import ChatServer
import CoreLoop
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Issue #18's additions as a client uses them, over loopback sockets:
/// SCRAM-SHA-256 log-in, extended bans and exceptions, UTF8ONLY, metadata, LINKS.
final class ModernLoopbackTests: XCTestCase {
    var server: DaemonThread?
    var dir = ""

    override func setUpWithError() throws {
        dir = ChatdProcess.temporaryDataDir()
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        server = try DaemonThread(storage: try ChatStorage(path: dir + "/chatd.sqlite")) {
            $0.serverName = "modern.test"
            $0.limits.floodLinesPerSecond = 0
        }
        server!.start()
    }

    override func tearDown() {
        server?.stop()
        try? FileManager.default.removeItem(atPath: dir)
    }

    var port: Int { server!.port }

    private func command(_ line: String) -> String? {
        Array(line.utf8).withUnsafeBytes { try? IRCMessage(parsing: $0) }?.command
    }

    /// Registers `nick` with an account of the same name.
    private func accountHolder(_ nick: String, password: String) throws -> LoopbackIRCClient {
        let c = try LoopbackIRCClient(port: port)
        try c.register(nick)
        try c.line("REGISTER * * :\(password)")
        try c.waitForNumeric("900")
        return c
    }

    func testScramLogInOverTheWire() throws {
        let owner = try accountHolder("alice", password: "correct-horse-battery")
        try owner.line("QUIT")
        _ = try owner.readToEnd()

        let c = try LoopbackIRCClient(port: port)
        try c.line("CAP LS 302")
        let ls = try c.waitForCapLS()
        XCTAssertTrue(ls.contains("sasl=PLAIN,EXTERNAL,SCRAM-SHA-256"), ls)
        try c.line("CAP REQ :sasl")
        try c.waitFor("ACK") { $0.contains(" ACK ") }
        try c.line("NICK alice")
        try c.line("USER alice 0 * :Alice")
        try c.line("AUTHENTICATE SCRAM-SHA-256")
        try c.waitFor("+") { $0 == "AUTHENTICATE +" }
        var scram = ScramTestClient(user: "alice", password: "correct-horse-battery")
        try c.line("AUTHENTICATE " + ScramTestClient.b64(scram.clientFirst))
        let first = try c.waitFor("server-first") { $0.hasPrefix("AUTHENTICATE ") }
        let serverFirst = try XCTUnwrap(ScramTestClient.unb64(String(first.dropFirst(13))))
        let final = try XCTUnwrap(scram.clientFinal(serverFirst: serverFirst))
        XCTAssertFalse(final.contains("correct-horse"), "the password never goes on the wire")
        try c.line("AUTHENTICATE " + ScramTestClient.b64(final))
        let last = try c.waitFor("server-final") { $0.hasPrefix("AUTHENTICATE ") }
        XCTAssertTrue(scram.verify(serverFinal: try XCTUnwrap(ScramTestClient.unb64(String(last.dropFirst(13))))))
        try c.line("AUTHENTICATE +")
        try c.waitForNumeric("903")
        try c.line("CAP END")
        try c.waitForNumeric("001")
        try c.line("WHOIS alice")
        let account = try c.waitForNumeric("330")
        XCTAssertTrue(account.contains(" alice alice "), account)
    }

    func testBansExceptionsUTF8AndLinks() throws {
        let op = try LoopbackIRCClient(port: port)
        try op.register("op")
        try op.line("JOIN #room")
        try op.waitForNumeric("366")
        try op.line("MODE #room +b $a:mallory")
        try op.line("MODE #room +b $m:quiet")
        try op.waitFor("mute set") { $0.contains("MODE #room +b $m:quiet!*@*") }

        let mallory = try accountHolder("mallory", password: "long-enough-pass")
        try mallory.line("JOIN #room")
        let refused = try mallory.waitForNumeric("474", "366")
        XCTAssertEqual(command(refused), "474", refused)

        let quiet = try LoopbackIRCClient(port: port)
        try quiet.register("quiet")
        try quiet.line("JOIN #room")
        try quiet.waitForNumeric("366")
        try quiet.line("PRIVMSG #room :am I heard?")
        try quiet.waitForNumeric("404")
        // An exception for the account lifts mallory's ban.
        try op.line("MODE #room +e $a:mallory")
        try op.waitFor("exception set") { $0.contains("MODE #room +e $a:mallory") }
        try mallory.line("JOIN #room")
        try mallory.waitForNumeric("366")

        var bad = Array("PRIVMSG #room :caf".utf8)
        bad.append(0xE9)
        bad += Array("\r\n".utf8)
        try sendRaw(quiet, bad)
        let fail = try quiet.waitFor("FAIL") { $0.contains(" FAIL ") }
        XCTAssertTrue(fail.hasSuffix("FAIL PRIVMSG INVALID_UTF8 :\(UTF8Only.failText)"), fail)

        try op.line("LINKS")
        let links = try op.waitForNumeric("364")
        XCTAssertTrue(links.hasSuffix(" modern.test modern.test :0 ChatNet chat server"), links)
        try op.waitForNumeric("365")
    }

    func testMetadataReachesSubscribers() throws {
        let alice = try LoopbackIRCClient(port: port), bob = try LoopbackIRCClient(port: port)
        try bob.line("CAP REQ :draft/metadata-2")
        try bob.line("CAP END")
        try bob.register("bob")
        try alice.register("alice")
        try bob.line("METADATA * SUB display-name status")
        try bob.waitForNumeric("770")
        for c in [alice, bob] {
            try c.line("JOIN #meta")
            try c.waitForNumeric("366")
        }
        try alice.line("METADATA * SET status :at the review")
        try alice.waitForNumeric("761")
        let note = try bob.waitFor("METADATA") { $0.contains(" METADATA ") }
        XCTAssertTrue(note.hasPrefix(":alice!") && note.hasSuffix(" METADATA alice status * :at the review"), note)
    }

    private func sendRaw(_ c: LoopbackIRCClient, _ bytes: [UInt8]) throws {
        let n = bytes.withUnsafeBytes { Glibc.send(c.fd, $0.baseAddress, bytes.count, Int32(MSG_NOSIGNAL)) }
        XCTAssertEqual(n, bytes.count)
    }
}
