@testable import ChatServer
import Foundation
import XCTest

/// The server-wide memory cap on uploads in progress (`SERVER_BUSY`), and
/// the `account` tag on share notices for clients with `account-tag`.
final class FileLimitsAndTagsTests: XCTestCase {
    typealias S = FileTestSupport
    let text = Array("hello, files\n".utf8)

    func testUploadsInProgressAreCappedServerWide() {
        let net = S.net { $0.files.maxUploadMemoryBytes = 100 }
        let alice = S.account(net, "alice"), bob = S.account(net, "bob")
        for u in [alice, bob] { u.send("JOIN #room") }
        _ = alice.lines(); _ = bob.lines()
        alice.send("FILE UPLOAD #room a.txt 60 \(S.sha([1]))")
        let ready = alice.plainLines()
        XCTAssertTrue(ready.first?.contains(" FILE READY ") == true, "\(ready)")
        // Another connection, well inside its own limits, passes the server's.
        bob.send("FILE UPLOAD #room b.txt 60 \(S.sha([2]))")
        XCTAssertEqual(bob.plainLines(), [
            ":test.server FAIL FILE SERVER_BUSY :Uploads in progress hold 60 of the server's 100 bytes; try again shortly"])
        // A size that still fits is taken.
        bob.send("FILE UPLOAD #room c.txt 40 \(S.sha([3]))")
        XCTAssertTrue(bob.plainLines().first?.contains(" FILE READY ") == true)
        // Dropping alice's upload frees its share of the cap.
        let uploadID = String(ready[0].split(separator: " ")[3])
        alice.send("FILE ABORT \(uploadID)")
        _ = alice.lines()
        XCTAssertEqual(net.server.files.uploadMemoryBytes, 40)
        bob.send("FILE UPLOAD #room d.txt 60 \(S.sha([4]))")
        XCTAssertTrue(bob.plainLines().first?.contains(" FILE READY ") == true)
    }

    func testZeroLiftsTheCap() {
        let net = S.net { $0.files.maxUploadMemoryBytes = 0 }
        let alice = S.account(net, "alice")
        alice.send("JOIN #room")
        _ = alice.lines()
        XCTAssertNotNil(S.storedID(S.upload(alice, to: "#room", text)))
    }

    func testAStoredUploadReleasesItsMemory() {
        let net = S.net { $0.files.maxUploadMemoryBytes = Array("hello, files\n".utf8).count }
        let alice = S.account(net, "alice")
        alice.send("JOIN #room")
        _ = alice.lines()
        XCTAssertNotNil(S.storedID(S.upload(alice, to: "#room", text)))
        XCTAssertEqual(net.server.files.uploadMemoryBytes, 0)
        XCTAssertNotNil(S.storedID(S.upload(alice, to: "#room", name: "again.txt", text)), "the cap is free again")
    }

    func testShareNoticesCarryTheUploadersAccountTag() throws {
        let net = S.net()
        let alice = S.account(net, "alice")
        let bob = S.account(net, "bob", caps: ["account-tag"])
        let carol = net.user("carol")
        for u in [alice, bob, carol] { u.send("JOIN #room") }
        _ = alice.lines(); _ = bob.lines(); _ = carol.lines()
        let id = try XCTUnwrap(S.storedID(S.upload(alice, to: "#room", text)))
        let seen = try XCTUnwrap(bob.lines().first { $0.contains("FILE GET \(id)") })
        XCTAssertTrue(seen.hasPrefix("@account=alice "), seen)
        let plain = try XCTUnwrap(carol.lines().first { $0.contains("FILE GET \(id)") })
        XCTAssertFalse(plain.hasPrefix("@"), "no tags without the cap: \(plain)")

        // A private share, online and delivered later at log-in.
        let direct = try XCTUnwrap(S.storedID(S.upload(alice, to: "bob", name: "direct.txt", text)))
        XCTAssertTrue(bob.lines().contains { $0.hasPrefix("@account=alice ") && $0.hasSuffix("FILE GET \(direct)") })
        bob.send("QUIT")
        let later = try XCTUnwrap(S.storedID(S.upload(alice, to: "bob", name: "later.txt", text)))
        let bob2 = net.connect()
        bob2.send("CAP REQ account-tag")
        bob2.send("PASS bob:password-bob")
        bob2.send("NICK bob")
        bob2.send("USER bob 0 * :Bob")
        bob2.send("CAP END")
        XCTAssertTrue(bob2.lines().contains { $0.hasPrefix("@account=alice ") && $0.hasSuffix("FILE GET \(later)") })
    }
}
