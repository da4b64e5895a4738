@testable import ChatServer
import XCTest

final class RegistrationTests: XCTestCase {
    func testWelcomeBurstThenLusersAndMotd() {
        let net = TestNet()
        let u = net.connect()
        u.send("NICK alice")
        XCTAssertEqual(u.lines(), [], "no welcome before USER")
        u.send("USER alice 0 * :Alice Liddell")
        let codes = u.codes()
        XCTAssertEqual(Array(codes.prefix(4)), ["001", "002", "003", "004"])
        XCTAssertTrue(codes.contains("005"))
        XCTAssertTrue(codes.contains("251"))
        XCTAssertEqual(Array(codes.suffix(3)), ["375", "372", "376"])
        XCTAssertEqual(u.client?.mask, "alice!~alice@127.0.0.1")
    }

    func testPreEncodedWelcomeIsByteForByteTheMessagesAndFollowsAReload() {
        let net = TestNet()
        let plain = net.connect()
        plain.send("NICK alice")
        plain.send("USER alice 0 * :A")
        let expected = (net.server.welcomeHeadMessages(nick: "alice") + net.server.motdMessages(nick: "alice")).map(\.line)
        let got = plain.lines().filter { line in !["001", "251", "252", "253", "254", "255", "265", "266"].contains { line.contains(" \($0) ") } }
        XCTAssertEqual(got, expected, "the template path sends exactly what the message path would")
        XCTAssertTrue(got.contains(":test.server 372 alice :- hello"))

        // With server-time each line carries its own tag: the message path.
        let tagged = net.connect()
        tagged.send("CAP REQ :server-time")
        tagged.send("NICK bob")
        tagged.send("USER bob 0 * :B")
        tagged.send("CAP END")
        let motd = tagged.lines().filter { $0.contains(" 372 ") }
        XCTAssertEqual(motd.count, 1)
        XCTAssertTrue(motd[0].hasPrefix("@time="), motd[0])

        // A reload's new MOTD reaches the next registration.
        _ = net.server.apply(net.server.config, motdLines: ["fresh news"])
        let later = net.connect()
        later.send("NICK carol")
        later.send("USER carol 0 * :C")
        let lines = later.lines()
        XCTAssertTrue(lines.contains(":test.server 372 carol :- fresh news"), "\(lines)")
        XCTAssertFalse(lines.contains { $0.contains("hello") })
    }

    func testWelcomeNamesTheNetworkAndTheMaskAndFollowsAReload() {
        let net = TestNet()
        let u = net.connect()
        u.send("NICK alice")
        u.send("USER alice 0 * :A")
        XCTAssertEqual(u.plainLines().first, ":test.server 001 alice :Welcome to the ChatNet Network, alice!~alice@127.0.0.1")
        var config = net.server.config
        config.networkName = "Wonderland"
        _ = net.server.apply(config, motdLines: nil)
        let later = net.connect()
        later.send("NICK bob")
        later.send("USER bob 0 * :B")
        XCTAssertEqual(later.plainLines().first, ":test.server 001 bob :Welcome to the Wonderland Network, bob!~bob@127.0.0.1")
    }

    func testIsupportAdvertisesTheLimits() {
        let net = TestNet { $0.limits.nickLength = 12 }
        let u = net.connect()
        u.send("NICK alice")
        u.send("USER alice 0 * :A")
        let isupport = u.plainLines().filter { $0.contains(" 005 ") }.joined(separator: " ")
        for token in ["CASEMAPPING=rfc1459", "CHANTYPES=#", "PREFIX=(ov)@+", "CHANMODES=beI,k,l,Cimnst", "NICKLEN=12",
                      "CHANNELLEN=50", "TOPICLEN=390", "KICKLEN=255", "AWAYLEN=255", "MAXTARGETS=4", "NETWORK=ChatNet"] {
            XCTAssertTrue(isupport.contains(token), "missing \(token)")
        }
    }

    func testALongCapabilityListIsCutIntoLinesMarkedWithAStarFor302Only() {
        let net = TestNet()
        let u = net.connect()
        let tokens = (1...40).map { "draft/cap-number-\($0)=value,\($0)" }
        RegistrationCommands.sendCapList(net.server, u.client!, "LS", tokens, continuationAllowed: true)
        let lines = u.plainLines()
        XCTAssertGreaterThan(lines.count, 1)
        var seen: [String] = []
        for (index, line) in lines.enumerated() {
            XCTAssertLessThanOrEqual(line.utf8.count + 2, 512, "a CAP line fits the 512-byte limit")
            let last = index == lines.count - 1
            let prefix = last ? ":test.server CAP * LS :" : ":test.server CAP * LS * :"
            XCTAssertTrue(line.hasPrefix(prefix), "line \(index): \(line)")
            seen += line.dropFirst(prefix.count).split(separator: " ").map(String.init)
        }
        XCTAssertEqual(seen, tokens, "every token once, in order")
        // Without 302 a client cannot read continuation lines: one line.
        RegistrationCommands.sendCapList(net.server, u.client!, "LS", tokens, continuationAllowed: false)
        XCTAssertEqual(u.plainLines().count, 1)
    }

