@testable import ChatServer
import XCTest

/// draft/no-implicit-names (JOIN without NAMES) and draft/pre-away (AWAY
/// before registration completes).
final class PresenceCapabilityTests: XCTestCase {
    func testNoImplicitNamesLeavesNamesToTheClient() {
        let net = TestNet()
        let bot = net.user("bot", caps: ["draft/no-implicit-names"])
        bot.send("JOIN #c")
        XCTAssertEqual(bot.codes(), ["JOIN"], "no 353/366 after the JOIN")
        bot.send("NAMES #c")
        XCTAssertEqual(bot.codes(), ["353", "366"], "asked for, they come")
        let person = net.user("person")
        person.send("JOIN #c")
        XCTAssertEqual(person.codes(), ["JOIN", "353", "366"], "others get them as before")
    }

    func testAwayBeforeRegistrationNeedsTheCapability() {
        let net = TestNet()
        let plain = net.connect()
        plain.send("AWAY :lunch")
        XCTAssertEqual(plain.plainLines(), [":test.server 451 * :You have not registered"])

        let watcher = net.user("watcher", caps: ["away-notify"])
        watcher.send("JOIN #c")
        _ = watcher.lines()
        let phone = net.connect()
        phone.send("CAP LS 302")
        phone.send("CAP REQ :draft/pre-away")
        phone.send("AWAY *")
        phone.send("NICK phone")
        phone.send("USER phone 0 * :Phone")
        phone.send("CAP END")
        let lines = phone.plainLines()
        XCTAssertTrue(lines.contains(":test.server 306 * :You have been marked as being away"), "\(lines)")
        XCTAssertTrue(lines.contains { $0.contains(" 001 phone ") }, "\(lines)")
        XCTAssertEqual(watcher.lines(), [], "nobody hears of a connection that is not registered yet")

        phone.send("JOIN #c")
        _ = phone.lines()
        XCTAssertEqual(watcher.plainLines(), [":phone!~phone@127.0.0.1 JOIN #c", ":phone!~phone@127.0.0.1 AWAY :*"],
                       "away-notify members learn it with the JOIN")
        watcher.send("WHOIS phone")
        XCTAssertTrue(watcher.plainLines().contains(":test.server 301 watcher phone :*"))
        phone.send("AWAY")
        XCTAssertEqual(phone.codes(), ["305"])
        XCTAssertEqual(watcher.plainLines(), [":phone!~phone@127.0.0.1 AWAY"])
    }
}
