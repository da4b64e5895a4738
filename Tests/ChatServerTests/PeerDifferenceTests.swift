@testable import ChatServer
import XCTest

/// Replies where chatd differed from ngIRCd 26 and InspIRCd 3 on the same
/// input and the standards (RFC 2812, the modern client docs, IRCv3) side
/// with the peers.
final class PeerDifferenceTests: XCTestCase {
    func testTagsFromAClientWithoutMessageTagsAreIgnoredNotTooLong() {
        let net = TestNet()
        let u = net.user("u"), v = net.user("v")
        u.send("@a=b PING :still")
        XCTAssertEqual(u.plainLines(), [":test.server PONG test.server :still"])
        u.send("@+x=y PRIVMSG v :hi")
        XCTAssertEqual(v.lines(), [":u!~u@127.0.0.1 PRIVMSG v :hi"])
        u.send("@a=b")
        u.send("@" + String(repeating: "a", count: 4095) + " PING x")
        XCTAssertEqual(u.codes(), ["417"])
        u.assertNothingUnread()
        v.assertNothingUnread()
    }

    func testAServerTargetThatIsNeitherThisServerNorAUserIs402() {
        let net = TestNet()
        let u = net.user("u")
        for command in ["VERSION", "TIME", "MOTD", "ADMIN", "INFO", "LUSERS *", "WHOIS"] {
            u.send("\(command) other.server" + (command == "WHOIS" ? " u" : ""))
            XCTAssertEqual(u.plainLines(), [":test.server 402 u other.server :No such server"], command)
        }
        // This server by name or mask, or a user on it, is answered as without a target.
        u.send("TIME test.server")
        XCTAssertEqual(u.codes(), ["391"])
        u.send("VERSION *.server")
        XCTAssertEqual(u.codes().first, "351")
        u.send("INFO u")
        XCTAssertEqual(u.codes().last, "374")
        u.send("MOTD TEST.SERVER")
        XCTAssertEqual(u.codes(), ["375", "372", "376"])
        u.send("WHOIS u u")
        XCTAssertEqual(u.codes().last, "318")
        u.send("WHOIS ghost GHOST")  // a remote whois of someone not here: 401, as InspIRCd says
        XCTAssertEqual(u.codes(), ["401", "318"])
        u.assertNothingUnread()
    }

    func testAdminAnswers256To259() {
        let net = TestNet { $0.adminEmail = "ops@example.org" }
        let u = net.user("u")
        u.send("ADMIN")
        XCTAssertEqual(u.plainLines(), [
            ":test.server 256 u test.server :Administrative info",
            ":test.server 257 u :ChatNet",
            ":test.server 258 u :chatd \(ChatServerVersion.string) at test.server",
            ":test.server 259 u :ops@example.org",
        ])
    }

    func testWhoisTakesACommaListOfNicks() {
        let net = TestNet()
        let u = net.user("u")
        net.user("v")
        u.send("WHOIS v,nobody,u")
        let lines = u.plainLines().filter { $0.contains(" 311 ") || $0.contains(" 318 ") || $0.contains(" 401 ") }
        XCTAssertEqual(lines, [
            ":test.server 311 u v ~v 127.0.0.1 * :v Real",
            ":test.server 318 u v :End of /WHOIS list",
            ":test.server 401 u nobody :No such nick/channel",
            ":test.server 318 u nobody :End of /WHOIS list",
            ":test.server 311 u u ~u 127.0.0.1 * :u Real",
            ":test.server 318 u u :End of /WHOIS list",
        ])
        u.send("WHOIS :")
        XCTAssertEqual(u.codes(), ["431"])
    }

    func testWallopsReachesPlusWUsersAndNeedsAnOperator() {
        let net = TestNet()
        let oper = net.user("oper"), reader = net.user("reader"), other = net.user("other")
        oper.send("WALLOPS :hi everyone")
        XCTAssertEqual(oper.plainLines(), [":test.server 481 oper :Permission Denied- You're not an IRC operator"])
        reader.send("MODE reader +w")
        XCTAssertEqual(reader.plainLines(), [":reader!~reader@127.0.0.1 MODE reader +w"])
        reader.send("MODE reader")
        XCTAssertEqual(reader.plainLines(), [":test.server 221 reader :+w"])
        oper.send("OPER root sesame")
        _ = oper.lines()
        oper.send("WALLOPS :hi everyone")
        XCTAssertEqual(reader.plainLines(), [":oper!~oper@127.0.0.1 WALLOPS :hi everyone"])
        oper.assertNothingUnread()
        other.assertNothingUnread()
    }

