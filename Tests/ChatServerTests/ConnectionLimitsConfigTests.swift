@testable import ChatServer
import CoreLoop
import XCTest

/// The socket limits the daemon gives each client, from the config's limits.
final class ConnectionLimitsConfigTests: XCTestCase {
    func testDefaultsMapOntoTheSocket() {
        let limits = ServerConfig().connectionLimits
        XCTAssertEqual(limits.outboundHardLimit, 1_048_576)
        XCTAssertEqual(limits.outboundHighWater, 524_288)
        XCTAssertEqual(limits.outboundLowWater, 131_072)
        XCTAssertEqual(limits.maxInboundBytes, 16_384 * 2, "the flood backlog (larger than a line with tags), twice")
    }

    func testBacklogAboveALineWinsAndNoSendQueueLimitMeansNoWaterMarks() {
        var config = ServerConfig()
        config.limits.floodBacklogBytes = 100_000
        config.limits.sendQueueBytes = 0
        let limits = config.connectionLimits
        XCTAssertEqual(limits.maxInboundBytes, 200_000)
        XCTAssertEqual(limits.outboundHardLimit, 0)
        XCTAssertEqual(limits.outboundHighWater, 1 << 30)
    }

    func testHugeValuesDoNotTrap() {
        var config = ServerConfig()
        config.limits.maxLineLength = .max
        config.limits.maxTagsLength = .max
        XCTAssertEqual(config.connectionLimits.maxInboundBytes, .max)
    }
}
