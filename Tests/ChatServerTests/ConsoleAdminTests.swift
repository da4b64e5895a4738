@testable import ChatServer
import Foundation
import XCTest

final class ConsoleAdminTests: XCTestCase {
    override class func setUp() { PasswordHasher.cost = 1 }

    func ask(_ host: ConsoleHost, _ json: String) -> [String: Any] {
        var reply: ConsoleReply?
        ConsoleVerbs.handle(try! ConsoleRequest(line: Data(json.utf8)), host: host) { reply = $0 }
        return try! JSONSerialization.jsonObject(with: reply!.line) as! [String: Any]
    }

    func login(_ net: TestNet, _ account: String, _ password: String, nick: String? = nil, host: String = "127.0.0.1") -> TestUser {
        let u = net.connect(host: host)
        u.send("PASS :\(account):\(password)")
        u.send("NICK \(nick ?? account)")
        u.send("USER \(account) 0 * :X")
        return u
    }

    func testAccountAdministration() {
        let net = TestNet.withStorage()
        let host = FakeConsoleHost(net)
        XCTAssertEqual(ask(host, ##"{"cmd":"account-create","name":"dana","password":"long password"}"##)["ok"] as? Bool, true)
        XCTAssertEqual(ask(host, ##"{"cmd":"account-create","name":"dana","password":"long password"}"##)["error"] as? String, "account dana already exists")
        XCTAssertEqual(ask(host, ##"{"cmd":"account-create","name":"eve","password":"short"}"##)["error"] as? String, "argument password: needs at least 8 characters")
        let list = ask(host, ##"{"cmd":"accounts"}"##)["accounts"] as! [[String: Any]]
        XCTAssertEqual(list.map { $0["name"] as? String }, ["dana"])

        XCTAssertEqual(ask(host, ##"{"cmd":"account-operator","name":"dana","operator":true}"##)["ok"] as? Bool, true)
        let dana = login(net, "dana", "long password")
        XCTAssertTrue(dana.client!.isOperator, "operator rights on log-in")

        XCTAssertEqual(ask(host, ##"{"cmd":"account-password","name":"dana","password":"another password"}"##)["ok"] as? Bool, true)
        XCTAssertEqual(login(net, "dana", "long password", nick: "dana2").codes().first, "464", "the old password no longer works")
        XCTAssertEqual(login(net, "dana", "another password", nick: "dana3").closed, nil)

        XCTAssertEqual(ask(host, ##"{"cmd":"account-delete","name":"dana"}"##)["ok"] as? Bool, true)
        XCTAssertTrue(dana.plainLines().contains { $0.contains(" 901 ") }, "logged out")
        XCTAssertNil(dana.client!.account)
        XCTAssertEqual(ask(host, ##"{"cmd":"account-delete","name":"dana"}"##)["error"] as? String, "no such account: dana")
        XCTAssertEqual(ask(host, ##"{"cmd":"account-operator","name":"dana"}"##)["error"] as? String, "missing argument: operator")
    }

    func testBansAreEnforcedPersistedAndExpire() {
        let storage = try! ChatStorage()
        let net = TestNet(storage: storage)
        let host = FakeConsoleHost(net)
        XCTAssertEqual(ask(host, ##"{"cmd":"account-create","name":"mallory","password":"long password"}"##)["ok"] as? Bool, true)
        let mallory = login(net, "mallory", "long password")
        let bystander = net.user("bystander", host: "127.0.0.5")

        let banned = ask(host, ##"{"cmd":"ban","account":"Mallory","reason":"abuse"}"##)
        XCTAssertEqual(banned["disconnected"] as? [String], ["mallory"])
        XCTAssertEqual(mallory.closed, "You are banned from this server: abuse")
        XCTAssertNil(bystander.closed)
        let again = login(net, "mallory", "long password")
        XCTAssertEqual(again.closed, "You are banned from this server: abuse", "refused at log-in")

        XCTAssertEqual(ask(host, ##"{"cmd":"ban","mask":"127.0.0.5","duration":60,"reason":"cool down"}"##)["disconnected"] as? [String], ["bystander"])
        XCTAssertNil(net.connect(host: "127.0.0.5").client, "refused at connect")
        let listed = ask(host, ##"{"cmd":"bans"}"##)["bans"] as! [[String: Any]]
        XCTAssertEqual(listed.map { $0["pattern"] as? String }, ["mallory", "127.0.0.5"])

        // A new server on the same database keeps the bans.
        let restarted = TestNet(storage: storage)
        XCTAssertNil(restarted.connect(host: "127.0.0.5").client)
        restarted.clock.wallMillis = net.clock.wallMillis + 61_000
        XCTAssertNotNil(restarted.connect(host: "127.0.0.5").client, "the timed ban expired")

        XCTAssertEqual(ask(host, ##"{"cmd":"unban","account":"mallory"}"##)["ok"] as? Bool, true)
        XCTAssertNil(login(net, "mallory", "long password").closed)
        XCTAssertEqual(ask(host, ##"{"cmd":"unban","account":"mallory"}"##)["error"] as? String, "no such ban: mallory")
        XCTAssertEqual(ask(host, ##"{"cmd":"ban"}"##)["error"] as? String, "missing argument: account or mask")
        let both = ask(host, ##"{"cmd":"ban","account":"mallory","mask":"10.0.0.9"}"##)["error"] as? String
        XCTAssertTrue(both?.contains("not both") ?? false, "refused, not half done: \(both ?? "ok")")
        let patterns = (ask(host, ##"{"cmd":"bans"}"##)["bans"] as? [[String: Any]] ?? []).compactMap { $0["pattern"] as? String }
        XCTAssertFalse(patterns.contains("mallory") || patterns.contains("10.0.0.9"), "nothing banned by it: \(patterns)")
    }

    func testReloadAppliesLimitsAndMotdAndRefusesABadFile() {
        let net = TestNet()
        let host = FakeConsoleHost(net)
        let before = net.user("before")
        var next = net.server.config
        next.motd = "New message of the day"
        next.limits.topicLength = 10
        next.listen = ["127.0.0.1:7000"]
        host.nextConfig = next
        let reply = ask(host, ##"{"cmd":"reload"}"##)
        XCTAssertEqual(reply["notes"] as? [String], ["listen addresses change on restart"])
        XCTAssertNil(before.closed, "nobody is dropped")
        before.send("MOTD")
        XCTAssertTrue(before.plainLines().contains(":test.server 372 before :- New message of the day"))
        XCTAssertEqual(net.server.config.limits.topicLength, 10)
        XCTAssertEqual(net.server.config.listen, ServerConfig().listen, "listen kept until restart")

        // Settings read only at start-up are named, not silently ignored.
        next = net.server.config
        next.limits.sendQueueBytes = 1 << 22
        next.history.flushIntervalMillis = 500
        next.limits.maxLineLength = 1024
        host.nextConfig = next
        XCTAssertEqual(ask(host, ##"{"cmd":"reload"}"##)["notes"] as? [String], [
            "limits.sendQueueBytes changes on restart",
            "history.flushIntervalMillis changes on restart",
            "line length and flood limits apply to new connections",
        ])

        host.nextConfig = nil
        XCTAssertEqual(ask(host, ##"{"cmd":"reload"}"##)["error"] as? String, "reload refused, old configuration kept: bad file")
        XCTAssertEqual(net.server.config.limits.topicLength, 10)
    }
}
