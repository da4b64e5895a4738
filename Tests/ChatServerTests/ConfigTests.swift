@testable import ChatServer
import Foundation
import XCTest

final class ConfigTests: XCTestCase {
    func parse(_ json: String) throws -> ServerConfig {
        try ConfigLoader.parse(Data(json.utf8), file: "test.json")
    }

    func testTheShippedConfigFileLoads() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let config = try ConfigLoader.load(file: root.appendingPathComponent("config.json").path)
        XCTAssertEqual(config.listen, ["127.0.0.1:6667"])
        XCTAssertEqual(config.dataDir, root.path + "/data", "relative to the file's folder")
        XCTAssertEqual(config.http.webRoot, root.path + "/web")
        XCTAssertEqual(config.limits.nickLength, 30)
    }

    func testOverridesApplyAndZeroLiftsLimits() throws {
        let config = try parse(#"{"serverName": "irc.example.org", "limits": {"floodLinesPerSecond": 0, "maxConnectionsPerIP": 0, "nickLength": 1}}"#)
        XCTAssertEqual(config.serverName, "irc.example.org")
        XCTAssertEqual(config.limits.floodLinesPerSecond, 0)
        XCTAssertEqual(config.limits.maxConnectionsPerIP, 0)
        XCTAssertEqual(config.limits.nickLength, 1)
    }

    func testErrorsNameTheKeyAndThePlace() {
        XCTAssertThrowsError(try parse(#"{"limits": {"nickLenght": 9}}"#)) {
            XCTAssertEqual($0 as? ConfigError, .unknownKey(file: "test.json", key: "limits.nickLenght"))
        }
        XCTAssertThrowsError(try parse(#"{"limits": {"nickLength": "9"}}"#)) {
            XCTAssertEqual($0 as? ConfigError, .wrongType(file: "test.json", key: "limits.nickLength", expected: "a whole number"))
        }
        XCTAssertThrowsError(try parse(#"{"limits": {"nickLength": true}}"#)) {
            XCTAssertEqual($0 as? ConfigError, .wrongType(file: "test.json", key: "limits.nickLength", expected: "a whole number"))
        }
        XCTAssertThrowsError(try parse(#"{"limits": {"maxLineLength": 100}}"#)) {
            XCTAssertTrue("\($0)".contains("limits.maxLineLength"), "\($0)")
        }
        XCTAssertThrowsError(try parse(#"{"operators": [{"name": "a"}]}"#)) {
            XCTAssertTrue("\($0)".contains("operators[0]"), "\($0)")
        }
        XCTAssertThrowsError(try parse(#"{"listen": "127.0.0.1:6667"}"#)) {
            XCTAssertEqual($0 as? ConfigError, .wrongType(file: "test.json", key: "listen", expected: "a list of addresses or {\"address\", \"tls\"} objects"))
        }
        XCTAssertThrowsError(try parse(#"{"listen": ["127.0.0.1:6667", "example.org:6667"]}"#)) {
            XCTAssertTrue("\($0)".contains("'listen[1]'"), "\($0)")
        }
        XCTAssertThrowsError(try parse("{not json")) {
            guard case .malformedJSON? = $0 as? ConfigError else { return XCTFail("\($0)") }
        }
    }
}