    func testOpAndVoiceWithoutANickAnswer696() {
        let net = TestNet()
        let op = net.user("op")
        op.send("JOIN #c")
        _ = op.lines()
        op.send("MODE #c +o")
        XCTAssertEqual(op.plainLines(), [":test.server 696 op #c o * :You must specify a parameter for the op mode"])
        op.send("MODE #c -v")
        XCTAssertEqual(op.plainLines(), [":test.server 696 op #c v * :You must specify a parameter for the voice mode"])
    }

    func testARepeatedTargetGetsTheMessageOnce() {
        let net = TestNet()
        let u = net.user("u"), v = net.user("v")
        u.send("JOIN #c")
        v.send("JOIN #c")
        _ = u.lines()
        _ = v.lines()
        u.send("PRIVMSG v,V,#c,#C :hi")
        XCTAssertEqual(v.plainLines(), [":u!~u@127.0.0.1 PRIVMSG v :hi", ":u!~u@127.0.0.1 PRIVMSG #c :hi"])
        u.assertNothingUnread()
    }

    func testInviteNotifyShowsTheInviteToMembersWhoAskedForIt() {
        let net = TestNet()
        let op = net.user("op"), watcher = net.user("watcher", caps: ["invite-notify"])
        let plain = net.user("plain"), guest = net.user("guest")
        for u in [op, watcher, plain] { u.send("JOIN #c") }
        _ = [op, watcher, plain].map { $0.lines() }
        op.send("INVITE guest #c")
        XCTAssertEqual(op.codes(), ["341"])
        XCTAssertEqual(guest.plainLines(), [":op!~op@127.0.0.1 INVITE guest #c"])
        XCTAssertEqual(watcher.plainLines(), [":op!~op@127.0.0.1 INVITE guest #c"])
        plain.assertNothingUnread()
    }

    func testAnEchoedTagmsgComesBackEvenIfTheRecipientCannotGetIt() {
        let net = TestNet()
        let u = net.user("u", caps: ["message-tags", "echo-message"])
        let v = net.user("v")
        u.send("@+typing=active TAGMSG v")
        XCTAssertEqual(u.plainLines(), [":u!~u@127.0.0.1 TAGMSG v"])
        v.assertNothingUnread()
    }

    func testBareInviteListsTheChannelsYouAreInvitedTo() {
        let net = TestNet()
        let op = net.user("op"), guest = net.user("guest")
        op.send("JOIN #b")
        op.send("JOIN #a")
        op.send("JOIN #c")
        _ = op.lines()
        op.send("INVITE guest #b")
        op.send("INVITE guest #a")
        _ = op.lines()
        _ = guest.lines()
        guest.send("INVITE")
        XCTAssertEqual(guest.plainLines(), [
            ":test.server 336 guest :#a", ":test.server 336 guest :#b", ":test.server 337 guest :End of /INVITE list",
        ])
        guest.send("INVITE op")
        XCTAssertEqual(guest.codes(), ["461"])
    }

    func testListFiltersByMaskNegatedMaskAndUserCount() {
        let net = TestNet()
        let a = net.user("a"), b = net.user("b"), asker = net.user("asker")
        a.send("JOIN #chan1")
        a.send("JOIN #chan2")
        b.send("JOIN #chan2")
        _ = a.lines()
        _ = b.lines()
        func listed(_ filter: String) -> [String] { asker.listedChannels(filter) }
        XCTAssertEqual(listed("*an1"), ["#chan1"])
        XCTAssertEqual(listed("#c*n2"), ["#chan2"])
        XCTAssertEqual(listed("!*an1"), ["#chan2"])
        XCTAssertEqual(listed("#ch*"), ["#chan1", "#chan2"])
        XCTAssertEqual(listed(">1"), ["#chan2"])
        XCTAssertEqual(listed("<2"), ["#chan1"])
        XCTAssertEqual(listed("<1"), [])
        XCTAssertEqual(listed("#chan1,#CHAN1,#nosuch"), ["#chan1"])
        asker.send("VERSION")
        XCTAssertTrue(asker.plainLines().contains { $0.contains(" ELIST=CMNTU ") })
    }

