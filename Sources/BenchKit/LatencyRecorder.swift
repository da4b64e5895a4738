/// Latency samples and their percentiles. Bounded: past `capacity` samples it
/// keeps every k-th one (the same k for all), so memory stays fixed and the
/// distribution stays fair.
///
/// Thread-safety: a value; one thread.
public struct LatencyRecorder {
    public let capacity: Int
    private var samples: [UInt64] = []
    private var stride = 1
    public private(set) var count = 0
    public private(set) var max: UInt64 = 0

    public init(capacity: Int = 1_000_000) {
        self.capacity = capacity
        samples.reserveCapacity(Swift.min(capacity, 1 << 16))
    }

    public mutating func record(_ nanos: UInt64) {
        count += 1
        if nanos > max { max = nanos }
        guard count % stride == 0 else { return }
        samples.append(nanos)
        if samples.count >= capacity {
            // Halve: keep every other sample and from now on every 2k-th.
            samples = samples.enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
            stride *= 2
        }
    }

    /// The `p`-th percentile (0...100) in milliseconds, nearest rank.
    public func percentileMillis(_ p: Double) -> Double {
        guard !samples.isEmpty else { return 0 }
        let sorted = samples.sorted()
        let rank = Swift.min(sorted.count - 1, Swift.max(0, Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1))
        return Double(sorted[rank]) / 1e6
    }

    public var maxMillis: Double { Double(max) / 1e6 }
}
