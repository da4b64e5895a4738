@testable import ChatServer
import Foundation
import XCTest

/// `accounts.unusedAccountExpiryDays`: accounts nobody logged in to go, and their names are free again.
final class AccountExpiryTests: XCTestCase {
    override class func setUp() { PasswordHasher.cost = 1 }

    func testAnAccountNeverLoggedInToExpiresAndOneUsedIsKept() throws {
        let net = TestNet.withStorage { $0.accounts.unusedAccountExpiryDays = 30 }
        for nick in ["idle", "used"] {
            let u = net.user(nick)
            u.send("REGISTER * * :long enough pw")
            XCTAssertEqual(u.plainLines().first, ":test.server REGISTER SUCCESS \(nick) :Account \(nick) registered")
            u.send("QUIT")
        }
        let back = net.user("someone", caps: ["sasl"])
        back.send("AUTHENTICATE PLAIN")
        back.send("AUTHENTICATE " + Data("\0used\0long enough pw".utf8).base64EncodedString())
        XCTAssertTrue(back.codes().contains("903"))

        net.clock.advance(seconds: 29 * 86_400)
        net.server.tick()
        XCTAssertNotNil(try net.storage!.account(named: "idle"), "not 30 days yet")

        net.clock.advance(seconds: 2 * 86_400)
        net.server.tick()
        XCTAssertNil(try net.storage!.account(named: "idle"), "never logged in to: expired")
        XCTAssertNotNil(try net.storage!.account(named: "used"), "logged in to once: kept")
        XCTAssertFalse(net.server.accounts.isRegistered("idle"), "the name is free again")
        let newcomer = net.user("idle")
        newcomer.send("REGISTER * * :another long pw")
        XCTAssertEqual(newcomer.plainLines().first, ":test.server REGISTER SUCCESS idle :Account idle registered")
    }

    func testOffByDefault() throws {
        let net = TestNet.withStorage()
        let u = net.user("keeper")
        u.send("REGISTER * * :long enough pw")
        net.clock.advance(seconds: 3_650 * 86_400)
        net.server.tick()
        XCTAssertNotNil(try net.storage!.account(named: "keeper"))
    }
}
