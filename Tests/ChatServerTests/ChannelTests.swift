@testable import ChatServer
import XCTest

final class ChannelTests: XCTestCase {
    func testJoinCreatesChannelWithCreatorAsOperatorAndShowsNames() {
        let net = TestNet()
        let alice = net.user("alice"), bob = net.user("bob")
        alice.send("JOIN #Lobby")
        XCTAssertEqual(alice.plainLines(), [
            ":alice!~alice@127.0.0.1 JOIN #Lobby",
            ":test.server 353 alice = #Lobby :@alice",
            ":test.server 366 alice #Lobby :End of /NAMES list",
        ])
        bob.send("JOIN #lobby")
        XCTAssertEqual(alice.plainLines(), [":bob!~bob@127.0.0.1 JOIN #Lobby"])
        XCTAssertEqual(bob.plainLines().last(where: { $0.contains(" 353 ") }), ":test.server 353 bob = #Lobby :@alice bob")
        bob.send("JOIN #lobby")
        XCTAssertEqual(bob.lines(), [], "joining twice is a no-op")
        bob.send("JOIN lobby")
        XCTAssertEqual(bob.codes(), ["476"])
    }

    func testJoinZeroAndPart() {
        let net = TestNet()
        let alice = net.user("alice"), bob = net.user("bob")
        alice.send("JOIN #a,#b")
        bob.send("JOIN #a")
        _ = alice.lines(); _ = bob.lines()
        alice.send("PART #a :later")
        XCTAssertEqual(bob.plainLines(), [":alice!~alice@127.0.0.1 PART #a :later"])
        _ = alice.lines()
        alice.send("PART #a")
        XCTAssertEqual(alice.codes(), ["442"])
        alice.send("PART #nowhere")
        XCTAssertEqual(alice.codes(), ["403"])
        alice.send("JOIN 0")
        XCTAssertEqual(alice.plainLines(), [":alice!~alice@127.0.0.1 PART #b :Left all channels"])
        XCTAssertNil(net.server.channel(named: "#b"), "an empty channel goes away")
    }

    func testDisconnectAllTellsEachClientOnlyOfItsOwnEnd() {
        let net = TestNet()
        let users = ["ann", "ben", "cat"].map { nick -> TestUser in
            let u = net.user(nick)
            u.send("JOIN #all")
            return u
        }
        users.forEach { _ = $0.lines() }
        net.server.disconnectAll(reason: "Server shutting down")
        for u in users {
            XCTAssertEqual(u.lines(), ["ERROR :Closing Link: 127.0.0.1 (Server shutting down)"])
            XCTAssertEqual(u.closed, "Server shutting down")
        }
        XCTAssertTrue(net.server.clients.isEmpty)
        XCTAssertTrue(net.server.channels.isEmpty)
        XCTAssertEqual(net.server.stats.users, 0)
    }

    func testKickByOperatorIsSeenByEveryoneAndRemovesTheTarget() {
        let net = TestNet()
        let op = net.user("op"), bob = net.user("bob"), carol = net.user("carol")
        op.send("JOIN #c"); bob.send("JOIN #c"); carol.send("JOIN #c")
        _ = op.lines(); _ = bob.lines(); _ = carol.lines()

        bob.send("KICK #c carol :no")
        XCTAssertEqual(bob.plainLines(), [":test.server 482 bob #c :You're not channel operator"])

        op.send("KICK #c bob :spamming")
        let kick = ":op!~op@127.0.0.1 KICK #c bob :spamming"
        XCTAssertEqual(op.plainLines(), [kick])
        XCTAssertEqual(bob.plainLines(), [kick])
        XCTAssertEqual(carol.plainLines(), [kick])
        XCTAssertNil(net.server.channel(named: "#c")?.members[bob.client!.id])

        op.send("KICK #c bob")
        XCTAssertEqual(op.codes(), ["441"])
        op.send("KICK #c nobody")
        XCTAssertEqual(op.codes(), ["401"])
        op.send("KICK #none bob")
        XCTAssertEqual(op.codes(), ["403"])
        bob.send("PRIVMSG #c :let me back")
        XCTAssertEqual(bob.codes(), ["404"], "kicked users are outside +n channels")
    }

    func testServerOperatorMayKickAnywhere() {
        let net = TestNet()
        let owner = net.user("owner"), oper = net.user("oper")
        owner.send("JOIN #c")
        oper.send("OPER root sesame")
        XCTAssertEqual(oper.codes(), ["381", "MODE"])
        oper.send("KICK #c owner :server policy")
        XCTAssertEqual(owner.plainLines().last, ":oper!~oper@127.0.0.1 KICK #c owner :server policy")
    }

    func testTopicRespectsTopicLockAndPersistsForJoiners() {
        let net = TestNet()
        let op = net.user("op"), bob = net.user("bob")
        op.send("JOIN #c"); bob.send("JOIN #c")
        _ = op.lines(); _ = bob.lines()
        bob.send("TOPIC #c :mine now")
        XCTAssertEqual(bob.codes(), ["482"])
        op.send("TOPIC #c :Release day")
        XCTAssertEqual(bob.plainLines(), [":op!~op@127.0.0.1 TOPIC #c :Release day"])
        _ = op.lines()
        // The same topic again changes nothing: nobody is told, the setter neither.
        op.send("TOPIC #c :Release day")
        XCTAssertEqual(bob.lines(), [])
        XCTAssertEqual(op.lines(), [])
        op.send("MODE #c -t")
        _ = bob.lines()
        bob.send("TOPIC #c :" + String(repeating: "x", count: 500))
        XCTAssertEqual(net.server.channel(named: "#c")?.topic?.utf8.count, 390, "TOPICLEN")
        let carol = net.user("carol")
        carol.send("JOIN #c")
        XCTAssertEqual(carol.codes(), ["JOIN", "332", "333", "353", "366"])
        carol.send("TOPIC #c")
        XCTAssertEqual(carol.codes(), ["332", "333"])
    }

