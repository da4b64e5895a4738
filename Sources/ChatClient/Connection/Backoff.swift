/// Delays between reconnect attempts: doubling from `initial` up to `maximum`,
/// each stretched by a random factor in `1 ... 1 + jitter` so that many
/// clients of a restarted server do not all come back in the same instant.
///
/// Thread-safety: a value type; any thread.
public struct Backoff {
    public var initialMillis: Int
    public var maximumMillis: Int
    /// 0 in tests, so delays are exact.
    public var jitter: Double
    public private(set) var failures = 0

    public init(initialMillis: Int = 1_000, maximumMillis: Int = 60_000, jitter: Double = 0.2) {
        self.initialMillis = max(1, initialMillis)
        self.maximumMillis = max(self.initialMillis, maximumMillis)
        self.jitter = max(0, jitter)
    }

    /// The delay before the next attempt, in milliseconds; counts a failure.
    public mutating func nextDelayMillis(random: (ClosedRange<Double>) -> Double = { Double.random(in: $0) }) -> Int {
        // Doubling stops at the cap, so the shift never overflows.
        var delay = initialMillis
        var k = 0
        while k < failures && delay < maximumMillis {
            delay = min(maximumMillis, delay * 2)
            k += 1
        }
        failures += 1
        let stretch = jitter > 0 ? random(1 ... 1 + jitter) : 1
        return min(maximumMillis, Int(Double(delay) * stretch))
    }

    /// A connection that got as far as registration resets the sequence.
    public mutating func reset() { failures = 0 }
}
