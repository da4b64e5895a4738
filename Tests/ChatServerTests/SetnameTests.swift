@testable import ChatServer
import XCTest

final class SetnameTests: XCTestCase {
    func testSetnameReachesPeersWithTheCap() {
        let net = TestNet()
        let alice = net.user("alice", caps: ["setname"])
        let bob = net.user("bob", caps: ["setname"])
        let carol = net.user("carol")
        let stranger = net.user("stranger", caps: ["setname"])
        for u in [alice, bob, carol] { u.send("JOIN #c") }
        for u in [alice, bob, carol] { _ = u.lines() }
        alice.send("SETNAME :Alice Liddell")
        XCTAssertEqual(alice.plainLines(), [":alice!~alice@127.0.0.1 SETNAME :Alice Liddell"])
        XCTAssertEqual(bob.plainLines(), [":alice!~alice@127.0.0.1 SETNAME :Alice Liddell"])
        XCTAssertEqual(carol.lines(), [])
        XCTAssertEqual(stranger.lines(), [])
        XCTAssertEqual(alice.client?.realName, "Alice Liddell")
        bob.send("WHOIS alice")
        XCTAssertTrue(bob.plainLines().contains(":test.server 311 bob alice ~alice 127.0.0.1 * :Alice Liddell"))
        // One word still goes out in trailing form.
        alice.send("SETNAME Al")
        XCTAssertEqual(alice.plainLines(), [":alice!~alice@127.0.0.1 SETNAME :Al"])
    }

    func testInvalidNames() {
        let net = TestNet { $0.limits.realNameLength = 10 }
        let alice = net.user("alice", caps: ["setname"])
        alice.send("SETNAME :")
        XCTAssertEqual(alice.plainLines(), [":test.server FAIL SETNAME INVALID_REALNAME :Realname is not valid"])
        alice.send("SETNAME :eleven byte")
        XCTAssertEqual(alice.plainLines(), [":test.server FAIL SETNAME INVALID_REALNAME :Realname is not valid"])
        alice.send("SETNAME :ten bytes!")
        XCTAssertEqual(alice.plainLines(), [":alice!~alice@127.0.0.1 SETNAME :ten bytes!"])
        alice.send("SETNAME")
        XCTAssertEqual(alice.codes(), ["461"])
        let early = net.connect()
        early.send("SETNAME :x")
        XCTAssertEqual(early.codes(), ["451"])
    }

    func testCapIsOffered() {
        let net = TestNet()
        let u = net.connect()
        u.send("CAP LS 302")
        let ls = u.plainLines().first ?? ""
        for cap in ["setname", "extended-monitor", "labeled-response"] {
            XCTAssertTrue(ls.split(separator: " ").contains { $0 == cap || $0 == ":" + cap }, "missing \(cap)")
        }
    }
}
