@testable import ChatServer
import Foundation
import XCTest

/// Every whole-number key of `config.json` fed extreme values: each yields a
/// `ConfigError` naming the key, never a trap and never a value the server
/// cannot compute with (issue #10, "Inputs that crash the daemon").
final class ConfigRangeTests: XCTestCase {
    func parse(_ json: String) throws -> ServerConfig {
        try ConfigLoader.parse(Data(json.utf8), file: "test.json")
    }

    /// `limits.nickLength` → `{"limits": {"nickLength": <value>}}`.
    func document(_ key: String, _ value: String) -> String {
        let parts = key.split(separator: ".")
        return #"{"\#(parts[0])": {"\#(parts[1])": \#(value)}}"#
    }

    func testTheTableCoversEveryNumericKey() {
        XCTAssertEqual(ConfigLoader.integerKeys.count, 63)  // 29 + 6 accounts/history + 12 scores + 6 files + 2 multiline limits + 8 http
        XCTAssertEqual(Set(ConfigLoader.integerKeys.map(\.key)).count, 63, "no key twice")
    }

    func testOutOfRangeValuesAreRefusedWithTheKeyAndTheRange() {
        for (key, range, off) in ConfigLoader.integerKeys {
            let values = [
                "\(range.lowerBound - 1)", "\(range.upperBound + 1)", "-1", "1e15", "1e20", "-1e20", "1e300", "-1e300",
                "9223372036854775807", "9223372036854775808", "-9223372036854775809", "99999999999999999999999",
            ].filter { Int($0).map { !range.contains($0) && $0 != off } ?? true }
            for value in values {
                XCTAssertThrowsError(try parse(document(key, value)), "\(key) = \(value)") { error in
                    guard case .invalidValue(_, let named, let reason)? = error as? ConfigError else {
                        return XCTFail("\(key) = \(value): \(error)")
                    }
                    XCTAssertEqual(named, key)
                    let allowed = (off.map { "\($0) (no limit) or " } ?? "") + "between \(range.lowerBound) and \(range.upperBound)"
                    XCTAssertTrue(reason.hasSuffix("is out of range: must be \(allowed)"), reason)
                }
            }
        }
    }

    func testWrongTypesAndFractionsAreRefused() {
        for (key, _, _) in ConfigLoader.integerKeys {
            for value in [#""5""#, "true", "false", "null", "[1]", #"{"n": 1}"#, "1.5", "0.5", "-0.25", "100.000001", "1e-300"] {
                XCTAssertThrowsError(try parse(document(key, value)), "\(key) = \(value)") { error in
                    XCTAssertEqual(error as? ConfigError, .wrongType(file: "test.json", key: key, expected: "a whole number"), "\(key) = \(value)")
                }
            }
        }
    }

    /// NaN and infinities cannot be written in JSON; the parser refuses them
    /// before any key is looked at.
    func testNaNAndInfinityAreNotJSON() {
        for value in ["NaN", "Infinity", "-Infinity", "1e400", "-1e400"] {
            XCTAssertThrowsError(try parse(document("limits.pingIntervalSeconds", value))) { error in
                guard case .malformedJSON? = error as? ConfigError else { return XCTFail("\(value): \(error)") }
            }
        }
    }

    func testBothEndsOfEveryRangeAreAccepted() throws {
        func check<Section>(_ section: String, _ settings: [IntegerSetting<Section>], _ read: (ServerConfig) -> Section) throws {
            for setting in settings {
                for bound in [setting.range.lowerBound, setting.range.upperBound] {
                    let config = try parse(document("\(section).\(setting.key)", "\(bound)"))
                    XCTAssertEqual(read(config)[keyPath: setting.keyPath], bound, "\(section).\(setting.key)")
                }
                if let off = setting.off {
                    let config = try parse(document("\(section).\(setting.key)", "\(off)"))
                    XCTAssertEqual(read(config)[keyPath: setting.keyPath], off, "\(section).\(setting.key) = \(off) turns it off")
                    XCTAssertThrowsError(try parse(document("\(section).\(setting.key)", "\(setting.range.lowerBound - 1)")),
                                         "\(section).\(setting.key) just below its range")
                }
                // A whole number written with a fraction part is still whole.
                let config = try parse(document("\(section).\(setting.key)", "\(setting.range.upperBound).0"))
                XCTAssertEqual(read(config)[keyPath: setting.keyPath], setting.range.upperBound)
            }
        }
        try check("limits", ConfigLoader.limitSettings) { $0.limits }
        try check("accounts", ConfigLoader.accountSettings) { $0.accounts }
        try check("history", ConfigLoader.historySettings) { $0.history }
    }

    /// The README's config table states each key's range as `low–high`.
    func testTheReadmeStatesEveryRange() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        for (key, range, _) in ConfigLoader.integerKeys {
            let name = key.split(separator: ".")[1]
            let row = readme.split(separator: "\n").first { $0.hasPrefix("| `\(name)` |") }
            XCTAssertNotNil(row, "README has a row for \(key)")
            XCTAssertTrue(row?.contains("\(range.lowerBound)–\(range.upperBound)") == true, "README states \(key)'s range: \(row ?? "")")
        }
    }

    /// Before the ranges, 1e14 seconds loaded (only |n| ≥ 1e15 was refused)
    /// and the server's once-a-second sweep trapped on
    /// `UInt64(seconds) * 1_000_000_000`; `reload` applied it live.
    func testTimeoutsThatOverflowNanosecondsAreRefused() {
        for key in ["limits.registrationTimeoutSeconds", "limits.pingIntervalSeconds", "limits.pingTimeoutSeconds",
                    "accounts.loginFailureWindowSeconds"] {
            XCTAssertThrowsError(try parse(document(key, "100000000000000")), key) {
                XCTAssertEqual("\($0)", "test.json: '\(key)': 100000000000000 is out of range: must be between 1 and 86400")
            }
        }
    }

    /// The largest accepted values keep the server's arithmetic in range:
    /// a server built from them registers, times out and sweeps without a trap.
    func testAServerRunsOnEveryUpperBound() {
        let net = TestNet.withStorage { config in
            for s in ConfigLoader.limitSettings { config.limits[keyPath: s.keyPath] = s.range.upperBound }
            for s in ConfigLoader.accountSettings { config.accounts[keyPath: s.keyPath] = s.range.upperBound }
            for s in ConfigLoader.historySettings { config.history[keyPath: s.keyPath] = s.range.upperBound }
        }
        let alice = net.user("alice")
        alice.send("JOIN #lobby")
        alice.send("PRIVMSG #lobby :hello")
        let stranger = net.connect()
        stranger.send("PASS :nobody:wrong-password")
        for _ in 0..<3 {
            net.clock.advance(seconds: Double(ConfigLoader.maxSeconds) * 2 + 1)
            net.server.tick()
        }
        XCTAssertNotNil(alice.closed, "ping timeout after interval + timeout")
    }
}
