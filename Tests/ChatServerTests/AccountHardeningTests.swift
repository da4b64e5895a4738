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
