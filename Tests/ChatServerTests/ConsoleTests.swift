@testable import ChatServer
import CoreLoop
import Foundation
import XCTest

/// A console host around a test server.
final class FakeConsoleHost: ConsoleHost {
    let server: IRCServer
    var loopStats = EventLoopStats()
    let startedAtMillis: Int64
    var shutdownRequest: (String, Nanoseconds)?
    init(_ net: TestNet) {
        server = net.server
        startedAtMillis = net.clock.wallMillis
    }
    func shutdown(message: String, grace: Nanoseconds) { shutdownRequest = (message, grace) }
    var nextConfig: ServerConfig?
    func reloadConfiguration(done: @escaping (Result<[String], Error>) -> Void) {
        guard let next = nextConfig else { return done(.failure(ConsoleError.failed("reload refused, old configuration kept: bad file"))) }
        done(Result { server.apply(next, motdLines: try next.loadMotd()) })
    }
}

final class ConsoleTests: XCTestCase {
    func ask(_ host: ConsoleHost, _ json: String) -> [String: Any] {
        var reply: ConsoleReply?
        do {
            ConsoleVerbs.handle(try ConsoleRequest(line: Data(json.utf8)), host: host) { reply = $0 }
        } catch let error as ConsoleError {
            reply = .error(error)
        } catch {
            XCTFail("\(error)")
        }
        return try! JSONSerialization.jsonObject(with: reply!.line) as! [String: Any]
    }

    func testStatusUsersAndChannels() {
        let net = TestNet()
        let host = FakeConsoleHost(net)
        let alice = net.user("alice")
        alice.send("JOIN #lobby")
        alice.send("TOPIC #lobby :hi")
        let status = ask(host, ##"{"cmd":"status"}"##)
        XCTAssertEqual(status["ok"] as? Bool, true)
        XCTAssertEqual(status["protocol"] as? Int, 1)
        XCTAssertEqual(status["users"] as? Int, 1)
        XCTAssertEqual(status["channels"] as? Int, 1)
        XCTAssertNotNil(status["rssBytes"])
        let users = ask(host, ##"{"cmd":"users"}"##)["users"] as! [[String: Any]]
        XCTAssertEqual(users.first?["nick"] as? String, "alice")
        XCTAssertEqual(users.first?["channels"] as? [String], ["#lobby"])
        let channels = ask(host, ##"{"cmd":"channels"}"##)["channels"] as! [[String: Any]]
        XCTAssertEqual(channels.first?["topic"] as? String, "hi")
        XCTAssertEqual(channels.first?["modes"] as? String, "+nt")
    }

    func testKickDisconnectWallTopic() {
        let net = TestNet()
        let host = FakeConsoleHost(net)
        let alice = net.user("alice"), bob = net.user("bob")
        alice.send("JOIN #c"); bob.send("JOIN #c")
        _ = alice.lines(); _ = bob.lines()
        XCTAssertEqual(ask(host, ##"{"cmd":"kick","channel":"#c","nick":"bob","reason":"spam"}"##)["ok"] as? Bool, true)
        XCTAssertEqual(alice.plainLines(), [":test.server KICK #c bob :spam"])
        XCTAssertEqual(bob.plainLines(), [":test.server KICK #c bob :spam"])
        XCTAssertEqual(ask(host, ##"{"cmd":"kick","channel":"#c","nick":"bob"}"##)["error"] as? String, "bob is not on #c")
        XCTAssertEqual(ask(host, ##"{"cmd":"kick","channel":"#c","nick":"zed"}"##)["error"] as? String, "no such nick: zed")
        XCTAssertEqual(ask(host, ##"{"cmd":"kick","channel":"#x","nick":"bob"}"##)["error"] as? String, "no such channel: #x")

        XCTAssertEqual(ask(host, ##"{"cmd":"wall","text":"restart at noon"}"##)["recipients"] as? Int, 2)
        XCTAssertEqual(alice.plainLines(), [":test.server NOTICE alice :*** restart at noon"])
        XCTAssertEqual(ask(host, ##"{"cmd":"topic","channel":"#c","text":"Set by admin"}"##)["ok"] as? Bool, true)
        XCTAssertEqual(alice.plainLines(), [":test.server TOPIC #c :Set by admin"])

        XCTAssertEqual(ask(host, ##"{"cmd":"disconnect","nick":"bob","reason":"bye"}"##)["ok"] as? Bool, true)
        XCTAssertEqual(bob.closed, "Killed (console (bye))")
    }

    func testBadRequestsGetErrorsAndNamesTheArgument() {
        let host = FakeConsoleHost(TestNet())
        XCTAssertEqual(ask(host, "{not json")["error"] as? String, "malformed JSON")
        XCTAssertEqual(ask(host, "[1,2]")["error"] as? String, "a request must be a JSON object")
        XCTAssertEqual(ask(host, ##"{"nocmd":1}"##)["error"] as? String, "missing argument: cmd")
        XCTAssertEqual(ask(host, ##"{"cmd":"explode"}"##)["error"] as? String, "unknown command: explode")
        XCTAssertEqual(ask(host, ##"{"cmd":"kick","channel":"#c"}"##)["error"] as? String, "missing argument: nick")
        XCTAssertEqual(ask(host, ##"{"cmd":"kick","channel":7,"nick":"x"}"##)["error"] as? String, "argument channel must be a string")
        XCTAssertEqual(ask(host, ##"{"cmd":"shutdown","grace":"soon"}"##)["error"] as? String, "argument grace must be a number")
        XCTAssertEqual(ask(host, ##"{"cmd":"shutdown","grace":-1}"##)["error"] as? String, "argument grace: must be 0 to 3600 seconds")
    }

    func testShutdownVerbPassesGraceAndMessage() {
        let host = FakeConsoleHost(TestNet())
        XCTAssertEqual(ask(host, ##"{"cmd":"shutdown","grace":2.5,"message":"maintenance"}"##)["ok"] as? Bool, true)
        XCTAssertEqual(host.shutdownRequest?.0, "maintenance")
        XCTAssertEqual(host.shutdownRequest?.1, Nanoseconds(2_500_000_000))
    }
}
