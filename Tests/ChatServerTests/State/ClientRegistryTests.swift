@testable import ChatServer
import XCTest

/// The client registry's invariants, without a server around it.
final class ClientRegistryTests: XCTestCase {
    let limits = ServerConfig().limits

    func admit(_ registry: ClientRegistry, host: String = "10.0.0.1") -> Client {
        registry.admit(InMemoryTransport(), host: host, now: 0, wallMillis: 0, limits: limits)
    }

    func testIdsAreFreshAndAddressCountsFollowAdmitAndRemove() {
        let registry = ClientRegistry(whowasCapacity: 10)
        let a = admit(registry), b = admit(registry), c = admit(registry, host: "10.0.0.2")
        XCTAssertEqual(Set([a.id, b.id, c.id]).count, 3)
        XCTAssertEqual(registry.connections(from: "10.0.0.1"), 2)
        XCTAssertEqual(registry.connections(from: "10.0.0.2"), 1)
        registry.remove(a)
        registry.remove(a)  // idempotent: the count must not go down twice
        XCTAssertEqual(registry.connections(from: "10.0.0.1"), 1)
        XCTAssertNil(registry[a.id])
        registry.remove(b)
        registry.remove(c)
        XCTAssertEqual(registry.connections(from: "10.0.0.1"), 0)
        XCTAssertTrue(registry.isEmpty)
        XCTAssertNotEqual(admit(registry).id, c.id, "ids are never reused")
    }

    func testRenameKeepsTheFoldedIndexInStepAndFreesTheOldNick() {
        let registry = ClientRegistry(whowasCapacity: 10)
        let a = admit(registry), b = admit(registry)
        registry.rename(a, to: "Alice[1]")
        XCTAssertEqual(a.foldedNick, CaseMapping.fold("Alice[1]"))
        XCTAssertTrue(registry.holder(of: "alice{1}") === a, "lookups fold the nick")
        XCTAssertTrue(registry.isNickTaken("ALICE[1]", by: b))
        XCTAssertFalse(registry.isNickTaken("alice[1]", by: a), "one's own nick is not taken")
        XCTAssertNil(registry.registered(named: "alice[1]"), "a client still registering is not a user yet")
        registry.rename(a, to: "Ann")
        XCTAssertNil(registry.holder(of: "Alice[1]"), "the old nick is free again")
        XCTAssertEqual(a.mask, "Ann!*@10.0.0.1")
        registry.releaseNick(of: a)
        XCTAssertEqual(a.nick, "*")
        XCTAssertNil(registry.holder(of: "Ann"))
    }

    func testRemovingAClientThatLostItsNickDoesNotFreeTheNewHolder() {
        let registry = ClientRegistry(whowasCapacity: 10)
        let a = admit(registry), b = admit(registry)
        registry.rename(a, to: "sam")
        registry.releaseNick(of: a)
        registry.rename(b, to: "sam")
        registry.rename(a, to: "sam2")
        registry.remove(a)
        XCTAssertTrue(registry.holder(of: "sam") === b)
    }

    func testWhowasIsBoundedAndNewestFirst() {
        let registry = ClientRegistry(whowasCapacity: 2)
        let net = TestNet()
        for (i, nick) in ["old", "mid", "new"].enumerated() {
            let u = net.user("u\(i)")
            registry.rename(u.client!, to: nick)
            registry.rememberForWhowas(u.client!, serverName: "s", atMillis: Int64(i))
        }
        XCTAssertEqual(registry.whowas("old", max: 10).count, 0, "the oldest entry fell out of the ring")
        XCTAssertEqual(registry.whowas("NEW", max: 10).map(\.atMillis), [2])
    }
}