    func testKickPairsAsManyChannelsAsNicks() {
        let net = TestNet()
        let op = net.user("op"), bar = net.user("bar"), baz = net.user("baz")
        op.send("JOIN #chan")
        op.send("JOIN #other")
        bar.send("JOIN #chan")
        baz.send("JOIN #other")
        _ = [op, bar, baz].map { $0.lines() }
        op.send("KICK #chan,#other bar,baz :bye")
        XCTAssertEqual(op.plainLines(), [":op!~op@127.0.0.1 KICK #chan bar :bye", ":op!~op@127.0.0.1 KICK #other baz :bye"])
        op.send("KICK #chan,#other op :x")
        XCTAssertEqual(op.codes(), ["461"])
        op.send("KICK #chan,#nosuch op,op :x")
        XCTAssertEqual(op.plainLines(), [":op!~op@127.0.0.1 KICK #chan op :x", ":test.server 403 op #nosuch :No such channel"])
    }

    func testACommandWordThatIsNotACommandIs421() {
        let net = TestNet()
        let u = net.user("u")
        u.send("FOO-BAR x")
        u.send("@a=b :src 1234 y")
        u.send("F00")
        XCTAssertEqual(u.plainLines(), [
            ":test.server 421 u FOO-BAR :Unknown command",
            ":test.server 421 u 1234 :Unknown command",
            ":test.server 421 u F00 :Unknown command",
        ])
        let early = net.connect()
        early.send("FOO-BAR")
        XCTAssertEqual(early.codes(), ["451"])
    }

    func testWhowasTakesACommaListAndAServerTarget() {
        let net = TestNet()
        let u = net.user("u"), gone = net.user("gone")
        gone.send("QUIT")
        net.clock.advance(seconds: 1)
        net.user("later").send("QUIT")
        u.send("WHOWAS gone,never,later")
        let lines = u.plainLines()
        XCTAssertEqual(lines.map { $0.split(separator: " ")[1] }, ["406", "314", "312", "314", "312", "369"])
        XCTAssertEqual(lines.filter { $0.contains(" 314 ") }.map { $0.split(separator: " ")[3] }, ["later", "gone"],
                       "newest first across the list (irctest's testWhowasMultiTarget)")
        XCTAssertEqual(lines.last, ":test.server 369 u gone,never,later :End of WHOWAS")
        u.send("WHOWAS gone 1 other.server")
        XCTAssertEqual(u.codes(), ["402"])
        u.send("WHOWAS gone 1 test.server")
        XCTAssertEqual(u.codes(), ["314", "312", "369"])
    }

    func testMessagesCarryTheChannelAndNickAsTheirOwnersSpellThem() {
        let net = TestNet()
        let alice = net.user("Alice", caps: ["echo-message"]), bob = net.user("bob")
        alice.send("JOIN #Chat")
        bob.send("JOIN #chat")
        _ = alice.lines()
        _ = bob.lines()
        bob.send("PRIVMSG #CHAT :hi")
        XCTAssertEqual(alice.plainLines(), [":bob!~bob@127.0.0.1 PRIVMSG #Chat :hi"])
        bob.send("NOTICE ALICE :psst")
        XCTAssertEqual(alice.plainLines(), [":bob!~bob@127.0.0.1 NOTICE Alice :psst"])
        alice.send("PRIVMSG @#CHAT :ops")
        XCTAssertEqual(alice.plainLines(), [":Alice!~alice@127.0.0.1 PRIVMSG @#Chat :ops"])
        bob.assertNothingUnread()
    }

    func testASecretChannelShowsOutsidersNeitherTopicNorModesNorBans() {
        let net = TestNet()
        let op = net.user("op"), outsider = net.user("out")
        op.send("JOIN #hidden")
        op.send("TOPIC #hidden :plans")
        op.send("MODE #hidden +s")
        op.send("MODE #hidden +b bad!*@*")
        _ = op.lines()
        for command in ["TOPIC #hidden", "TOPIC #hidden :x", "MODE #hidden", "MODE #hidden +b", "MODE #hidden +m"] {
            outsider.send(command)
            XCTAssertEqual(outsider.plainLines(), [":test.server 403 out #hidden :No such channel"], command)
        }
        op.send("TOPIC #hidden")
        XCTAssertEqual(op.codes(), ["332", "333"])
        op.assertNothingUnread()
    }
}
