@testable import ChatServer
import XCTest

/// The reply encoders that skip `IRCMessage` (`NumericReply`, `LusersReply`,
/// `NamesReply`) against the message path they replaced, byte for byte.
final class ReplyEncodingTests: XCTestCase {
    private func messagePath(_ numeric: Numeric, nick: String, _ params: [String]) -> [UInt8] {
        IRCMessage(source: "test.server", command: numeric.rawValue, params: [nick] + params).encoded()
    }

    func testNumericReplyIsTheMessagePath() {
        let cases: [[String]] = [
            [], ["one"], ["two words"], [":colon"], [""], ["a", "b c"], ["mid", ""], ["x\r\ny\0z"],
            ["#chan", "topic text", "last: with colon"], ["é ü", "日本"],
        ]
        for nick in ["alice", "*", "Bob[m]"] {
            for params in cases {
                var out: [UInt8] = []
                NumericReply.encode(source: "test.server", .topic, nick: nick, params, into: &out)
                XCTAssertEqual(out, messagePath(.topic, nick: nick, params), "\(params)")
                guard let last = params.last else { continue }
                out = []
                NumericReply.encode(source: "test.server", .topic, nick: nick, Array(params.dropLast()), trailing: last,
                                    into: &out)
                XCTAssertEqual(out, messagePath(.topic, nick: nick, params), "trailing \(params)")
            }
        }
        for n in [0, 7, 10, 99, 1_000_000, -3, Int.max, Int.min] {
            let out = [UInt8](unsafeUninitializedCapacity: 20) { buffer, count in
                var cursor = ByteCursor(buffer.baseAddress!)
                cursor.putDecimal(n)
                count = cursor.count
            }
            XCTAssertEqual(String(decoding: out, as: UTF8.self), String(n))
        }
    }

    func testLusersIsTheMessagePath() {
        // What `sendLusers` sent before it encoded the lines itself.
        func reference(_ l: LusersReply, nick: String) -> [UInt8] {
            var out: [UInt8] = []
            func reply(_ n: Numeric, _ p: String...) { out += messagePath(n, nick: nick, p) }
            reply(.luserClient, "There are \(l.users - l.invisible) users and \(l.invisible) invisible on 1 servers")
            reply(.luserOp, String(l.operators), "operator(s) online")
            if l.unknown > 0 { reply(.luserUnknown, String(l.unknown), "unknown connection(s)") }
            reply(.luserChannels, String(l.channels), "channels formed")
            reply(.luserMe, "I have \(l.users) clients and 0 servers")
            reply(.localUsers, String(l.users), String(l.peak), "Current local users \(l.users), max \(l.peak)")
            reply(.globalUsers, String(l.users), String(l.peak), "Current global users \(l.users), max \(l.peak)")
            return out
        }
        for l in [LusersReply(users: 0, invisible: 0, operators: 0, unknown: 0, channels: 0, peak: 0),
                  LusersReply(users: 12, invisible: 3, operators: 1, unknown: 5, channels: 40, peak: 1234),
                  LusersReply(users: 100_000, invisible: 99_999, operators: 10, unknown: 1, channels: 7, peak: 100_001)] {
            var out: [UInt8] = []
            l.write(source: "test.server", nick: "alice", prefix: [], into: &out)
            XCTAssertEqual(String(decoding: out, as: UTF8.self), String(decoding: reference(l, nick: "alice"), as: UTF8.self))
            XCTAssertEqual(out.filter { $0 == 0x0A }.count, l.lineCount)
        }
        // Through the server, with server-time: each line carries the tag.
        let net = TestNet()
        let u = net.user("alice", caps: ["server-time"])
        u.send("LUSERS")
        let lines = u.lines()
        XCTAssertEqual(lines.count, 6)
        XCTAssertTrue(lines.allSatisfy { $0.hasPrefix("@time=") && $0.contains(" :test.server 2") }, "\(lines)")
        XCTAssertEqual(lines.map { String($0[$0.index(after: $0.firstIndex(of: " ")!)...]) }, [
            ":test.server 251 alice :There are 1 users and 0 invisible on 1 servers",
            ":test.server 252 alice 0 :operator(s) online",
            ":test.server 254 alice 0 :channels formed",
            ":test.server 255 alice :I have 1 clients and 0 servers",
            ":test.server 265 alice 1 1 :Current local users 1, max 1",
            ":test.server 266 alice 1 1 :Current global users 1, max 1",
        ])
    }

