@testable import ChatServer
import XCTest

/// SERVLIST, SQUERY, SUMMON, USERS, TRACE, CONNECT, SQUIT and DIE on a
/// single server without services.
final class SingleServerCommandTests: XCTestCase {
    func testServicesAndHostCommandsSayWhatIsThere() {
        let net = TestNet()
        let u = net.user("u")
        u.send("SERVLIST")
        XCTAssertEqual(u.plainLines(), [":test.server 235 u * * :End of service listing"])
        u.send("SERVLIST *Serv 0")
        XCTAssertEqual(u.plainLines(), [":test.server 235 u *Serv 0 :End of service listing"])
        u.send("SQUERY NickServ :help")
        XCTAssertEqual(u.plainLines(), [":test.server 408 u NickServ :No such service"])
        u.send("SQUERY NickServ")
        XCTAssertEqual(u.codes(), ["412"])
        u.send("SQUERY")
        XCTAssertEqual(u.codes(), ["461"])
        u.send("SUMMON bob")
        XCTAssertEqual(u.plainLines(), [":test.server 445 u :SUMMON has been disabled"])
        u.send("USERS")
        XCTAssertEqual(u.plainLines(), [":test.server 446 u :USERS has been disabled"])
    }

    func testTraceShowsOperatorsAndOneselfAndAnOperatorEveryone() {
        let net = TestNet()
        let amy = net.user("amy"), bob = net.user("bob"), root = net.user("root")
        root.send("OPER root sesame")
        _ = root.lines()
        bob.send("TRACE")
        XCTAssertEqual(bob.plainLines(), [
            ":test.server 205 bob User users :bob",
            ":test.server 204 bob Oper users :root",
            ":test.server 262 bob test.server chatd-\(ChatServerVersion.string) :End of TRACE",
        ])
        root.send("TRACE")
        XCTAssertEqual(root.codes(), ["205", "205", "204", "262"], "amy, bob and root")
        amy.send("TRACE bob")
        XCTAssertEqual(amy.codes(), ["205", "262"])
        amy.send("TRACE test.server")
        XCTAssertEqual(amy.codes(), ["205", "204", "262"])
        amy.send("TRACE nobody")
        XCTAssertEqual(amy.plainLines(), [":test.server 402 amy nobody :No such server"])
    }

    func testLinkingIsForOperatorsAndFindsNoServer() {
        let net = TestNet()
        let u = net.user("u")
        u.send("CONNECT irc.example.org 6667")
        XCTAssertEqual(u.codes(), ["481"])
        u.send("SQUIT irc.example.org :bye")
        XCTAssertEqual(u.codes(), ["481"])
        u.send("OPER root sesame")
        _ = u.lines()
        u.send("CONNECT irc.example.org 6667")
        XCTAssertEqual(u.plainLines(), [":test.server 402 u irc.example.org :No such server"])
        u.send("SQUIT irc.example.org :bye")
        XCTAssertEqual(u.codes(), ["402"])
    }

    func testDieNeedsAnOperatorAndTheServersName() {
        let net = TestNet()
        let control = FakeReloader()
        let u = net.user("u")
        u.send("DIE test.server")
        XCTAssertEqual(u.codes(), ["481"])
        u.send("OPER root sesame")
        _ = u.lines()
        u.send("DIE test.server")
        XCTAssertEqual(u.codes(), ["400"], "embedded: nothing to stop")
        net.server.control = control
        u.send("DIE")
        XCTAssertEqual(u.plainLines(), [":test.server 461 u DIE :Name the server to stop it: DIE test.server"])
        u.send("DIE other.server")
        XCTAssertEqual(u.codes(), ["402"])
        XCTAssertEqual(control.dieMessages, [])
        u.send("DIE Test.Server")
        XCTAssertEqual(control.dieMessages, ["Server shutting down (DIE by u)"])
    }
}
