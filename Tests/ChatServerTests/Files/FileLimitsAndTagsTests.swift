@testable import ChatServer
import Foundation
import XCTest

/// The server-wide memory caps on uploads in progress and downloads held (`SERVER_BUSY`), and
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
        alice.send("FILE UPLOAD #room d.txt 60 \(S.sha([4]))")
        XCTAssertTrue(alice.plainLines().first?.contains(" FILE READY ") == true)
    }

    /// Downloads held for readers who do not read count against
    /// `maxDownloadMemoryBytes`; a finished or abandoned one gives its share back.
    func testDownloadsHeldAreCappedServerWide() throws {
        let net = S.net { $0.files.maxDownloadMemoryBytes = 150_000 }
        let alice = S.account(net, "alice")
        alice.send("JOIN #room")
        _ = alice.lines()
        let big = Array(String(repeating: "0123456789abcdef\n", count: 5_000).utf8)  // 85 kB
        let id = try XCTUnwrap(S.storedID(S.upload(alice, to: "#room", name: "big.txt", big)))
        func stalled(_ nick: String) throws -> (SlowTransport, Client) {
            let slow = SlowTransport()
            let client = try XCTUnwrap(net.server.accept(slow, host: "127.0.0.1"))
            for line in ["NICK \(nick)", "USER \(nick) 0 * :\(nick)", "JOIN #room"] {
                _ = Array((line + "\r\n").utf8).withUnsafeBytes { net.server.receive($0, from: client) }
            }
            return (slow, client)
        }
        func get(_ client: Client) {
            _ = Array("FILE GET \(id)\r\n".utf8).withUnsafeBytes { net.server.receive($0, from: client) }
        }
        let (_, one) = try stalled("one")
        let (second, two) = try stalled("two")
        get(one)
        XCTAssertEqual(net.server.files.downloads.heldBytes, big.count, "held while its reader does not read")
        get(two)
        XCTAssertTrue(String(decoding: second.sent, as: UTF8.self).contains("FAIL FILE SERVER_BUSY \(id) :Downloads in progress hold"),
                      "past the cap")
        XCTAssertEqual(net.server.files.downloads.heldBytes, big.count)
        net.server.transportClosed(one, reason: "gone")
        XCTAssertEqual(net.server.files.downloads.heldBytes, 0, "its reader left: given back")
        get(two)
        XCTAssertEqual(net.server.files.downloads.heldBytes, big.count)
        var rounds = 0
        while !String(decoding: second.sent.suffix(64), as: UTF8.self).contains("FILE DONE \(id)") {
            rounds += 1
            guard rounds < 1_000 else { return XCTFail("download did not finish") }
            second.drain()
            net.server.files.downloads.pump()
        }
        XCTAssertEqual(net.server.files.downloads.heldBytes, 0, "sent: given back")
    }

    /// One account's uploads in progress hold at most a quarter of the cap
    /// beyond the first, over all its connections.
    func testOneAccountHoldsAtMostAQuarterOfTheCap() {
        let net = S.net { $0.files.maxUploadMemoryBytes = 400 }
        let alice = S.account(net, "alice"), bob = S.account(net, "bob")
        for u in [alice, bob] { u.send("JOIN #room") }
        _ = alice.lines(); _ = bob.lines()
        alice.send("FILE UPLOAD #room a.txt 80 \(S.sha([1]))")
        XCTAssertTrue(alice.plainLines().first?.contains(" FILE READY ") == true, "a first upload may be any size")
        alice.send("FILE UPLOAD #room b.txt 30 \(S.sha([2]))")
        XCTAssertEqual(alice.plainLines(), [
            ":test.server FAIL FILE SERVER_BUSY :Your uploads in progress hold 80 bytes, your share of the server's 400; finish one first"])
        bob.send("FILE UPLOAD #room c.txt 80 \(S.sha([3]))")
        XCTAssertTrue(bob.plainLines().first?.contains(" FILE READY ") == true, "others are not held back")
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
