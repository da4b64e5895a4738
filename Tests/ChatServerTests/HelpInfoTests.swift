@testable import ChatServer
import XCTest

final class HelpInfoTests: XCTestCase {
    func testHelpOnACommand() {
        let net = TestNet()
        let alice = net.user("alice")
        alice.send("HELP privmsg")
        let lines = alice.plainLines()
        XCTAssertEqual(lines.first, ":test.server 704 alice PRIVMSG :PRIVMSG <target>[,<target>…] :<text>")
        XCTAssertEqual(Array(lines.dropFirst().dropLast()).map { $0.split(separator: " ")[1] }, ["705"])
        XCTAssertEqual(lines.last, ":test.server 706 alice PRIVMSG :End of /HELP")
        alice.send("HELPOP MONITOR")
        XCTAssertEqual(alice.codes(), ["704", "705", "705", "706"])
    }

    func testHelpIndexAndUnknownTopics() {
        let net = TestNet()
        let alice = net.user("alice")
        alice.send("HELP")
        let lines = alice.plainLines()
        XCTAssertTrue(lines.first?.hasPrefix(":test.server 704 alice * :") ?? false)
        XCTAssertEqual(lines.last, ":test.server 706 alice * :End of /HELP")
        let listed = lines.dropFirst().dropLast().flatMap { $0.split(separator: ":").last!.split(separator: " ") }
        XCTAssertEqual(Set(listed.map(String.init)), Set(CommandTable.standard.names))
        alice.send("HELP nosuchthing")
        XCTAssertEqual(alice.plainLines(), [":test.server 524 alice nosuchthing :No help available on this topic"])
        alice.send("HELP " + String(repeating: "x", count: 200))
        XCTAssertEqual(alice.plainLines().first?.count, ":test.server 524 alice  :No help available on this topic".count + 32)
        // Before registration too.
        let early = net.connect()
        early.send("HELP NICK")
        XCTAssertEqual(early.codes(), ["704", "705", "706"])
    }

    func testEveryCommandHasHelp() {
        for name in CommandTable.standard.names {
            XCTAssertNotNil(HelpTexts.entries[name], "no help for \(name)")
        }
        for name in HelpTexts.entries.keys {
            XCTAssertNotNil(CommandTable.standard[name], "help for unknown \(name)")
        }
    }

    func testInfo() {
        let net = TestNet()
        let alice = net.user("alice")
        alice.send("INFO")
        let codes = alice.codes()
        XCTAssertGreaterThan(codes.count, 2)
        XCTAssertTrue(codes.dropLast().allSatisfy { $0 == "371" })
        XCTAssertEqual(codes.last, "374")
        alice.send("INFO")
        XCTAssertEqual(alice.plainLines().last, ":test.server 374 alice :End of INFO list")
        let early = net.connect()
        early.send("INFO")
        XCTAssertEqual(early.codes(), ["451"])
    }
}
