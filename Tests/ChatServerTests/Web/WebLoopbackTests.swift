@testable import ChatServer
import CoreLoop
import Foundation
import HTTPCore
import XCTest

/// The web listener of a real daemon on loopback: IRC over WebSocket beside
/// TCP clients, its limits, origins, metrics, health and the page.
final class WebLoopbackTests: XCTestCase {
    var server: DaemonThread?
    var ircPort: Int { server!.port }
    var webPort: Int { server!.daemon.httpListeners[0].address.port! }

    func start(_ configure: (inout ServerConfig) -> Void = { _ in }) throws {
        server = try DaemonThread {
            $0.serverName = "web.test"
            $0.http.listen = ["127.0.0.1:0"]
            configure(&$0)
        }
        server!.start()
    }

    override func tearDown() { server?.stop() }

    func onLoop<T>(_ body: @escaping () -> T) -> T {
        let done = DispatchSemaphore(value: 0)
        var result: T?
        server!.daemon.loop.execute { result = body(); done.signal() }
        _ = done.wait(timeout: .now() + 20)
        return result!
    }

    func testWebSocketAndTCPClientsChatInOneChannel() throws {
        try start()
        let ws = try LoopbackWebSocketClient(port: webPort, protocols: ["text.ircv3.net"])
        XCTAssertEqual(ws.status, 101)
        XCTAssertEqual(ws.header("Sec-WebSocket-Protocol"), "text.ircv3.net")
        XCTAssertEqual(ws.header("Sec-WebSocket-Accept"), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
        try ws.register("webby")
        let tcp = try LoopbackIRCClient(port: ircPort)
        try tcp.register("tcpy")
        try ws.line("JOIN #both")
        try ws.waitFor("own JOIN") { $0.contains("JOIN") && $0.contains("#both") }
        try tcp.line("JOIN #both")
        try tcp.waitFor("own JOIN") { $0.hasPrefix(":tcpy!") && $0.contains("JOIN") }
        try ws.waitFor("tcpy joins") { $0.hasPrefix(":tcpy!") && $0.contains("JOIN") }
        try ws.line("PRIVMSG #both :hello from the web")
        let heard = try tcp.waitFor("the web message") { $0.contains("PRIVMSG #both") }
        XCTAssertEqual(heard.split(separator: " ", maxSplits: 1)[1], "PRIVMSG #both :hello from the web")
        try tcp.line("PRIVMSG #both :héllo from tcp")
        let back = try ws.waitFor("the tcp message") { $0.contains("PRIVMSG #both") }
        XCTAssertTrue(back.hasSuffix(":héllo from tcp"), back)
        XCTAssertFalse(back.hasSuffix("\r\n"), "one message per frame, without the line end")
        let counts = onLoop { () -> [String] in
            self.server!.daemon.server.clients.all.map { $0.connection is WebSocketClientTransport ? "ws" : "tcp" }.sorted()
        }
        XCTAssertEqual(counts, ["tcp", "ws"])
    }

    /// An answer that comes at once (a throttled log-in is refused without
    /// a worker) resumes reading from inside the server's own `receive`:
    /// the WebSocket transport must not deliver the frame being read a
    /// second time (it once answered the line again, and again).
    func testAnAnswerThatComesAtOnceIsNotDeliveredTwice() throws {
        PasswordHasher.cost = 1
        let dir = FileTestSupport.dataDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        server = try DaemonThread(storage: try ChatStorage(path: dir + "/chatd.sqlite")) {
            $0.dataDir = dir
            $0.http.listen = ["127.0.0.1:0"]
            $0.accounts.loginMaxFailures = 1
        }
        server!.start()
        let ws = try LoopbackWebSocketClient(port: webPort, protocols: ["text.ircv3.net"])
        try ws.register("webby")
        let wrong = Data("\0nobody\0wrong-password".utf8).base64EncodedString()
        for attempt in 1...2 {
            try ws.line("AUTHENTICATE PLAIN")
            _ = try ws.waitFor("AUTHENTICATE +") { $0.contains("AUTHENTICATE +") }
            try ws.line("AUTHENTICATE \(wrong)")
            _ = try ws.waitFor("904 (attempt \(attempt))") { $0.contains(" 904 ") }
        }
        try ws.line("PING :probe")
        let next = try ws.waitFor("the PONG") { !$0.contains(" NOTICE ") }
        XCTAssertTrue(next.contains("PONG"), "the throttled attempt was answered once: \(next)")
    }

    func testBinarySubprotocolAndInvalidUTF8IsRefusedNotRelayed() throws {
        try start()
        let bin = try LoopbackWebSocketClient(port: webPort, protocols: ["binary.ircv3.net", "text.ircv3.net"])
        XCTAssertEqual(bin.header("Sec-WebSocket-Protocol"), "binary.ircv3.net")
        try bin.register("binny")
        let text = try LoopbackWebSocketClient(port: webPort, protocols: [])
        XCTAssertNil(text.header("Sec-WebSocket-Protocol"), "nothing in common: no subprotocol, text frames")
        try text.register("texty")
        // UTF8ONLY: a binary frame may carry any bytes, but a line that is
        // not UTF-8 is refused whole, as over TCP.
        try bin.send(.binary, Array("PRIVMSG texty :caf".utf8) + [0xE9])  // Latin-1, not UTF-8
        var refusal = try XCTUnwrap(bin.frame())
        while !String(decoding: refusal.payload, as: UTF8.self).contains("INVALID_UTF8") { refusal = try XCTUnwrap(bin.frame()) }
        XCTAssertEqual(refusal.opcode, .binary, "a binary client is answered in binary frames")
        try bin.send(.binary, Array("PRIVMSG texty :café".utf8))
        var f = try XCTUnwrap(text.frame())
        while !String(decoding: f.payload, as: UTF8.self).contains(" PRIVMSG texty ") { f = try XCTUnwrap(text.frame()) }
        XCTAssertEqual(f.opcode, .text)
        XCTAssertTrue(String(validating: f.payload, as: UTF8.self)?.hasSuffix("café") == true, "only the valid line arrives: \(f.payload)")
    }

    func testFrameOverTheLineLimitClosesWith1009() throws {
        try start()
        let ws = try LoopbackWebSocketClient(port: webPort)
        try ws.register("big")
        let limit = 512 + 4096
        try ws.send(.text, Array(repeating: UInt8(ascii: "a"), count: limit + 1))
        XCTAssertEqual(try ws.closeCode(), 1009)
    }

    func testInvalidUTF8TextFrameClosesWith1007AndUnmaskedWith1002() throws {
        try start()
        let ws = try LoopbackWebSocketClient(port: webPort)
        try ws.send(.text, [0x50, 0xC3, 0x28])
        XCTAssertEqual(try ws.closeCode(), 1007)
        let raw = try LoopbackWebSocketClient(port: webPort)
        try raw.sendRaw(WebSocketFrameWriter.frame(.text, Array("NICK x".utf8)))  // no mask
        XCTAssertEqual(try raw.closeCode(), 1002)
    }

    func testPingGetsPongAndCloseIsEchoed() throws {
        try start()
        let ws = try LoopbackWebSocketClient(port: webPort)
        try ws.send(.ping, [1, 2, 3])
        let pong = try XCTUnwrap(ws.frame())
        XCTAssertEqual(pong.opcode, .pong)
        XCTAssertEqual(pong.payload, [1, 2, 3])
        try ws.sendRaw(WebSocketFrameWriter.close(.goingAway, reason: "bye", mask: [9, 9, 9, 9]))
        XCTAssertEqual(try ws.closeCode(), 1001, "the code is echoed")
        XCTAssertNil(try ws.frame(), "then the server closes")
    }

    func testFragmentedMessageIsOneLine() throws {
        try start()
        let ws = try LoopbackWebSocketClient(port: webPort)
        try ws.send(.text, Array("NICK fr".utf8), fin: false)
        try ws.send(.continuation, Array("ag".utf8), fin: true)
        try ws.line("USER f 0 * :f")
        let welcome = try ws.waitFor("001") { $0.contains(" 001 ") }
        XCTAssertTrue(welcome.contains(" 001 frag "), welcome)
    }

    func testQuitSendsErrorThenACloseFrame() throws {
        try start()
        let ws = try LoopbackWebSocketClient(port: webPort)
        try ws.register("leaver")
        weak var leaver: Client?
        onLoop { leaver = self.server!.daemon.server.client(named: "leaver") }
        XCTAssertNotNil(onLoop { leaver })
        try ws.line("QUIT :bye")
        try ws.waitFor("ERROR") { $0.hasPrefix("ERROR ") }
        XCTAssertEqual(try ws.closeCode(), 1000)
        // The transport holds its client strongly until the close: then both go.
        let deadline = Date().addingTimeInterval(20)
        while onLoop({ leaver != nil }) && Date() < deadline { usleep(5_000) }
        XCTAssertNil(onLoop { leaver }, "the client is released after the close")
    }

    func testAShutdownClosesWebSocketClientsWithGoingAway() throws {
        try start()
        let ws = try LoopbackWebSocketClient(port: webPort)
        try ws.register("stayer")
        onLoop { self.server!.daemon.shutdown(message: "Maintenance", grace: .seconds(5)) }
        let error = try ws.waitFor("ERROR") { $0.hasPrefix("ERROR ") }
        XCTAssertTrue(error.contains("Maintenance"), error)
        XCTAssertEqual(try ws.closeCode(), 1001, "RFC 6455 §7.4.1: the server is going away")
    }

    func testWebSocketClientsCountAgainstThePerAddressLimit() throws {
        try start { $0.limits.maxConnectionsPerIP = 1 }
        let tcp = try LoopbackIRCClient(port: ircPort)
        try tcp.register("first")
        let ws = try LoopbackWebSocketClient(port: webPort)
        XCTAssertEqual(ws.status, 101)
        let error = try ws.waitFor("ERROR") { $0.hasPrefix("ERROR") }
        XCTAssertTrue(error.contains("Too many connections"), error)
        XCTAssertNotNil(try ws.closeCode())
    }

    func testForeignOriginIsRefusedAndOwnOriginAccepted() throws {
        try start()
        let foreign = try LoopbackWebSocketClient(port: webPort, origin: "http://evil.example")
        XCTAssertEqual(foreign.status, 403)
        XCTAssertTrue(foreign.responseBody.contains("http.allowedOrigins"), foreign.responseBody)
        let own = try LoopbackWebSocketClient(port: webPort, origin: "http://127.0.0.1:\(webPort)")
        XCTAssertEqual(own.status, 101)
        server!.stop()
        server = nil
        try start { $0.http.allowedOrigins = ["https://chat.example.org"] }
        XCTAssertEqual(try LoopbackWebSocketClient(port: webPort, origin: "https://chat.example.org/").status, 101)
        XCTAssertEqual(try LoopbackWebSocketClient(port: webPort, origin: "http://127.0.0.1:\(webPort)").status, 403)
    }

    func testUpgradeOnRootAlsoWorks() throws {
        try start()
        let ws = try LoopbackWebSocketClient(port: webPort, path: "/")
        XCTAssertEqual(ws.status, 101)
        try ws.register("rooted")
    }

    func plainGet(_ path: String) throws -> (status: Int, body: String) {
        let c = try LoopbackIRCClient(port: webPort)
        try c.send("GET \(path) HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        let lines = try c.readToEnd()
        let status = Int(lines.first?.split(separator: " ")[1] ?? "0") ?? 0
        let blank = lines.firstIndex(of: "") ?? lines.count
        return (status, lines[min(blank + 1, lines.count)...].joined(separator: "\n"))
    }

    func testMetricsAndHealth() throws {
        try start()
        let ws = try LoopbackWebSocketClient(port: webPort)
        try ws.register("metered")
        let tcp = try LoopbackIRCClient(port: ircPort)
        try tcp.register("counted")
        let health = try plainGet("/healthz")
        XCTAssertEqual(health.status, 200)
        XCTAssertEqual(health.body, "ok")
        let metrics = try plainGet("/metrics")
        XCTAssertEqual(metrics.status, 200)
        for expected in ["chatd_connections{transport=\"websocket\"} 1", "chatd_connections{transport=\"tcp\"} 1",
                         "chatd_registrations_total 2", "# TYPE chatd_loop_iteration_seconds histogram",
                         "chatd_loop_iteration_seconds_bucket{le=\"+Inf\"}", "chatd_websocket_upgrades_total 1",
                         "chatd_logins_total{result=\"failed\"} 0", "chatd_flood_disconnects_total 0", "chatd_loop_lag_seconds"] {
            XCTAssertTrue(metrics.body.contains(expected), "missing \(expected)")
        }
    }

    /// Every built-in route refuses other methods the same way: 405 and
    /// `Allow` (RFC 9110 §15.5.6), from the connection, not per responder.
    func testOtherMethodsAre405WithAllowOnEveryRoute() throws {
        try start()
        for (path, allow) in [("/", "GET, HEAD"), ("/irc", "GET"), ("/healthz", "GET, HEAD"), ("/metrics", "GET, HEAD"),
                              ("/static/app.js", "GET, HEAD"), ("/index.html", "GET, HEAD")] {
            let reply = try HTTPReply.exchange(port: webPort, Array("POST \(path) HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n".utf8))
            XCTAssertEqual(reply.status, 405, path)
            XCTAssertEqual(reply.header("Allow"), allow, path)
        }
    }

    func testMetricsRefusedOutsideTheAllowList() throws {
        try start { $0.http.metricsAllow = ["10.0.0.1"] }
        let metrics = try plainGet("/metrics")
        XCTAssertEqual(metrics.status, 403)
        XCTAssertTrue(metrics.body.contains("http.metricsAllow"), metrics.body)
    }

    func testPageFromTheWebRootAndAClearNotFoundWithoutIt() throws {
        let root = NSTemporaryDirectory() + "chatd-web-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        try "<h1>chat</h1>\n".write(toFile: root + "/index.html", atomically: true, encoding: .utf8)
        try "console.log(1)\n".write(toFile: root + "/app.js", atomically: true, encoding: .utf8)
        try start { $0.http.webRoot = root }
        XCTAssertEqual(try plainGet("/").body, "<h1>chat</h1>")
        XCTAssertEqual(try plainGet("/static/app.js").body, "console.log(1)")
        XCTAssertEqual(try plainGet("/app.js").status, 200)
        XCTAssertEqual(try plainGet("/static/../etc/passwd").status, 404)
        XCTAssertEqual(try plainGet("/.hidden").status, 404)
        XCTAssertEqual(try plainGet("/missing.css").status, 404)
        server!.stop()
        server = nil
        try start { $0.http.webRoot = root + "/nowhere" }
        let missing = try plainGet("/")
        XCTAssertEqual(missing.status, 404)
        XCTAssertTrue(missing.body.contains("http.webRoot"), missing.body)
    }

    func testEmptyHTTPListenTurnsTheWebSideOff() throws {
        try start { $0.http.listen = [] }
        XCTAssertNil(server!.daemon.web)
        XCTAssertTrue(server!.daemon.httpListeners.isEmpty)
    }
}
