@testable import ChatServer
import Foundation
import XCTest

/// Text from the console, the MOTD file or storage cannot put CR, LF or NUL
/// into a line sent to clients, and client text is escaped in the log.
final class LineInjectionTests: XCTestCase {
    func ask(_ host: ConsoleHost, _ json: String) -> [String: Any] {
        var reply: ConsoleReply?
        ConsoleVerbs.handle(try! ConsoleRequest(line: Data(json.utf8)), host: host) { reply = $0 }
        return try! JSONSerialization.jsonObject(with: reply!.line) as! [String: Any]
    }

    func testConsoleTextCannotEndALineEarly() {
        let net = TestNet()
        let host = FakeConsoleHost(net)
        let alice = net.user("alice"), bob = net.user("bob")
        alice.send("JOIN #c")
        _ = alice.lines()
        _ = ask(host, ##"{"cmd":"topic","channel":"#c","text":"hi\r\nPRIVMSG #c :forged\u0000x"}"##)
        XCTAssertEqual(alice.plainLines(), [":test.server TOPIC #c :hi  PRIVMSG #c :forged x"])
        _ = ask(host, ##"{"cmd":"wall","text":"a\nKILL alice"}"##)
        XCTAssertEqual(bob.plainLines(), [":test.server NOTICE bob :*** a KILL alice"])
        _ = ask(host, ##"{"cmd":"disconnect","nick":"bob","reason":"x\r\nERROR :fake"}"##)
        let last = bob.lines()
        XCTAssertEqual(last.count, 2, "KILL and ERROR, nothing smuggled: \(last)")
        XCTAssertTrue(last.allSatisfy { !$0.contains("\r") && !$0.contains("\n") })
    }

    func testEncodingRemovesLineBreaksFromEveryPart() {
        let message = IRCMessage(source: "a\rb", command: "NOTICE", params: ["x\ny", "t\0e\r\nxt"])
        XCTAssertEqual(String(decoding: message.encoded(), as: UTF8.self), ":a b NOTICE x y :t e  xt\r\n")
    }

    func testMotdSplitsOnEveryLineEnding() {
        XCTAssertEqual(ServerConfig.motdLines("one\r\ntwo\rthree\nfour\r\n"), ["one", "two", "three", "four"])
        XCTAssertEqual(ServerConfig.motdLines("single"), ["single"])
    }

    func testClientTextIsEscapedForTheLog() {
        XCTAssertEqual("bob\r\n[fake] admin logged in\u{7F}".escapedForLog, "bob\\x0D\\x0A[fake] admin logged in\\x7F")
        XCTAssertEqual("plain ünïcode".escapedForLog, "plain ünïcode")
    }
}