    func testTheFullCapabilityListOf302FitsInLinesOfAtMost512Bytes() {
        let net = TestNet.withStorage()
        let u = net.connect()
        u.send("CAP LS 302")
        let lines = u.plainLines()
        XCTAssertTrue(lines.allSatisfy { $0.utf8.count + 2 <= 512 }, "\(lines)")
        XCTAssertTrue(lines.last?.hasPrefix(":test.server CAP * LS :") ?? false)
        let all = lines.joined(separator: " ")
        for name in ["sasl=", "draft/multiline=", "draft/metadata-2=", "draft/read-marker", "draft/chathistory", "labeled-response"] {
            XCTAssertTrue(all.contains(name), "\(name) offered")
        }
    }

    /// A client that does not say 302 cannot read a continued list, so all
    /// names go on one line: it must still fit when the next capability lands
    /// (one bit is left in `CapabilitySet` too).
    func testThePre302CapabilityListFitsOneLine() {
        let net = TestNet.withStorage()
        let u = net.connect()
        u.send("CAP LS")
        let lines = u.plainLines()
        XCTAssertEqual(lines.count, 1, "\(lines)")
        XCTAssertLessThanOrEqual((lines.first?.utf8.count ?? 0) + 2, 512 - 40, "room left for a few more names: \(lines)")
    }

    /// The bits are numbered by hand; two features once picked the same one.
    /// Only a draft name kept beside its ratified one (draft/extended-monitor)
    /// may share a bit.
    func testEveryCapabilityHasABitOfItsOwn() {
        let names = Set(CapabilitySet.all.map(\.name))
        let own = CapabilitySet.all.filter { !($0.name.hasPrefix("draft/") && names.contains(String($0.name.dropFirst(6)))) }
        XCTAssertEqual(CapabilitySet.all.count - own.count, 1, "draft/extended-monitor is the one alias")
        let bits = own.map(\.cap.rawValue)
        XCTAssertTrue(bits.allSatisfy { $0 != 0 && $0 & ($0 - 1) == 0 }, "one bit each")
        XCTAssertEqual(Set(bits).count, bits.count, "no bit shared: \(own.map(\.name))")
        XCTAssertEqual(names.count, CapabilitySet.all.count, "no name twice")
        XCTAssertEqual(CapabilitySet.named("draft/extended-monitor"), .extendedMonitor)
    }

    func testCapNegotiationHoldsRegistrationUntilEnd() {
        let net = TestNet()
        let u = net.connect()
        u.send("CAP LS 302")
        XCTAssertTrue(u.plainLines().last?.hasPrefix(":test.server CAP * LS :") ?? false)
        u.send("NICK bob")
        u.send("USER bob 0 * :Bob")
        XCTAssertEqual(u.lines(), [], "registration waits for CAP END")
        u.send("CAP REQ :server-time echo-message")
        XCTAssertEqual(u.plainLines(), [":test.server CAP bob ACK :server-time echo-message"])
        u.send("CAP REQ :server-time bogus-cap")
        XCTAssertEqual(u.plainLines(), [":test.server CAP bob NAK :server-time bogus-cap"])
        u.send("CAP LIST")
        XCTAssertEqual(u.plainLines(), [":test.server CAP bob LIST :cap-notify echo-message server-time"])
        u.send("CAP REQ :-cap-notify")
        XCTAssertEqual(u.plainLines(), [":test.server CAP bob NAK :-cap-notify"], "302 keeps cap-notify on")
        u.send("CAP END")
        let lines = u.lines()
        XCTAssertTrue(lines.first?.hasPrefix("@time=") ?? false, "server-time tags every line")
        XCTAssertTrue(lines.first?.contains(" 001 bob ") ?? false)
        u.send("CAP FOO")
        XCTAssertEqual(u.codes(), ["410"])
    }

    func testAPre302ClientMayTurnCapNotifyOffAgain() {
        let net = TestNet()
        let u = net.connect()
        u.send("CAP LS")
        _ = u.lines()
        u.send("CAP REQ :cap-notify")
        u.send("CAP REQ :-cap-notify")
        XCTAssertEqual(u.plainLines(), [":test.server CAP * ACK :cap-notify", ":test.server CAP * ACK :-cap-notify"])
    }

