@testable import ChatServer
import XCTest

/// REGISTER as the IRCv3 account-registration draft specifies it, and the
/// hourly limits that keep one address from minting accounts.
final class RegistrationSpecTests: XCTestCase {
    override class func setUp() { PasswordHasher.cost = 1 }

    func testTheCapabilityValueFollowsTheConfiguration() {
        let net = TestNet.withStorage { $0.accounts.requireEmail = true; $0.accounts.registerBeforeConnect = false }
        let u = net.connect()
        u.send("CAP LS 302")
        let ls = u.plainLines().joined(separator: " ")
        XCTAssertTrue(ls.contains("draft/account-registration=custom-account-name,email-required,min-password-length=8"), ls)
        let open = TestNet.withStorage().connect()
        open.send("CAP LS 302")
        XCTAssertTrue(open.plainLines().joined().contains("draft/account-registration=before-connect,custom-account-name,min-password-length=8"))
    }

    func testBeforeConnectCanBeTurnedOff() {
        let net = TestNet.withStorage { $0.accounts.registerBeforeConnect = false }
        let u = net.connect()
        u.send("NICK early")
        u.send("REGISTER * * :long enough pw")
        XCTAssertEqual(u.plainLines(), [":test.server FAIL REGISTER COMPLETE_CONNECTION_REQUIRED * :Register your account after connecting"])
        u.send("USER early 0 * :Early")
        _ = u.lines()
        u.send("REGISTER * * :long enough pw")
        XCTAssertEqual(u.plainLines().first, ":test.server REGISTER SUCCESS early :Account early registered")
    }

    func testEmailRequiredFailsWithInvalidEmail() {
        let net = TestNet.withStorage { $0.accounts.requireEmail = true }
        let u = net.user("mailer")
        u.send("REGISTER * * :long enough pw")
        XCTAssertEqual(u.plainLines(), [":test.server FAIL REGISTER INVALID_EMAIL mailer :An email address is required to register"])
        u.send("REGISTER * mailer@example.org :long enough pw")
        XCTAssertEqual(u.plainLines().first, ":test.server REGISTER SUCCESS mailer :Account mailer registered")
    }

    func testACustomAccountNameLeavesTheNickAlone() {
        let net = TestNet.withStorage()
        let u = net.user("nick1")
        u.send("REGISTER otheracct * :long enough pw")
        XCTAssertEqual(u.plainLines(), [
            ":test.server REGISTER SUCCESS otheracct :Account otheracct registered",
            ":test.server 900 nick1 nick1!~nick1@127.0.0.1 otheracct :You are now logged in as otheracct",
        ])
        XCTAssertEqual(u.client?.nick, "nick1")
    }

    func testRegistrationsArelimitedPerAddressAndInTotal() {
        let net = TestNet.withStorage { $0.accounts.registrationsPerAddressPerHour = 2; $0.accounts.registrationsPerHour = 3 }
        func register(_ nick: String, host: String) -> String? {
            let u = net.user(nick, host: host)
            u.send("REGISTER * * :long enough pw")
            return u.plainLines().first
        }
        XCTAssertEqual(register("a1", host: "10.0.0.1"), ":test.server REGISTER SUCCESS a1 :Account a1 registered")
        XCTAssertEqual(register("a2", host: "10.0.0.1"), ":test.server REGISTER SUCCESS a2 :Account a2 registered")
        XCTAssertEqual(register("a3", host: "10.0.0.1"),
                       ":test.server FAIL REGISTER TEMPORARILY_UNAVAILABLE a3 :Too many accounts registered recently; try again later")
        XCTAssertEqual(register("b1", host: "10.0.0.2"), ":test.server REGISTER SUCCESS b1 :Account b1 registered")
        XCTAssertEqual(register("c1", host: "10.0.0.3")?.contains("TEMPORARILY_UNAVAILABLE"), true, "the global limit")
        net.clock.advance(seconds: 3_601)
        XCTAssertEqual(register("a4", host: "10.0.0.1"), ":test.server REGISTER SUCCESS a4 :Account a4 registered")
    }
}
