@testable import ChatServer
import XCTest

/// Membership, emptiness and saved topics, as the channel registry keeps them;
/// and invites, which live and die with their channel.
final class ChannelRegistryTests: XCTestCase {
    func testMembershipIsKeptOnBothSidesAndAnEmptyChannelGoes() {
        let net = TestNet()
        let registry = ChannelRegistry()
        let a = net.user("a").client!, b = net.user("b").client!
        let channel = registry.create("#Room", founder: a, createdAtSeconds: 1)
        registry.addMember(b, to: channel, membership: [])
        XCTAssertTrue(registry.named("#room") === channel)
        XCTAssertTrue(a.channels["#room"] === channel)
        XCTAssertEqual(channel.membership(of: a), .op, "the founder is its operator")
        XCTAssertEqual(channel.membership(of: b), [])
        XCTAssertFalse(registry.removeMember(a, from: channel))
        XCTAssertNil(a.channels["#room"])
        XCTAssertTrue(registry.removeMember(b, from: channel), "the last member leaving empties it")
        XCTAssertNil(registry.named("#room"))
        XCTAssertTrue(registry.isEmpty)
    }

    func testASavedTopicComesBackWithTheChannel() {
        let net = TestNet()
        let registry = ChannelRegistry()
        registry.loadSavedTopics(["#news": .init(name: "#news", topic: "Today", setBy: "ed", setAtSeconds: 5)])
        let channel = registry.create("#News", founder: net.user("a").client!, createdAtSeconds: 9)
        XCTAssertEqual(channel.topic, "Today")
        XCTAssertEqual(channel.topicSetBy, "ed")
        XCTAssertEqual(channel.topicSetAtSeconds, 5)
    }

    func testAnInviteDiesWithItsChannel() {
        let net = TestNet()
        let op = net.user("op"), guest = net.user("guest"), keeper = net.user("keeper")
        op.send("JOIN #club")
        op.send("INVITE guest #club")
        op.send("PART #club")
        XCTAssertNil(net.server.channel(named: "#club"))
        keeper.send("JOIN #club")
        keeper.send("MODE #club +i")
        _ = guest.lines()
        guest.send("JOIN #club")
        XCTAssertEqual(guest.codes(), ["473"], "the old channel's invite must not open the new one")
    }

    func testAnInviteExpiresAndIsUsedUpByJoining() {
        let net = TestNet()
        let op = net.user("op"), guest = net.user("guest")
        op.send("JOIN #club")
        op.send("MODE #club +i")
        op.send("INVITE guest #club")
        net.clock.advance(seconds: 3_601)
        _ = guest.lines()
        guest.send("JOIN #club")
        XCTAssertEqual(guest.codes(), ["473"], "an invite lasts an hour")
        op.send("INVITE guest #club")
        guest.send("JOIN #club")
        XCTAssertNotNil(net.server.channel(named: "#club")?.membership(of: guest.client!))
        guest.send("PART #club")
        _ = guest.lines()
        guest.send("JOIN #club")
        XCTAssertEqual(guest.codes(), ["473"], "joining used the invite up")
        guest.assertNothingUnread()
    }

    func testABanMaskWithASpaceIsRefused() {
        let net = TestNet()
        let op = net.user("op")
        op.send("JOIN #c")
        _ = op.lines()
        op.send("MODE #c +b :bad mask")
        XCTAssertEqual(op.codes(), ["696"])
        XCTAssertTrue(net.server.channel(named: "#c")!.bans.isEmpty, "a spaced mask would split every 367 reply")
        op.send("MODE #c +b Bob")
        op.send("MODE #c +b bob")
        XCTAssertEqual(net.server.channel(named: "#c")!.bans.map(\.mask), ["Bob!*@*"], "listed once, case-insensitively")
    }
}
