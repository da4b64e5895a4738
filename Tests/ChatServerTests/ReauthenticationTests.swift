@testable import ChatServer
import Foundation
import XCTest

/// SASL re-authentication (sasl-3.2): a logged-in client may log in again,
/// to another account; what the old account gave goes with it.
extension AccountTests {
    /// A network with the accounts alice and boss (an operator account), both gone.
    private func aliceAndBossExist() -> TestNet {
        let net = TestNet.withStorage { $0.accounts.operatorAccounts = ["boss"] }
        registered(net, "alice").send("QUIT")
        registered(net, "boss").send("QUIT")
        return net
    }

    func testReauthenticatingMovesTheAccountAndItsRights() {
        let net = aliceAndBossExist()
        let watcher = net.user("watcher", caps: ["account-notify"])
        watcher.send("JOIN #c")
        let u = net.user("someone", caps: ["sasl"])
        u.send("JOIN #c")
        _ = watcher.lines(); _ = u.lines()

        u.send("AUTHENTICATE PLAIN")
        u.send("AUTHENTICATE " + plain("boss", "correct horse"))
        XCTAssertEqual(u.codes(), ["AUTHENTICATE", "900", "MODE", "903"])
        XCTAssertTrue(u.client!.isOperator, "an operator account gives +o")
        XCTAssertEqual(watcher.plainLines(), [":someone!~someone@127.0.0.1 ACCOUNT boss"])

        // A failed attempt changes nothing.
        u.send("AUTHENTICATE PLAIN")
        u.send("AUTHENTICATE " + plain("alice", "wrong"))
        XCTAssertEqual(u.codes(), ["AUTHENTICATE", "904"])
        XCTAssertEqual(u.client?.account, "boss")
        XCTAssertEqual(watcher.lines(), [])

        u.send("AUTHENTICATE PLAIN")
        u.send("AUTHENTICATE " + plain("alice", "correct horse"))
        XCTAssertEqual(u.plainLines(), [
            "AUTHENTICATE +",
            ":test.server 900 someone someone!~someone@127.0.0.1 alice :You are now logged in as alice",
            ":someone!~someone@127.0.0.1 MODE someone -o",
            ":test.server 903 someone :SASL authentication successful",
        ], "the operator account's +o stays with it")
        XCTAssertFalse(u.client!.isOperator)
        XCTAssertEqual(u.client?.account, "alice")
        XCTAssertEqual(watcher.plainLines(), [":someone!~someone@127.0.0.1 ACCOUNT alice"])

        // Again to the same account: told, nobody else hears of it.
        u.send("AUTHENTICATE PLAIN")
        u.send("AUTHENTICATE " + plain("alice", "correct horse"))
        XCTAssertEqual(u.codes(), ["AUTHENTICATE", "900", "903"])
        XCTAssertEqual(watcher.lines(), [])
    }

    func testOperRightsSurviveMovingAwayFromAnOperatorAccount() {
        let net = aliceAndBossExist()
        let u = net.user("someone", caps: ["sasl"])
        u.send("AUTHENTICATE PLAIN")
        u.send("AUTHENTICATE " + plain("boss", "correct horse"))
        u.send("OPER root sesame")  // its own rights now, not the account's
        _ = u.lines()
        u.send("AUTHENTICATE PLAIN")
        u.send("AUTHENTICATE " + plain("alice", "correct horse"))
        XCTAssertEqual(u.codes(), ["AUTHENTICATE", "900", "903"], "no -o")
        XCTAssertTrue(u.client!.isOperator)
    }
}
