@testable import ChatServer
import XCTest

/// Behaviour checked against the modern IRC docs and IRCv3 specifications,
/// as a client sees it.
final class StandardBehaviourTests: XCTestCase {
    func testSecretChannelsAreHiddenFromNonMembers() {
        let net = TestNet()
        let op = net.user("op"), outsider = net.user("out")
        op.send("JOIN #hidden")
        op.send("JOIN #open")
        op.send("MODE #hidden +s")
        _ = op.lines()
        outsider.send("LIST")
        let list = outsider.plainLines()
        XCTAssertFalse(list.contains { $0.contains("#hidden") }, "\(list)")
        XCTAssertTrue(list.contains { $0.contains(" 322 out #open ") })
        outsider.send("NAMES #hidden")
        XCTAssertEqual(outsider.plainLines(), [":test.server 366 out #hidden :End of /NAMES list"])
        outsider.send("WHO #hidden")
        XCTAssertEqual(outsider.codes(), ["315"])
        outsider.send("WHOIS op")
        XCTAssertEqual(outsider.plainLines().first { $0.contains(" 319 ") }, ":test.server 319 out op :@#open")
        op.send("NAMES #hidden")
        XCTAssertEqual(op.plainLines().first, ":test.server 353 op @ #hidden :@op", "members see it, marked secret")
        op.send("MODE #hidden")
        XCTAssertEqual(op.plainLines().first, ":test.server 324 op #hidden :+nst")
        outsider.assertNothingUnread("after the secret channel's queries")
    }

    func testWhoChannelShowsInvisibleUsersWhoShareAChannelWithTheAsker() {
        let net = TestNet()
        let ghost = net.user("ghost"), asker = net.user("asker"), stranger = net.user("stranger")
        ghost.send("MODE ghost +i")
        ghost.send("JOIN #room")
        ghost.send("JOIN #common")
        asker.send("JOIN #common")
        _ = asker.lines()
        asker.send("WHO #room")
        XCTAssertEqual(asker.codes(), ["352", "315"], "asker shares #common with ghost")
        stranger.send("WHO #room")
        XCTAssertEqual(stranger.codes(), ["315"], "nobody shares a channel with the stranger")
        stranger.send("WHO gho*")
        XCTAssertEqual(stranger.codes(), ["315"], "+i hides from masks")
        stranger.send("WHO ghost")
        XCTAssertEqual(stranger.codes(), ["352", "315"], "but not from someone who names the nick (irctest's testWhoInvisible)")
    }

    func testKickTakesSeveralNicks() {
        let net = TestNet()
        let op = net.user("op"), a = net.user("a"), b = net.user("b"), c = net.user("c")
        op.send("JOIN #k")
        for u in [a, b, c] { u.send("JOIN #k") }
        _ = op.lines()
        op.send("KICK #k a,b,c :out")
        XCTAssertEqual(op.plainLines().filter { $0.contains(" KICK ") }.count, 3)
        XCTAssertEqual(net.server.channel(named: "#k")?.members.count, 1)
        op.assertNothingUnread()
    }

    func testWhowasCountZeroOrNegativeMeansAll() {
        let net = TestNet { $0.limits.whowasEntries = 50 }
        for _ in 0..<12 {
            let u = net.user("dup")
            u.send("QUIT")
        }
        let asker = net.user("asker")
        asker.send("WHOWAS dup 0")
        XCTAssertEqual(asker.codes().filter { $0 == "314" }.count, 12)
        asker.send("WHOWAS dup -1")
        XCTAssertEqual(asker.codes().filter { $0 == "314" }.count, 12)
        asker.send("WHOWAS dup 2")
        XCTAssertEqual(asker.codes().filter { $0 == "314" }.count, 2)
    }

    func testKeyAndLimitModesWithoutAParameterAreRefused() {
        let net = TestNet()
        let op = net.user("op")
        op.send("JOIN #m")
        _ = op.lines()
        op.send("MODE #m +l")
        op.send("MODE #m +l :")
        op.send("MODE #m +k")
        XCTAssertEqual(op.codes(), ["696", "696", "696"])
        XCTAssertNil(net.server.channel(named: "#m")?.userLimit)
    }

