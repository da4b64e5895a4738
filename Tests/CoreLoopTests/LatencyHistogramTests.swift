import XCTest
@testable import CoreLoop

final class LatencyHistogramTests: XCTestCase {
    func testEachObservationLandsInTheFirstBucketWhoseBoundItDoesNotExceed() {
        var histogram = LatencyHistogram()
        XCTAssertEqual(histogram.counts, Array(repeating: 0, count: LatencyHistogram.boundsNanos.count + 1))
        histogram.record(0)                 // first bucket
        histogram.record(10_000)            // on the first bound: still the first
        histogram.record(10_001)            // just above: the second
        histogram.record(1_000_000_000)     // on the last bound
        histogram.record(5_000_000_000)     // above every bound: the extra bucket
        var expected = Array(repeating: UInt64(0), count: LatencyHistogram.boundsNanos.count + 1)
        expected[0] = 2
        expected[1] = 1
        expected[LatencyHistogram.boundsNanos.count - 1] = 1
        expected[LatencyHistogram.boundsNanos.count] = 1
        XCTAssertEqual(histogram.counts, expected)
        XCTAssertEqual(histogram.count, 5)
        XCTAssertEqual(histogram.sumNanos, 0 + 10_000 + 10_001 + 1_000_000_000 + 5_000_000_000)
    }

    func testHistogramsAreEqualOnlyWithTheSameObservations() {
        var a = LatencyHistogram(), b = LatencyHistogram()
        XCTAssertEqual(a, b)
        a.record(20_000)
        XCTAssertNotEqual(a, b)
        b.record(30_000)  // same bucket, other sum
        XCTAssertNotEqual(a, b)
        a.record(30_000)
        b.record(20_000)
        XCTAssertEqual(a, b)
    }
}
