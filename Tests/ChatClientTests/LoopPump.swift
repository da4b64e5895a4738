import CoreLoop
import Foundation
import XCTest

/// Runs a client loop on the test thread, turn by turn, until a condition
/// holds; fails the test with `what` (never hangs) after `timeout` seconds.
/// No fixed sleeps: each turn waits at most 20 ms for an event.
func pump(_ loop: EventLoop, until condition: () -> Bool, timeout: Double = 20, _ what: String,
          file: StaticString = #filePath, line: UInt = #line) {
    let deadline = Date().addingTimeInterval(timeout)
    while !condition() {
        guard Date() < deadline else {
            XCTFail("timed out after \(timeout)s waiting for \(what)", file: file, line: line)
            return
        }
        do { try loop.runOnce(maxWaitMilliseconds: 20) } catch {
            XCTFail("loop failed: \(error)", file: file, line: line)
            return
        }
    }
}
