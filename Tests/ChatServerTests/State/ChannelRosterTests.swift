@testable import ChatServer
import XCTest

/// The channel's contiguous roster (what fan-out walks) must hold exactly the
/// members the dictionary holds, with the same privileges, through joins,
/// parts from the middle, privilege changes and quits.
final class ChannelRosterTests: XCTestCase {
    private func assertInStep(_ channel: Channel, file: StaticString = #filePath, line: UInt = #line) {
        let entries = channel.roster.entries
        XCTAssertEqual(entries.count, channel.members.count, "roster and members differ in size", file: file, line: line)
        for (slot, entry) in entries.enumerated() {
            guard let member = channel.members[entry.id] else {
                return XCTFail("roster entry \(entry.id) is not a member", file: file, line: line)
            }
            XCTAssertEqual(member.rosterSlot, slot, file: file, line: line)
            XCTAssertTrue(entry.client.takeUnretainedValue() === member.client, file: file, line: line)
            XCTAssertEqual(entry.membership, member.membership, file: file, line: line)
        }
    }

    func testTheRosterFollowsJoinsPartsPrivilegesAndQuits() {
        let net = TestNet()
        let users = (0..<6).map { net.user("u\($0)") }
        for u in users { u.send("JOIN #room") }
        let channel = net.server.channel(named: "#room")!
        assertInStep(channel)
        users[2].send("PART #room")      // from the middle: the last entry moves into its slot
        assertInStep(channel)
        users[0].send("MODE #room +v u5")
        users[0].send("MODE #room +o u3")
        assertInStep(channel)
        XCTAssertEqual(channel.roster.entries.first { $0.id == users[5].client!.id }?.membership, .voice)
        users[5].send("QUIT :bye")
        users[1].send("PART #room")
        assertInStep(channel)
        users[2].send("JOIN #room")
        assertInStep(channel)
    }

    func testEveryMemberButTheSenderGetsAChannelMessageOnceAfterChurn() {
        let net = TestNet()
        let users = (0..<5).map { net.user("m\($0)") }
        for u in users { u.send("JOIN #room") }
        users[1].send("PART #room")
        users[1].send("JOIN #room")
        users[3].send("PART #room")
        for u in users { _ = u.lines() }
        users[0].send("PRIVMSG #room :hello")
        for (i, u) in users.enumerated() {
            let got = u.lines().filter { $0.contains("PRIVMSG #room :hello") }.count
            XCTAssertEqual(got, i == 0 || i == 3 ? 0 : 1, "m\(i)")
        }
    }
}
