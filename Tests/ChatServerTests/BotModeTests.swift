@testable import ChatServer
import XCTest

final class BotModeTests: XCTestCase {
    func testBotModeShowsEverywhere() {
        let net = TestNet()
        let bot = net.user("bot"), alice = net.user("alice", caps: ["message-tags"]), plain = net.user("plain")
        bot.send("MODE bot +B")
        XCTAssertEqual(bot.plainLines(), [":bot!~bot@127.0.0.1 MODE bot +B"])
        bot.send("MODE bot +B")
        XCTAssertEqual(bot.lines(), [])
        bot.send("MODE bot")
        XCTAssertEqual(bot.plainLines(), [":test.server 221 bot :+B"])
        for u in [bot, alice, plain] { u.send("JOIN #c") }
        for u in [bot, alice, plain] { _ = u.lines() }
        bot.send("PRIVMSG #c :beep")
        let tagged = alice.lines()
        XCTAssertEqual(tagged.count, 1)
        let tagKeys = (try? IRCMessage(parsing: tagged[0]))?.tags.map(\.key) ?? []
        XCTAssertTrue(tagKeys.contains("bot") && tagKeys.contains("draft/bot"), "the ratified tag and the draft's: \(tagged[0])")
        XCTAssertEqual(plain.lines(), [":bot!~bot@127.0.0.1 PRIVMSG #c :beep"])
        bot.send("PRIVMSG alice :hi")
        XCTAssertTrue(alice.lines().first?.contains("bot") ?? false)
        alice.send("WHOIS bot")
        XCTAssertTrue(alice.plainLines().contains(":test.server 335 alice bot :is a bot"))
        alice.send("WHO bot")
        XCTAssertEqual(alice.plainLines().first, ":test.server 352 alice #c ~bot 127.0.0.1 test.server bot HB@ :0 bot Real")
        alice.send("WHO bot %f")
        XCTAssertEqual(alice.plainLines().first, ":test.server 354 alice :HB@")
        // A user who is not a bot: no tag, no 335.
        alice.send("PRIVMSG #c :hi")
        XCTAssertFalse(plain.lines().first?.contains("bot") ?? true)
        alice.send("WHOIS alice")
        XCTAssertFalse(alice.codes().contains("335"))
        bot.send("MODE bot -B")
        XCTAssertEqual(bot.plainLines().suffix(1), [":bot!~bot@127.0.0.1 MODE bot -B"])
        bot.send("PRIVMSG #c :human now")
        XCTAssertFalse(alice.lines().first?.contains("@bot") ?? true)
        // Nobody sets +B on someone else.
        alice.send("MODE bot +B")
        XCTAssertEqual(alice.codes(), ["502"])
    }

    func testAdvertised() {
        let net = TestNet()
        let u = net.connect()
        u.send("NICK n"); u.send("USER n 0 * :n")
        let lines = u.plainLines()
        XCTAssertTrue(lines.contains { $0.contains(" 004 ") && $0.contains(" Biow ") })
        XCTAssertTrue(lines.contains { $0.contains(" 005 ") && $0.contains(" BOT=B ") })
    }
}