    func testNickErrors() {
        let net = TestNet()
        net.user("Alice")
        let u = net.connect()
        u.send("NICK")
        XCTAssertEqual(u.codes(), ["431"])
        u.send("NICK 9lives")
        XCTAssertEqual(u.codes(), ["432"])
        u.send("NICK aLiCe")
        XCTAssertEqual(u.plainLines(), [":test.server 433 * aLiCe :Nickname is already in use"])
        u.send("NICK alice[1]")
        u.send("USER a 0 * :A")
        XCTAssertEqual(u.codes().first, "001")
    }

    func testRegistrationStateIsEnforcedByTheTable() {
        let net = TestNet()
        let u = net.connect()
        u.send("JOIN #a")
        XCTAssertEqual(u.codes(), ["451"])
        u.send("FROBNICATE")
        XCTAssertEqual(u.codes(), ["451"])
        u.send("USER a")
        XCTAssertEqual(u.codes(), ["461"])
        u.send("NICK a")
        u.send("USER a 0 * :A")
        _ = u.lines()
        u.send("USER a 0 * :A")
        XCTAssertEqual(u.codes(), ["462"])
        u.send("FROBNICATE x")
        XCTAssertEqual(u.plainLines(), [":test.server 421 a FROBNICATE :Unknown command"])
        u.send("KICK #a")
        XCTAssertEqual(u.codes(), ["461"])
    }

    func testServerPasswordIsRequiredWhenConfigured() {
        let net = TestNet { $0.serverPassword = "letmein" }
        let wrong = net.connect()
        wrong.send("PASS nope")
        wrong.send("NICK a")
        wrong.send("USER a 0 * :A")
        XCTAssertEqual(wrong.codes(), ["464", "ERROR"])
        XCTAssertNotNil(wrong.closed)
        let right = net.connect()
        right.send("PASS letmein")
        right.send("NICK a")
        right.send("USER a 0 * :A")
        XCTAssertEqual(right.codes().first, "001")
    }

    func testPingPongAndQuit() {
        let net = TestNet()
        let u = net.user("alice")
        u.send("PING :abc")
        XCTAssertEqual(u.plainLines(), [":test.server PONG test.server :abc"])
        u.send("PING")
        XCTAssertEqual(u.codes(), ["409"])
        u.send("QUIT :see you")
        XCTAssertEqual(u.plainLines(), ["ERROR :Closing Link: 127.0.0.1 (Quit: see you)"])
        XCTAssertEqual(u.closed, "Quit: see you")
        XCTAssertNil(net.server.client(named: "alice"))
    }

    func testBadBytesAndLongLines() {
        let net = TestNet()
        let u = net.user("alice")
        u.feed("PRIVMSG x :a\u{0}b\r\n")
        XCTAssertEqual(u.codes(), ["400"])
        u.feed("PRIVMSG #x :" + String(repeating: "a", count: 600) + "\r\n")
        XCTAssertEqual(u.codes(), ["417"])
        u.send("PING :still-alive")
        XCTAssertEqual(u.codes(), ["PONG"])
    }

    func testConnectionLimitsPerAddressAndTotal() {
        let net = TestNet {
            $0.limits.maxConnectionsPerIP = 2
            $0.limits.maxConnections = 3
        }
        let a = net.connect(host: "127.0.0.2"), b = net.connect(host: "127.0.0.2")
        XCTAssertNotNil(a.client)
        XCTAssertNotNil(b.client)
        let c = net.connect(host: "127.0.0.2")
        XCTAssertNil(c.client)
        XCTAssertEqual(c.lines(), ["ERROR :Closing Link: 127.0.0.2 (Too many connections from your IP address)"])
        XCTAssertNotNil(net.connect(host: "127.0.0.3").client)
        XCTAssertNil(net.connect(host: "127.0.0.4").client, "total limit")
        a.send("QUIT")
        XCTAssertNotNil(net.connect(host: "127.0.0.2").client, "a slot came free")
    }

    func testUserNameKeepsTheIdentAlphabetOnly() {
        let net = TestNet()
        for (given, kept) in [("a.b-c_d!@#$%^&*()Z9", "~a.b-c_dZ9"), ("ünï-cödé", "~n-cd"), ("a\u{301}bc", "~bc")] {
            let u = net.connect()
            u.send("NICK n\(kept.utf8.count)x\(given.utf8.count)")
            u.send("USER \(given) 0 * :Real")
            XCTAssertEqual(u.client?.user, kept, given)
        }
    }
}
