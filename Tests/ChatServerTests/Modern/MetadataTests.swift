@testable import ChatServer
import XCTest

/// draft/metadata-2 for users, through the handlers.
final class MetadataTests: XCTestCase {
    private func net(storage: Bool = false) -> TestNet {
        storage ? TestNet.withStorage { $0.limits.floodLinesPerSecond = 0 } : TestNet { $0.limits.floodLinesPerSecond = 0 }
    }

    func testAdvertised() {
        let net = net()
        let u = net.connect()
        u.send("CAP LS 302")
        XCTAssertTrue(u.plainLines().joined().contains(" draft/metadata-2=max-subs=50,max-keys=20,max-value-bytes=300"))
    }

    func testSetGetListAndErrors() {
        let net = net()
        let alice = net.user("alice", caps: ["draft/metadata-2"]), bob = net.user("bob")
        alice.send("METADATA * SET display-name :Alice Liddell")
        XCTAssertEqual(alice.plainLines(), [":test.server 761 alice alice display-name * :Alice Liddell"])
        alice.send("METADATA alice SET Avatar :https://example.com/a.png")
        XCTAssertEqual(alice.plainLines(), [":test.server 761 alice alice avatar * :https://example.com/a.png"], "keys fold to lower case")
        bob.send("METADATA alice GET avatar status $bad")
        XCTAssertEqual(bob.plainLines(), [":test.server 761 bob alice avatar * :https://example.com/a.png",
                                          ":test.server 766 bob alice status :key not set",
                                          ":test.server FAIL METADATA KEY_INVALID $bad :Invalid key"])
        bob.send("METADATA alice LIST")
        XCTAssertEqual(bob.plainLines(), [":test.server 761 bob alice avatar * :https://example.com/a.png",
                                          ":test.server 761 bob alice display-name * :Alice Liddell"])
        bob.send("METADATA alice SET status :hacked")
        XCTAssertEqual(bob.plainLines(), [":test.server FAIL METADATA KEY_NO_PERMISSION alice status :You do not have permission to set 'status' on 'alice'"])
        bob.send("METADATA nobody LIST")
        XCTAssertEqual(bob.plainLines(), [":test.server FAIL METADATA TARGET_INVALID nobody :Invalid metadata target"])
        bob.send("METADATA * SET :colon")
        XCTAssertEqual(bob.codes(), ["FAIL"])
        bob.send("METADATA * SET status :" + String(repeating: "x", count: 301))
        XCTAssertEqual(bob.plainLines(), [":test.server FAIL METADATA VALUE_INVALID :Values are at most 300 bytes of UTF-8"])
        bob.send("METADATA * SET status")
        XCTAssertEqual(bob.plainLines(), [":test.server FAIL METADATA KEY_NOT_SET bob status :Key not set"])
        bob.send("METADATA * DESTROY")
        XCTAssertEqual(bob.plainLines(), [":test.server FAIL METADATA SUBCOMMAND_INVALID DESTROY :Invalid subcommand"])
        // Removing a key: 761 without a value.
        alice.send("METADATA * SET avatar")
        XCTAssertEqual(alice.plainLines(), [":test.server 761 alice alice avatar :*"], "a numeric's last parameter always has its colon")
        alice.send("METADATA * CLEAR")
        XCTAssertEqual(alice.plainLines(), [":test.server 761 alice alice display-name :*"])
        bob.send("METADATA #nochannel LIST")
        XCTAssertEqual(bob.codes(), ["FAIL"])
    }

    func testGetInABatchForBatchClients() {
        let net = net()
        let alice = net.user("alice", caps: ["batch", "draft/metadata-2"])
        alice.send("METADATA * SET status :here")
        _ = alice.lines()
        alice.send("METADATA * GET status")
        let lines = alice.lines()
        XCTAssertEqual(lines.count, 3, "\(lines)")
        let open = lines[0].split(separator: " ")
        XCTAssertEqual(open.count, 4)
        XCTAssertEqual(open[1], "BATCH")
        XCTAssertEqual(open[3], "metadata")
        let id = open[2].dropFirst()
        XCTAssertEqual(lines[1], "@batch=\(id) :test.server 761 alice alice status * :here")
        XCTAssertEqual(lines[2], ":test.server BATCH -\(id)")
    }

    func testKeyLimitAndRateLimit() {
        let net = net()
        let alice = net.user("alice")
        for i in 0..<MetadataLimits.changeBurst { alice.send("METADATA * SET k\(i) :v") }
        XCTAssertEqual(Set(alice.codes()), ["761"])
        alice.send("METADATA * SET k10 :v")
        XCTAssertEqual(alice.plainLines(), [":test.server FAIL METADATA RATE_LIMITED alice k10 1 :Too many changes; try again in 1 seconds"])
        net.clock.advance(seconds: 60)
        for i in 10..<MetadataLimits.maxKeys { alice.send("METADATA * SET k\(i) :v") }
        XCTAssertEqual(alice.codes().count, 10)
        alice.send("METADATA * SET one-too-many :v")
        XCTAssertEqual(alice.plainLines(), [":test.server FAIL METADATA LIMIT_REACHED alice :Metadata limit reached (20 keys)"])
        net.clock.advance(seconds: 5)
        alice.send("METADATA * SET k0 :changing an existing key is fine")
        XCTAssertEqual(alice.codes(), ["761"])
    }

