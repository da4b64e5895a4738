@testable import ChatServer
import Foundation
import XCTest

/// The `scores` section and chatd's score flags.
final class ScoresConfigTests: XCTestCase {
    func parse(_ json: String) throws -> ServerConfig { try ConfigLoader.parse(Data(json.utf8), file: "t.json") }

    func testTheSectionIsReadStrictly() throws {
        let config = try parse(#"{"scores": {"simulator": true, "intervalMillis": 250, "seed": 9, "udpListen": "127.0.0.1:0"}}"#)
        XCTAssertTrue(config.scores.simulator)
        XCTAssertEqual(config.scores.intervalMillis, 250)
        XCTAssertEqual(config.scores.seed, 9)
        XCTAssertEqual(config.scores.udpListen, "127.0.0.1:0")
        XCTAssertNil(try parse(#"{"scores": {"udpListen": null}}"#).scores.udpListen)
        XCTAssertThrowsError(try parse(#"{"scores": {"udpListen": "nowhere"}}"#)) {
            guard case .invalidValue(_, "scores.udpListen", _)? = $0 as? ConfigError else { return XCTFail("\($0)") }
        }
        XCTAssertThrowsError(try parse(#"{"scores": {"simulater": true}}"#)) {
            XCTAssertEqual($0 as? ConfigError, .unknownKey(file: "t.json", key: "scores.simulater"))
        }
        XCTAssertThrowsError(try parse(#"{"scores": {"simulator": 1}}"#))
    }

    func testTheShippedConfigTurnsTheSimulatorAndTheStreamOn() throws {
        let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("config.json").path
        let config = try ConfigLoader.load(file: shipped)
        XCTAssertTrue(config.scores.simulator)
        XCTAssertEqual(config.scores.udpListen, "127.0.0.1:6680")
        XCTAssertFalse(ServerConfig().scores.simulator, "tests and bare starts stay quiet")
    }

    func testFlags() throws {
        var scores = ScoresConfig()
        try ScoresFlags.apply(interval: 0.01, seed: 42, to: &scores)
        XCTAssertEqual(scores.intervalMillis, 10)
        XCTAssertEqual(scores.seed, 42)
        XCTAssertThrowsError(try ScoresFlags.apply(interval: 0.001, seed: nil, to: &scores))
        XCTAssertThrowsError(try ScoresFlags.apply(interval: .infinity, seed: nil, to: &scores))
        XCTAssertThrowsError(try ScoresFlags.apply(interval: nil, seed: -1, to: &scores))
        XCTAssertEqual(scores.intervalMillis, 10, "a refused flag changes nothing")
    }
}
