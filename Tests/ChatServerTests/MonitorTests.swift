@testable import ChatServer
import XCTest

final class MonitorTests: XCTestCase {
    func testAddReportsStatusAndSignOnOffRename() {
        let net = TestNet()
        let alice = net.user("alice")
        net.user("bob")
        alice.send("MONITOR + bob,carol,#bad,Bob")
        XCTAssertEqual(alice.plainLines(), [":test.server 730 alice :bob!~bob@127.0.0.1",
                                            ":test.server 731 alice :carol"])
        let carol = net.user("carol")
        XCTAssertEqual(alice.plainLines(), [":test.server 730 alice :carol!~carol@127.0.0.1"])
        carol.send("NICK dave")
        XCTAssertEqual(alice.plainLines(), [":test.server 731 alice :carol"])
        let dave = net.user("Carol2")
        dave.send("NICK carol")
        XCTAssertEqual(alice.plainLines(), [":test.server 730 alice :carol!~carol2@127.0.0.1"])
        dave.send("QUIT :bye")
        XCTAssertEqual(alice.plainLines(), [":test.server 731 alice :carol"])
        alice.send("MONITOR L")
        XCTAssertEqual(alice.plainLines(), [":test.server 732 alice :bob,carol",
                                            ":test.server 733 alice :End of MONITOR list"])
        alice.send("MONITOR S")
        XCTAssertEqual(alice.plainLines(), [":test.server 730 alice :bob!~bob@127.0.0.1",
                                            ":test.server 731 alice :carol"])
    }

    func testRemoveClearAndNoReplies() {
        let net = TestNet()
        let alice = net.user("alice")
        alice.send("MONITOR + x,y,z")
        _ = alice.lines()
        alice.send("MONITOR - y")
        XCTAssertEqual(alice.lines(), [])
        alice.send("MONITOR L")
        XCTAssertEqual(alice.plainLines().first, ":test.server 732 alice :x,z")
        alice.send("MONITOR C")
        XCTAssertEqual(alice.lines(), [])
        alice.send("MONITOR L")
        XCTAssertEqual(alice.codes(), ["733"])
        XCTAssertEqual(net.server.monitors.watchedNickCount, 0)
        net.user("x")
        XCTAssertEqual(alice.lines(), [])
    }

    func testBadInput() {
        let net = TestNet()
        let alice = net.user("alice")
        alice.send("MONITOR")
        XCTAssertEqual(alice.codes(), ["461"])
        alice.send("MONITOR +")
        XCTAssertEqual(alice.codes(), ["461"])
        alice.send("MONITOR X")
        XCTAssertEqual(alice.codes(), ["400"])
        alice.send("MONITOR + #chan,1abc")
        XCTAssertEqual(alice.lines(), [])
        let early = net.connect()
        early.send("MONITOR + alice")
        XCTAssertEqual(early.codes(), ["451"])
    }

    func testLimitStopsWith734() {
        let net = TestNet()
        let alice = net.user("alice")
        let limit = MonitorRegistry.defaultLimit
        let names = (0..<(limit - 1)).map { "watched_nick_\($0)" }
        for start in stride(from: 0, to: names.count, by: 20) {
            alice.send("MONITOR + " + names[start..<min(start + 20, names.count)].joined(separator: ","))
        }
        XCTAssertTrue(alice.codes().allSatisfy { $0 == "731" })
        alice.send("MONITOR + watched_nick_0,last,over1,over2")
        let lines = alice.plainLines()
        XCTAssertEqual(lines.first, ":test.server 734 alice \(limit) over1,over2 :Monitor list is full")
        XCTAssertEqual(lines.dropFirst().first, ":test.server 731 alice :watched_nick_0,last")
        XCTAssertEqual(net.server.monitors.count(for: alice.client!), limit)
        // A long list comes back in lines that fit.
        alice.send("MONITOR L")
        let list = alice.plainLines()
        XCTAssertGreaterThan(list.count, 2)
        XCTAssertTrue(list.allSatisfy { $0.utf8.count <= 510 })
        XCTAssertEqual(list.last, ":test.server 733 alice :End of MONITOR list")
        XCTAssertEqual(list.dropLast().flatMap { $0.split(separator: ":").last!.split(separator: ",") }.count, limit)
        alice.send("VERSION")
        XCTAssertTrue(alice.plainLines().contains { $0.contains(" 005 ") && $0.contains(" MONITOR=\(limit) ") })
    }

    func testWatcherQuitDropsItsList() {
        let net = TestNet()
        let alice = net.user("alice")
        alice.send("MONITOR + bob,carol")
        XCTAssertEqual(net.server.monitors.watchedNickCount, 2)
        alice.send("QUIT")
        XCTAssertEqual(net.server.monitors.watchedNickCount, 0)
        // An unregistered connection holding a watched nick is not announced.
        let watcher = net.user("watcher")
        watcher.send("MONITOR + dave")
        _ = watcher.lines()
        let pending = net.connect()
        pending.send("NICK dave")
        pending.send("QUIT")
        XCTAssertEqual(watcher.lines(), [])
    }

    func testExtendedMonitorForwardsNotifications() {
        let net = TestNet()
        let plain = net.user("plain", caps: ["away-notify"])
        // The draft name is the same capability (irctest asks for it by that name).
        let ext = net.user("ext", caps: ["draft/extended-monitor", "away-notify", "setname"])
        let extNoAway = net.user("extnoaway", caps: ["extended-monitor"])
        let sharer = net.user("sharer", caps: ["extended-monitor", "away-notify"])
        let bob = net.user("bob")
        for u in [plain, ext, extNoAway, sharer] { u.send("MONITOR + bob") }
        sharer.send("JOIN #c"); bob.send("JOIN #c")
        for u in [plain, ext, extNoAway, sharer, bob] { _ = u.lines() }
        bob.send("AWAY :lunch")
        XCTAssertEqual(ext.plainLines(), [":bob!~bob@127.0.0.1 AWAY :lunch"])
        XCTAssertEqual(plain.lines(), [])
        XCTAssertEqual(extNoAway.lines(), [])
        XCTAssertEqual(sharer.plainLines(), [":bob!~bob@127.0.0.1 AWAY :lunch"], "once, not twice")
        bob.send("SETNAME :Robert")
        XCTAssertEqual(ext.plainLines(), [":bob!~bob@127.0.0.1 SETNAME :Robert"])
        XCTAssertEqual(sharer.lines(), [])
    }

    func testExtendedMonitorAccountNotifyAndCaseOnlyRename() {
        let net = TestNet.withStorage()
        let watcher = net.user("watcher", caps: ["extended-monitor", "account-notify"])
        let plainWatcher = net.user("plainwatcher", caps: ["account-notify"])
        let bob = net.user("bob")
        watcher.send("MONITOR + bob")
        plainWatcher.send("MONITOR + bob")
        _ = watcher.lines(); _ = plainWatcher.lines()
        bob.send("REGISTER * * :long-password-1")
        XCTAssertEqual(watcher.plainLines(), [":bob!~bob@127.0.0.1 ACCOUNT bob"])
        XCTAssertEqual(plainWatcher.lines(), [])
        // A change of case only: the same nick stays online, so no numeric
        // (irctest's MONITOR testNickChange); a real rename signs off.
        bob.send("NICK BOB")
        XCTAssertEqual(watcher.plainLines(), [])
        XCTAssertEqual(plainWatcher.lines(), [])
        bob.send("NICK bobby")
        XCTAssertEqual(plainWatcher.plainLines(), [":test.server 731 plainwatcher :BOB"])
    }
}