    func testNamesIsTheMessagePathAcrossSplitsAndCaps() {
        // What `sendNames` sent before it encoded the lines itself.
        func reference(_ channel: Channel, to client: Client) -> [UInt8] {
            var out: [UInt8] = []
            func reply(_ n: Numeric, _ p: [String]) { out += messagePath(n, nick: client.nick, p) }
            guard channel.isVisible(to: client) else {
                reply(.endOfNames, [channel.name, Numeric.endOfNames.standardText ?? ""])
                return out
            }
            let isMember = channel.members[client.id] != nil
            let symbol = channel.secret ? "@" : "="
            let multi = client.caps.contains(.multiPrefix), full = client.caps.contains(.userhostInNames)
            var batch: [String] = []
            var size = 0
            let budget = 400 - channel.name.utf8.count - client.nick.utf8.count
            func flush() {
                guard !batch.isEmpty else { return }
                reply(.namReply, [symbol, channel.name, batch.joined(separator: " ")])
                batch = []
                size = 0
            }
            for member in channel.members.values.sorted(by: { $0.client.foldedNick < $1.client.foldedNick }) {
                if member.client.isInvisible && !isMember { continue }
                let entry = member.membership.prefix(all: multi) + (full ? member.client.mask : member.client.nick)
                if size + entry.utf8.count + 1 > budget { flush() }
                batch.append(entry)
                size += entry.utf8.count + 1
            }
            flush()
            reply(.endOfNames, [channel.name, Numeric.endOfNames.standardText ?? ""])
            return out
        }
        let net = TestNet { $0.limits.nickLength = 30 }
        let op = net.user("Zed_the_operator")
        op.send("JOIN #big")
        var members = [op]
        for i in 0..<60 {
            let u = net.user("member\(i)_with_a_longish_nick", caps: i % 3 == 0 ? ["multi-prefix"] : [],
                             host: "10.0.\(i).1")
            if i % 7 == 0 { u.send("MODE \(u.client!.nick) +i") }
            u.send("JOIN #big")
            members.append(u)
        }
        op.send("MODE #big +vvv member1_with_a_longish_nick member3_with_a_longish_nick Zed_the_operator")
        op.send("MODE #big +o member3_with_a_longish_nick")
        let outsider = net.user("outsider")
        let full = net.user("full", caps: ["userhost-in-names", "multi-prefix"])
        let channel = net.server.channel(named: "#big")!
        for asker in [op, members[1], members[3], outsider, full] {
            var out: [UInt8] = []
            let count = NamesReply.write(channel, to: asker.client!, source: "test.server", prefix: [], into: &out)
            let expected = reference(channel, to: asker.client!)
            XCTAssertEqual(String(decoding: out, as: UTF8.self), String(decoding: expected, as: UTF8.self))
            XCTAssertEqual(count, expected.filter { $0 == 0x0A }.count)
            XCTAssertGreaterThan(count, asker === full ? 5 : 2, "the test should split the list")
        }
        // With a prefix (a time tag), every line starts with it.
        let tag = Array("@time=2026-12-02T22:00:00.000Z ".utf8)
        var tagged: [UInt8] = []
        let taggedCount = NamesReply.write(channel, to: op.client!, source: "test.server", prefix: tag, into: &tagged)
        let plainLines = String(decoding: reference(channel, to: op.client!), as: UTF8.self).split(separator: "\r\n")
        XCTAssertEqual(String(decoding: tagged, as: UTF8.self),
                       plainLines.map { String(decoding: tag, as: UTF8.self) + $0 + "\r\n" }.joined())
        XCTAssertEqual(taggedCount, plainLines.count)
        // A secret channel, asked from outside: only 366.
        op.send("MODE #big +s")
        var out: [UInt8] = []
        XCTAssertEqual(NamesReply.write(channel, to: outsider.client!, source: "test.server", prefix: [], into: &out), 1)
        XCTAssertEqual(out, reference(channel, to: outsider.client!))
    }

    func testClosingLinkIsTheMessagePath() {
        let net = TestNet()
        for (host, reason) in [("127.0.0.1", "Quit: done"), ("::1", ""), ("10.0.0.1", "evil\r\nPRIVMSG #x :hi\0"),
                               ("h", ":colon and spaces")] {
            let transport = InMemoryTransport()
            net.server.sendClosingLink(transport, host: host, reason: reason)
            let expected = IRCMessage(command: "ERROR", params: ["Closing Link: \(host) (\(reason))"]).encoded()
            XCTAssertEqual(transport.chunks.flatMap { $0.bytes }, expected)
        }
    }
}