    func testChannelModesAreEnforced() {
        let net = TestNet()
        let op = net.user("op"), bob = net.user("bob")
        op.send("JOIN #c")
        op.send("MODE #c +kl secret 2")
        XCTAssertEqual(op.plainLines().last, ":op!~op@127.0.0.1 MODE #c +kl secret 2")
        bob.send("JOIN #c")
        XCTAssertEqual(bob.codes(), ["475"])
        bob.send("JOIN #c secret")
        XCTAssertEqual(bob.codes().first, "JOIN")
        let carol = net.user("carol")
        carol.send("JOIN #c secret")
        XCTAssertEqual(carol.codes(), ["471"])
        op.send("MODE #c")
        XCTAssertEqual(op.plainLines().suffix(2).first, ":test.server 324 op #c +ntkl secret :2")

        op.send("MODE #c -lk+i *")
        _ = op.lines()
        carol.send("JOIN #c secret")
        XCTAssertEqual(carol.codes(), ["473"])
        op.send("INVITE carol #c")
        XCTAssertEqual(op.codes(), ["341"])
        XCTAssertEqual(carol.plainLines(), [":op!~op@127.0.0.1 INVITE carol #c"])
        carol.send("JOIN #c")
        XCTAssertEqual(carol.codes().first, "JOIN")

        op.send("MODE #c +m")
        _ = bob.lines(); _ = carol.lines()
        bob.send("PRIVMSG #c :hi")
        XCTAssertEqual(bob.codes(), ["404"])
        op.send("MODE #c +v bob")
        bob.send("PRIVMSG #c :hi")
        XCTAssertEqual(carol.plainLines().last, ":bob!~bob@127.0.0.1 PRIVMSG #c :hi")
        op.send("MODE #c +x")
        XCTAssertEqual(op.codes().last, "472")
        _ = bob.lines()
        bob.send("MODE #c +o bob")
        XCTAssertEqual(bob.codes(), ["482"])
    }

    func testBanMasksBlockJoinAndCanBeListed() {
        let net = TestNet()
        let op = net.user("op"), bob = net.user("bob")
        op.send("JOIN #c")
        op.send("MODE #c +b bob")
        XCTAssertEqual(op.plainLines().last, ":op!~op@127.0.0.1 MODE #c +b bob!*@*")
        bob.send("JOIN #c")
        XCTAssertEqual(bob.codes(), ["474"])
        bob.send("MODE #c +b")
        XCTAssertEqual(bob.codes(), ["367", "368"], "anyone may read the list")
        op.send("MODE #c -b bob!*@*")
        bob.send("JOIN #c")
        XCTAssertEqual(bob.codes().first, "JOIN")
    }

    func testNamesListAndMultiPrefix() {
        let net = TestNet()
        let op = net.user("op", caps: ["multi-prefix", "userhost-in-names"]), bob = net.user("bob")
        op.send("JOIN #c"); bob.send("JOIN #c")
        op.send("MODE #c +v op")
        _ = op.lines()
        op.send("NAMES #c")
        XCTAssertEqual(op.plainLines().first, ":test.server 353 op = #c :bob!~bob@127.0.0.1 @+op!~op@127.0.0.1")
        bob.send("TOPIC #c")
        _ = bob.lines()
        bob.send("LIST")
        XCTAssertEqual(bob.plainLines(), [":test.server 321 bob Channel :Users  Name",
                                          ":test.server 322 bob #c 2 :",
                                          ":test.server 323 bob :End of /LIST"])
    }

    func testTooManyChannelsAndTargets() {
        let net = TestNet { $0.limits.maxChannelsPerUser = 2 }
        let u = net.user("u")
        u.send("JOIN #a,#b,#c")
        XCTAssertEqual(u.codes().filter { $0 == "405" }.count, 1)
        u.send("JOIN #1,#2,#3,#4,#5")
        XCTAssertEqual(u.codes(), ["407"])
    }

    func testEachMemberGetsOneJoinInItsOwnForm() {
        let net = TestNet()
        let plain = net.user("plain")
        let long = net.user("long", caps: ["extended-join"])
        let timed = net.user("timed", caps: ["server-time"])
        for u in [plain, long, timed] { u.send("JOIN #mix") }
        for u in [plain, long, timed] { _ = u.lines() }
        let newcomer = net.user("newcomer", caps: ["extended-join"])
        newcomer.send("JOIN #mix")
        XCTAssertEqual(plain.lines(), [":newcomer!~newcomer@127.0.0.1 JOIN #mix"])
        XCTAssertEqual(long.lines(), [":newcomer!~newcomer@127.0.0.1 JOIN #mix * :newcomer Real"])
        let timedLines = timed.lines()
        XCTAssertEqual(timedLines.count, 1)
        XCTAssertTrue(timedLines[0].hasPrefix("@time="), timedLines[0])
        XCTAssertTrue(timedLines[0].hasSuffix(" :newcomer!~newcomer@127.0.0.1 JOIN #mix"), timedLines[0])
        let own = newcomer.plainLines()
        XCTAssertEqual(own.first, ":newcomer!~newcomer@127.0.0.1 JOIN #mix * :newcomer Real", "the joiner sees its own JOIN first")
        XCTAssertEqual(own.filter { $0.contains(" JOIN ") }.count, 1)
    }
}
