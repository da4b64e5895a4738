@testable import ChatServer
import XCTest

/// UTF8ONLY: lines that are not UTF-8 are refused with FAIL … INVALID_UTF8 and never relayed.
final class UTF8OnlyTests: XCTestCase {
    func testValidator() {
        func valid(_ bytes: [UInt8]) -> Bool { bytes.withUnsafeBytes { UTF8Only.isValid($0) } }
        XCTAssertTrue(valid(Array("plain ascii".utf8)))
        XCTAssertTrue(valid(Array("héllo wörld — 😀 ✓".utf8)))
        XCTAssertTrue(valid([0xF4, 0x8F, 0xBF, 0xBF]), "U+10FFFF")
        XCTAssertFalse(valid([0xE9]), "Latin-1 é")
        XCTAssertFalse(valid([0xC0, 0xAF]), "overlong /")
        XCTAssertFalse(valid([0xE0, 0x80, 0xAF]), "overlong, three bytes")
        XCTAssertFalse(valid([0xED, 0xA0, 0x80]), "a surrogate")
        XCTAssertFalse(valid([0xF4, 0x90, 0x80, 0x80]), "above U+10FFFF")
        XCTAssertFalse(valid([0xE2, 0x82]), "cut short")
        XCTAssertFalse(valid([0xE2, 0x28, 0xA1]), "bad continuation")
        XCTAssertFalse(valid([0xFF]))
    }

    func testInvalidLinesAreRefusedAndNotRelayed() {
        let net = TestNet()
        let alice = net.user("alice"), bob = net.user("bob")
        alice.send("JOIN #c"); bob.send("JOIN #c")
        _ = alice.lines(); _ = bob.lines()
        var line = Array("PRIVMSG #c :caf".utf8) + [0xE9] + Array("\r\n".utf8)
        line.withUnsafeBytes { _ = net.server.receive($0, from: alice.client!) }
        XCTAssertEqual(alice.plainLines(), [":test.server FAIL PRIVMSG INVALID_UTF8 :\(UTF8Only.failText)"])
        XCTAssertEqual(bob.lines(), [])
        // A command word that is not readable: FAIL *.
        line = [0xFF, 0xFE] + Array(" x\r\n".utf8)
        line.withUnsafeBytes { _ = net.server.receive($0, from: alice.client!) }
        XCTAssertEqual(alice.plainLines(), [":test.server FAIL * INVALID_UTF8 :\(UTF8Only.failText)"])
        // A source is skipped to find the command (tags are too, for message-tags clients).
        line = Array(":alice topic #c :".utf8) + [0xC3] + Array("\r\n".utf8)
        line.withUnsafeBytes { _ = net.server.receive($0, from: alice.client!) }
        XCTAssertEqual(alice.plainLines(), [":test.server FAIL TOPIC INVALID_UTF8 :\(UTF8Only.failText)"])
        alice.send("PRIVMSG #c :café ✓")
        XCTAssertEqual(bob.plainLines(), [":alice!~alice@127.0.0.1 PRIVMSG #c :café ✓"])
    }

    func testBeforeRegistrationToo() {
        let net = TestNet()
        let u = net.connect()
        u.send("NICK n")
        let line = Array("USER n 0 * :R".utf8) + [0xE9] + Array("\r\n".utf8)
        line.withUnsafeBytes { _ = net.server.receive($0, from: u.client!) }
        XCTAssertEqual(u.plainLines(), [":test.server FAIL USER INVALID_UTF8 :\(UTF8Only.failText)"])
        XCTAssertFalse(u.client!.isRegistered)
    }
}