    func testSubscriptions() {
        let net = net()
        let alice = net.user("alice")
        alice.send("METADATA * SUB avatar Status $x avatar")
        XCTAssertEqual(alice.plainLines(), [":test.server FAIL METADATA KEY_INVALID $x :Invalid key",
                                            ":test.server 770 alice :avatar status avatar"])
        alice.send("METADATA * SUBS")
        XCTAssertEqual(alice.plainLines(), [":test.server 772 alice :avatar status"])
        alice.send("METADATA * UNSUB status website")
        XCTAssertEqual(alice.plainLines(), [":test.server 771 alice :status website"])
        // A line carries at most 15 parameters: 12 keys a line, 5 lines.
        var lines: [String] = []
        for start in stride(from: 0, to: 60, by: 12) {
            alice.send("METADATA * SUB " + (start..<start + 12).map { "k\($0)" }.joined(separator: " "))
            lines += alice.plainLines()
        }
        XCTAssertEqual(lines.filter { $0.contains(" FAIL ") },
                       [":test.server FAIL METADATA TOO_MANY_SUBS k49 :Too many subscriptions (50)"],
                       "the first key that did not fit, and nothing after it")
        XCTAssertEqual(lines.filter { $0.contains(" 770 ") }.joined(separator: " ").components(separatedBy: " k").count - 1
                       + lines.filter { $0.contains(" 770 ") }.joined(separator: " ").components(separatedBy: ":k").count - 1, 49)
        alice.send("METADATA * SUBS")
        XCTAssertEqual(alice.plainLines().joined(separator: " ").components(separatedBy: " k").count - 1, 49)
    }

    func testSubscribersInSharedChannelsHearChanges() {
        let net = net()
        let alice = net.user("alice"), bob = net.user("bob", caps: ["draft/metadata-2"])
        let carol = net.user("carol", caps: ["draft/metadata-2"]), dave = net.user("dave")
        alice.send("METADATA * SET status :before")
        bob.send("METADATA * SUB status")
        _ = bob.lines()
        for u in [alice, bob, carol, dave] { u.send("JOIN #c") }
        // bob joined after alice: he got her value as he joined.
        XCTAssertTrue(bob.plainLines().contains(":test.server METADATA alice status * before"))
        for u in [alice, carol, dave] { _ = u.lines() }
        alice.send("METADATA * SET status :lunch")
        XCTAssertEqual(alice.codes(), ["761"])
        XCTAssertEqual(bob.plainLines(), [":alice!~alice@127.0.0.1 METADATA alice status * lunch"])
        XCTAssertEqual(carol.lines(), [], "not subscribed")
        XCTAssertEqual(dave.lines(), [], "no capability")
        alice.send("METADATA * SET status")
        XCTAssertEqual(bob.plainLines(), [":alice!~alice@127.0.0.1 METADATA alice status *"])
        // Subscribing late: the current values come at once.
        alice.send("METADATA * SET avatar :https://a.example/x.png")
        _ = alice.lines()
        carol.send("METADATA * SUB avatar")
        XCTAssertEqual(carol.plainLines(), [":test.server 770 carol :avatar",
                                            ":test.server METADATA alice avatar * https://a.example/x.png"])
        carol.send("METADATA #c SYNC")
        XCTAssertEqual(carol.plainLines(), [":test.server METADATA alice avatar * https://a.example/x.png"])
    }

    func testAccountValuesPersistAndComeBackAtLogIn() {
        let net = net(storage: true)
        let alice = net.user("alice", caps: ["batch", "draft/metadata-2"])
        alice.send("REGISTER * * :correct-horse-battery")
        _ = alice.lines()
        alice.send("METADATA * SET display-name :Alice L.")
        XCTAssertEqual(alice.codes(), ["761"])
        XCTAssertEqual(try net.storage!.metadata(ofAccount: "alice"), ["display-name": "Alice L."])
        alice.send("QUIT")
        let again = net.connect()
        again.send("CAP REQ :batch draft/metadata-2")
        again.send("PASS alice:correct-horse-battery")
        again.send("NICK alice")
        again.send("USER alice 0 * :A")
        again.send("CAP END")
        let lines = again.plainLines()
        XCTAssertTrue(lines.contains(":test.server METADATA alice display-name * :Alice L."), "\(lines)")
        XCTAssertTrue(lines.contains { $0.contains(" BATCH +") && $0.hasSuffix(" metadata") })
        let bob = net.user("bob")
        bob.send("METADATA alice GET display-name")
        XCTAssertEqual(bob.plainLines(), [":test.server 761 bob alice display-name * :Alice L."])
        // Not logged in: nothing stored.
        bob.send("METADATA * SET status :transient")
        _ = bob.lines()
        bob.send("QUIT")
        XCTAssertEqual(net.server.metadata.store.usersWithValues, 1)
    }

    /// A GET sent while the account's values are still being read waits
    /// for them rather than answering "not set".
    func testAGetDuringTheLoadWaitsForTheValues() {
        let net = net(storage: true)
        let alice = net.user("alice", caps: ["batch", "draft/metadata-2"])
        alice.send("REGISTER * * :correct-horse-battery")
        alice.send("METADATA * SET display-name :Alice L.")
        alice.send("QUIT")
        net.workers.deferred = true
        let again = net.connect()
        again.send("CAP REQ :draft/metadata-2")
        again.send("PASS alice:correct-horse-battery")
        again.send("NICK alice")
        again.send("USER alice 0 * :A")
        again.send("CAP END")
        net.workers.runWork()
        net.workers.runCompletions()  // logged in; the values' read is queued
        XCTAssertTrue(again.codes().contains("900"))
        XCTAssertTrue(net.server.metadata.isLoading(again.client!))
        again.send("METADATA * GET display-name")
        XCTAssertEqual(again.plainLines(), [], "not answered before the values are in")
        net.workers.runPending()
        XCTAssertEqual(again.plainLines(), [":test.server METADATA alice display-name * :Alice L.",
                                            ":test.server 761 alice alice display-name * :Alice L."],
                       "the values, then the GET's answer")
        XCTAssertEqual(again.client!.pendingAnswers, 0, "its input flows again")
    }
}
