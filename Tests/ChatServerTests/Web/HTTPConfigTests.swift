@testable import ChatServer
import CoreLoop
import Foundation
import HTTPCore
import XCTest

/// The `http` section, the origin policy and the metrics allow-list.
final class HTTPConfigTests: XCTestCase {
    func parse(_ json: String) throws -> ServerConfig {
        try ConfigLoader.parse(Data(json.utf8), file: "test.json")
    }

    func testDefaults() {
        let h = ServerConfig().http
        XCTAssertEqual(h.listen, ["127.0.0.1:8080"])
        XCTAssertEqual(h.webRoot, "web")
        XCTAssertNil(h.allowedOrigins)
        XCTAssertEqual(h.metricsAllow, ["127.0.0.1", "::1"])
    }

    func testSectionIsRead() throws {
        let c = try parse(#"{"http": {"listen": [], "tlsListen": ["127.0.0.1:8443"], "webRoot": "/srv/web", "allowedOrigins": ["HTTPS://Chat.Example.org/"], "metricsAllow": ["*"], "maxHeaderBytes": 4096, "maxBodyBytes": 0, "headerTimeoutSeconds": 5, "idleTimeoutSeconds": 30}}"#)
        XCTAssertEqual(c.http.listen, [])
        XCTAssertEqual(c.http.tlsListen, ["127.0.0.1:8443"])
        XCTAssertEqual(c.http.webRoot, "/srv/web")
        XCTAssertEqual(c.http.allowedOrigins, ["https://chat.example.org"])
        XCTAssertEqual(c.http.metricsAllow, ["*"])
        XCTAssertEqual(c.http.maxHeaderBytes, 4096)
        XCTAssertEqual(c.http.maxBodyBytes, 0)
        XCTAssertEqual(c.http.headerTimeoutSeconds, 5)
        XCTAssertEqual(c.http.idleTimeoutSeconds, 30)
        XCTAssertNil(try parse(#"{"http": {"allowedOrigins": null}}"#).http.allowedOrigins)
    }

    func testBadValuesNameTheKey() {
        for (json, key) in [(#"{"http": {"listen": ["nowhere"]}}"#, "http.listen[0]"),
                            (#"{"http": {"maxHeaderBytes": 10}}"#, "http.maxHeaderBytes"),
                            (#"{"http": {"port": 80}}"#, "http.port"),
                            (#"{"http": {"webRoot": ""}}"#, "http.webRoot")] {
            XCTAssertThrowsError(try parse(json), json) { error in
                XCTAssertTrue("\(error)".contains("'\(key)'"), "\(error)")
            }
        }
    }

    func head(origin: String?, host: String = "127.0.0.1:8080") -> HTTPRequestHead {
        var h = HTTPHeaders([("Host", host)])
        if let origin { h.add("Origin", origin) }
        return HTTPRequestHead(method: "GET", target: "/irc", headers: h)
    }

    func testOriginPolicy() {
        let own = OriginPolicy(allowed: nil)
        XCTAssertTrue(own.permits(head(origin: nil), secure: false), "not a browser")
        XCTAssertTrue(own.permits(head(origin: "http://127.0.0.1:8080"), secure: false))
        XCTAssertFalse(own.permits(head(origin: "http://127.0.0.1:8080"), secure: true), "scheme counts")
        XCTAssertFalse(own.permits(head(origin: "http://evil.example"), secure: false))
        XCTAssertFalse(own.permits(head(origin: "null"), secure: false))
        XCTAssertTrue(OriginPolicy(allowed: ["*"]).permits(head(origin: "http://any"), secure: false))
        XCTAssertTrue(OriginPolicy(allowed: ["https://a.example"]).permits(head(origin: "HTTPS://A.example"), secure: false))
    }

    func testAddressAllowList() throws {
        let list = AddressAllowList(["127.0.0.1", "::1"])
        XCTAssertTrue(list.permits(try SocketAddress(parsing: "127.0.0.1:5")))
        XCTAssertTrue(list.permits(try SocketAddress(parsing: "[::1]:5")))
        XCTAssertFalse(list.permits(try SocketAddress(parsing: "10.0.0.1:5")))
        XCTAssertFalse(list.permits(nil))
        XCTAssertTrue(AddressAllowList(["*"]).permits(try SocketAddress(parsing: "10.0.0.1:5")))
    }

    func testStaticPathsAreOnlyPlainNames() {
        XCTAssertEqual(StaticFileResponder.relativePath(for: "/"), "index.html")
        XCTAssertEqual(StaticFileResponder.relativePath(for: "/static/app.js"), "app.js")
        XCTAssertEqual(StaticFileResponder.relativePath(for: "/static/img/a.png"), "img/a.png")
        XCTAssertEqual(StaticFileResponder.relativePath(for: "/style.css"), "style.css")
        for bad in ["/static/../x", "/.env", "/a//b", "/a%2e%2e", "/static/", "/a b"] {
            XCTAssertNil(StaticFileResponder.relativePath(for: bad), bad)
        }
    }
}