    func testEmptyRealNameIsAMissingParameterAndAnUnusableUserNameInvalid() {
        let net = TestNet()
        let u = net.connect()
        u.send("NICK x")
        u.send("USER x 0 * :")
        XCTAssertEqual(u.codes(), ["461"])
        // Nothing of it is in the ident alphabet: 468, and USER may come again.
        u.feed("USER \u{FFFD}\u{FFFD} 0 * :Real\r\n")
        XCTAssertEqual(u.codes(), ["468"])
        u.send("USER \u{1F60A}\u{1F60A} 0 * :Real")
        XCTAssertEqual(u.plainLines(), [":test.server 468 x :Your username is invalid: use letters, digits, '-', '_' or '.'"])
        u.send("USER ok 0 * :Real Name")
        XCTAssertEqual(u.codes().first, "001")
    }

    func testInviteCarriesTheAccountTagAndAwayUsersAnnounceAwayOnJoin() {
        let net = TestNet()
        let op = net.user("op"), guest = net.user("guest", caps: ["account-tag"])
        op.client!.account = "opacct"
        op.send("JOIN #x")
        op.send("INVITE guest #x")
        XCTAssertEqual(guest.lines().last, "@account=opacct :op!~op@127.0.0.1 INVITE guest #x")
        let watcher = net.user("watcher", caps: ["away-notify"])
        watcher.send("JOIN #x")
        guest.send("AWAY :lunch")
        _ = watcher.lines()
        guest.send("JOIN #x")
        XCTAssertEqual(watcher.plainLines(), [":guest!~guest@127.0.0.1 JOIN #x", ":guest!~guest@127.0.0.1 AWAY :lunch"])
        watcher.assertNothingUnread()
    }

    func testClientTagDataIsLimitedTo4094Bytes() {
        let net = TestNet()
        let u = net.user("u", caps: ["message-tags"])
        let v = net.user("v")
        let fits = "+a=" + String(repeating: "x", count: 4094 - 3)
        u.send("@\(fits) PRIVMSG v :hi")
        XCTAssertEqual(v.plainLines(), [":u!~u@127.0.0.1 PRIVMSG v :hi"])
        u.send("@\(fits)y PRIVMSG v :hi")
        XCTAssertEqual(u.codes(), ["417"])
        XCTAssertEqual(v.lines(), [])
        // Without tags the whole line is the message's: 510 bytes before CR LF, not the tag room too.
        let body = "PRIVMSG v :"
        u.send(body + String(repeating: "z", count: 510 - body.utf8.count))
        XCTAssertEqual(v.plainLines().count, 1)
        u.send(body + String(repeating: "z", count: 511 - body.utf8.count))
        XCTAssertEqual(u.codes(), ["417"], "one byte over, with message-tags on")
        XCTAssertEqual(v.lines(), [])
    }

    /// Replies that echo a client's words stay within LINELEN: the echo is
    /// what gets shorter.
    func testRepliesThatEchoLongInputFitTheLineLength() {
        let net = TestNet { $0.limits.floodLinesPerSecond = 0 }
        let u = net.user("u")
        let targets = (0...80).map { String(format: "z%04d", $0) }.joined(separator: ",")
        let long = String(repeating: "n", count: 400)
        for line in ["PRIVMSG \(targets) :x", "PRIVMSG \(long) :x", "WHOIS \(long)", "MODE #\(long)",
                     "CHATHISTORY SIDEWAYS\(long) * 1", "\(long.uppercased())"] {
            u.send(line)
            let replies = u.plainLines()
            XCTAssertFalse(replies.isEmpty, line)
            for reply in replies { XCTAssertLessThanOrEqual(reply.utf8.count + 2, 512, "\(line.prefix(30)): \(reply)") }
        }
        var params = ["407", String(repeating: "a", count: 600), "Too many targets"]
        ReplyFitting.fit(&params, fixedBytes: 30, limit: 512)
        XCTAssertEqual(params[0], "407")
        XCTAssertEqual(params[2], "Too many targets", "the short words stay whole")
        XCTAssertLessThanOrEqual(30 + 1 + params.reduce(0) { $0 + 1 + $1.utf8.count }, 512)
        var short = ["a", "b"]
        ReplyFitting.fit(&short, fixedBytes: 30, limit: 512)
        XCTAssertEqual(short, ["a", "b"], "nothing to do")
    }
}
