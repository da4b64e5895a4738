@testable import ChatServer
import XCTest

/// +b/+e/+I and the extended bans ($a, $a:name, $m:mask), through the handlers.
final class ChannelListModeTests: XCTestCase {
    /// `op` owns #c; the others are registered, not in it.
    private func setUp(_ net: TestNet) -> (op: TestUser, bob: TestUser) {
        let op = net.user("op"), bob = net.user("bob")
        op.send("JOIN #c")
        _ = op.lines()
        return (op, bob)
    }

    func testAdvertised() {
        let net = TestNet()
        let u = net.connect()
        u.send("NICK n"); u.send("USER n 0 * :n")
        let lines = u.plainLines()
        let isupport = lines.filter { $0.contains(" 005 ") }.joined(separator: " ")
        for token in ["CHANMODES=beI,k,l,Cimnst", "EXCEPTS=e", "INVEX=I", "EXTBAN=$,am", "ACCOUNTEXTBAN=a",
                      "MAXLIST=b:100,e:100,I:100", "UTF8ONLY"] {
            XCTAssertTrue(isupport.contains(" \(token) "), "missing \(token) in \(isupport)")
        }
        XCTAssertTrue(lines.contains { $0.contains(" 004 ") && $0.hasSuffix(" CbeIiklmnostv :beIklov") })
    }

    func testExceptionLiftsABanAndListsAreSeparate() {
        let net = TestNet()
        let (op, bob) = setUp(net)
        op.send("MODE #c +be bob *!*@127.0.0.1")
        XCTAssertEqual(op.plainLines(), [":op!~op@127.0.0.1 MODE #c +be bob!*@* *!*@127.0.0.1"])
        bob.send("JOIN #c")
        XCTAssertEqual(bob.codes(), ["JOIN", "353", "366"], "the exception wins over the ban")
        _ = op.lines()
        op.send("MODE #c b")
        XCTAssertEqual(op.codes(), ["367", "368"])
        op.send("MODE #c e")
        let exceptions = op.plainLines()
        XCTAssertEqual(exceptions.count, 2)
        XCTAssertTrue(exceptions[0].hasPrefix(":test.server 348 op #c *!*@127.0.0.1 op!~op@127.0.0.1 "), exceptions[0])
        XCTAssertEqual(exceptions[1], ":test.server 349 op #c :End of channel exception list")
        op.send("MODE #c I")
        XCTAssertEqual(op.plainLines(), [":test.server 347 op #c :End of channel invite list"])
        // Removing the exception: the ban silences bob again.
        op.send("MODE #c -e *!*@127.0.0.1")
        _ = op.lines(); _ = bob.lines()
        bob.send("PRIVMSG #c :hello")
        XCTAssertEqual(bob.codes(), ["404"])
        XCTAssertEqual(op.lines(), [])
        // Only operators change lists.
        bob.send("MODE #c +e bob")
        XCTAssertEqual(bob.codes(), ["482"])
    }

    func testInviteExceptionOpensInviteOnly() {
        let net = TestNet.withStorage()
        let (op, bob) = setUp(net)
        let carol = net.user("carol")
        op.send("MODE #c +i")
        op.send("MODE #c +I $a:b*")
        XCTAssertEqual(op.plainLines().last, ":op!~op@127.0.0.1 MODE #c +I $a:b*")
        bob.send("JOIN #c")
        XCTAssertEqual(bob.codes(), ["473"], "not logged in yet")
        bob.send("REGISTER * * :long-enough-password")
        XCTAssertTrue(bob.codes().contains("900"))
        bob.send("JOIN #c")
        XCTAssertEqual(bob.codes(), ["JOIN", "353", "366"])
        carol.send("JOIN #c")
        XCTAssertEqual(carol.codes(), ["473"])
    }

    func testAccountBanAndAnyAccountBan() {
        let net = TestNet.withStorage()
        let (op, bob) = setUp(net)
        bob.send("REGISTER * * :long-enough-password")
        _ = bob.lines()
        op.send("MODE #c +b $a:BOB")
        XCTAssertEqual(op.plainLines(), [":op!~op@127.0.0.1 MODE #c +b $a:BOB"])
        bob.send("JOIN #c")
        XCTAssertEqual(bob.codes(), ["474"], "account names match case-insensitively")
        op.send("MODE #c -b+b $a:bob $a")
        XCTAssertEqual(op.plainLines(), [":op!~op@127.0.0.1 MODE #c -b+b $a:bob $a"])
        bob.send("JOIN #c")
        XCTAssertEqual(bob.codes(), ["474"])
        let guest = net.user("guest")
        guest.send("JOIN #c")
        XCTAssertEqual(guest.codes(), ["JOIN", "353", "366"], "$a matches only logged-in users")
    }

    func testMuteLetsJoinButNotSpeak() {
        let net = TestNet()
        let (op, bob) = setUp(net)
        op.send("MODE #c +b $m:bob")
        XCTAssertEqual(op.plainLines(), [":op!~op@127.0.0.1 MODE #c +b $m:bob!*@*"])
        bob.send("JOIN #c")
        XCTAssertEqual(bob.codes(), ["JOIN", "353", "366"])
        _ = op.lines()
        bob.send("PRIVMSG #c :can anyone hear me")
        XCTAssertEqual(bob.codes(), ["404"])
        XCTAssertEqual(op.lines(), [])
        op.send("MODE #c +v bob")
        _ = op.lines(); _ = bob.lines()
        bob.send("PRIVMSG #c :voiced now")
        XCTAssertEqual(op.plainLines(), [":bob!~bob@127.0.0.1 PRIVMSG #c :voiced now"])
        // An exception lifts a mute as it lifts a ban.
        op.send("MODE #c -v+e bob $a")
        op.send("MODE #c +e bob")
        _ = op.lines(); _ = bob.lines()
        bob.send("PRIVMSG #c :excepted")
        XCTAssertEqual(op.plainLines(), [":bob!~bob@127.0.0.1 PRIVMSG #c :excepted"])
    }

    func testBadExtbansAreRefused() {
        let net = TestNet()
        let (op, _) = setUp(net)
        op.send("MODE #c +b $z:thing")
        XCTAssertEqual(op.plainLines(), [":test.server 696 op #c b $z:thing :Unknown extended ban type $z; this server knows $a and $m"])
        op.send("MODE #c +e $a:")
        XCTAssertEqual(op.codes(), ["696"])
        op.send("MODE #c +b $m:$m:x")
        XCTAssertEqual(op.codes(), ["696"])
        op.send("MODE #c b")
        XCTAssertEqual(op.codes(), ["368"], "nothing was added")
    }

    func testEachListHasItsLimit() {
        let net = TestNet { $0.limits.maxBans = 2 }
        let (op, _) = setUp(net)
        op.send("MODE #c +III a b c")
        let lines = op.plainLines()
        XCTAssertEqual(lines, [":test.server 478 op #c c!*@* :Channel I list is full",
                               ":op!~op@127.0.0.1 MODE #c +II a!*@* b!*@*"])
        op.send("MODE #c +b a")
        XCTAssertEqual(op.codes(), ["MODE"], "the ban list has its own room")
    }
}
