@testable import ChatServer
import Foundation
import XCTest

/// Throttles on OPER and on log-ins in flight; rights that go with a deleted account.
final class AccountHardeningTests: XCTestCase {
    override class func setUp() { PasswordHasher.cost = 1 }

    func plain(_ account: String, _ password: String) -> String {
        Data("\0\(account)\0\(password)".utf8).base64EncodedString()
    }

    func testOperFailuresAreThrottled() {
        let net = TestNet { $0.accounts.loginMaxFailures = 3 }
        let u = net.user("u")
        for _ in 0..<3 { u.send("OPER root wrong") }
        XCTAssertEqual(u.codes(), ["464", "464", "464"])
        u.send("OPER root sesame")
        let refused = u.plainLines()
        XCTAssertEqual(refused.count, 1)
        XCTAssertTrue(refused[0].contains(" 464 u :Too many failed OPER attempts"), "\(refused)")
        XCTAssertFalse(u.client!.isOperator, "the right password is refused while throttled")
        net.clock.advance(seconds: 301)
        u.send("OPER root sesame")
        XCTAssertEqual(u.codes().first, "381")
    }

    func testLogInsInFlightCountAgainstTheThrottle() {
        let net = TestNet.withStorage { $0.accounts.loginMaxFailures = 2 }
        net.workers.deferred = true  // hashes wait, as they do on a busy worker
        let users = (0..<5).map { net.user("u\($0)", caps: ["sasl"]) }
        for u in users {
            u.send("AUTHENTICATE PLAIN")
            u.send("AUTHENTICATE " + plain("victim", "guess"))
        }
        let throttled = users.filter { $0.plainLines().contains { $0.contains("904") && $0.contains("try again") } }
        XCTAssertEqual(throttled.count, 3, "only two checks may run at once from one address")
        net.workers.runPending()
    }

    func testDeletingAnAccountTakesAwayTheOperatorRightsItGave() {
        let net = TestNet.withStorage { $0.accounts.operatorAccounts = ["boss"] }
        let boss = net.user("boss")
        boss.send("REGISTER * * :correct horse")
        XCTAssertTrue(boss.client!.isOperator)
        _ = boss.lines()
        net.server.accountDeleted("boss")
        XCTAssertFalse(boss.client!.isOperator)
        XCTAssertEqual(boss.plainLines(), [":boss!~boss@127.0.0.1 MODE boss -o",
                                           ":test.server 901 boss boss!~boss@127.0.0.1 :You are now logged out"])
        XCTAssertEqual(net.server.stats.operators, 0)
    }

    /// RFC 4616 §2: no field of a PLAIN message holds a NUL, so a third one
    /// is malformed; crypt(3) would have read the password only up to it.
    func testAPlainPasswordWithANulIsRefusedNotCutShort() throws {
        let net = TestNet.withStorage { $0.accounts.loginMaxFailures = 0 }
        let owner = net.user("acct")
        owner.send("REGISTER * * :password123")
        _ = owner.lines()
        for (i, payload) in ["\0acct\0password123\0zzz", "\0acct\0password123\0"].enumerated() {
            let c = net.connect()
            c.send("NICK tryer\(i)")
            c.send("AUTHENTICATE PLAIN")
            c.send("AUTHENTICATE " + Data(payload.utf8).base64EncodedString())
            XCTAssertEqual(c.codes(), ["AUTHENTICATE", "904"], payload.debugDescription)
        }
        XCTAssertNil(SASLPlainMessage(base64: Data("\0a\0b\0c".utf8).base64EncodedString()))
        let stored = try PasswordHasher.hash("password123")
        XCTAssertTrue(PasswordHasher.verify("password123", against: stored))
        XCTAssertFalse(PasswordHasher.verify("password123\0anything", against: stored), "not the same password to crypt(3)")
        XCTAssertThrowsError(try PasswordHasher.hash("pass\0word"))
    }

    /// sasl-3.1: CAP END during an exchange aborts it (906) and registers the
    /// client without an account; `AUTHENTICATE *` is always answered 906.
    func testEndingRegistrationMidExchangeAbortsIt() {
        let net = TestNet.withStorage()
        let owner = net.user("acct")
        owner.send("REGISTER * * :password123")
        _ = owner.lines()
        let c = net.connect()
        c.send("CAP LS 302")
        c.send("CAP REQ :sasl")
        c.send("NICK midway")
        c.send("USER m 0 * :M")
        c.send("AUTHENTICATE PLAIN")
        _ = c.lines()
        c.send("CAP END")
        let codes = c.codes()
        XCTAssertEqual(codes.first, "906")
        XCTAssertTrue(codes.contains("001"), "\(codes)")
        XCTAssertNil(c.client?.account)
        c.send("AUTHENTICATE PLAIN")
        XCTAssertEqual(c.plainLines().last, "AUTHENTICATE +", "a fresh exchange, not the old one's payload")
        c.send("AUTHENTICATE " + plain("acct", "password123"))
        XCTAssertEqual(c.codes(), ["900", "903"])
        c.send("AUTHENTICATE *")
        XCTAssertEqual(c.codes(), ["906"], "no exchange open: still 906")
    }
}

/// Limits set past what the config loader allows (ServerConfig is public) must not trap.
final class ExtremeLimitTests: XCTestCase {
    func testHugeAndNegativeTimeoutsDoNotTrap() {
        for value in [Int.max, Int.min, -1, 0] {
            let net = TestNet {
                $0.limits.registrationTimeoutSeconds = value
                $0.limits.pingIntervalSeconds = value
                $0.limits.pingTimeoutSeconds = value
                $0.accounts.loginFailureWindowSeconds = value
            }
            let u = net.user("u")
            net.clock.advance(seconds: 2)
            net.server.tick()
            u.send("OPER root wrong")
            u.send("OPER root wrong")
            XCTAssertNotNil(u.client)
        }
        XCTAssertEqual(SaturatingNanos.seconds(Int.max), .max)
        XCTAssertEqual(SaturatingNanos.seconds(-5), 0)
        XCTAssertEqual(SaturatingNanos.sum(.max, 1), .max)
    }
}
