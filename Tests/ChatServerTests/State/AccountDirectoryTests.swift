@testable import ChatServer
import XCTest

/// Name reservation, the log-in throttle across reloads, and bans.
final class AccountDirectoryTests: XCTestCase {
    func testReservationIsFoldedExclusiveAndReleasable() {
        let directory = AccountDirectory(maxFailures: 3, failureWindowSeconds: 60)
        directory.load(names: ["Alice"], bans: [])
        XCTAssertFalse(directory.reserve("ALICE"), "a registered name cannot be claimed again")
        XCTAssertTrue(directory.reserve("bob"))
        XCTAssertFalse(directory.reserve("Bob"), "a name being created is already taken")
        XCTAssertTrue(directory.isNickReserved("bob", loggedInAs: nil))
        XCTAssertFalse(directory.isNickReserved("BOB", loggedInAs: "bob"), "the account's own user may use it")
        directory.release("BOB")
        XCTAssertFalse(directory.isRegistered("bob"))
        XCTAssertEqual(directory.registeredCount, 1)
    }

    func testAReloadKeepsTheFailuresAlreadyCounted() {
        let directory = AccountDirectory(maxFailures: 2, failureWindowSeconds: 60)
        let keys = ["ip:1.2.3.4"]
        directory.recordFailure(keys, now: 1_000)
        directory.recordFailure(keys, now: 2_000)
        XCTAssertGreaterThan(directory.retryAfter(keys, now: 3_000), 0)
        directory.reconfigureThrottle(maxFailures: 2, failureWindowSeconds: 60)
        XCTAssertGreaterThan(directory.retryAfter(keys, now: 3_000), 0, "a reload must not forgive failed guesses")
    }

    func testBansReplaceMatchAndExpire() {
        let directory = AccountDirectory(maxFailures: 0, failureWindowSeconds: 1)
        directory.addBan(ServerBan(kind: .address, pattern: "10.0.*", reason: "a", setAtMillis: 0, expiresAtMillis: 100))
        directory.addBan(ServerBan(kind: .address, pattern: "10.0.*", reason: "b", setAtMillis: 0, expiresAtMillis: nil))
        directory.addBan(ServerBan(kind: .account, pattern: "Eve", reason: "c", setAtMillis: 0, expiresAtMillis: 50))
        XCTAssertEqual(directory.currentBans(atMillis: 10).count, 2, "the same pattern replaces the older ban")
        XCTAssertEqual(directory.activeBan(address: "10.0.3.4", atMillis: 200)?.reason, "b")
        XCTAssertEqual(directory.activeBan(account: "EVE", atMillis: 10)?.reason, "c")
        XCTAssertNil(directory.activeBan(account: "eve", atMillis: 60), "expired")
        XCTAssertEqual(directory.currentBans(atMillis: 60).count, 1)
        XCTAssertTrue(directory.removeBan(kind: .address, pattern: "10.0.*"))
        XCTAssertFalse(directory.removeBan(kind: .address, pattern: "10.0.*"))
    }
}
