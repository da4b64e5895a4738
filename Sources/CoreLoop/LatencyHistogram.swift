/// A fixed-bucket histogram of durations, cheap enough to update every loop
/// turn (a short linear scan, no allocation): the loop records how long each
/// turn worked (not how long it slept), for `/metrics`.
///
/// Thread-safety: a value; updated and read on the loop thread.
public struct LatencyHistogram: Equatable {
    /// Upper bounds of the buckets, in nanoseconds (a last, implicit bucket holds the rest).
    public static let boundsNanos: [UInt64] = [
        10_000, 50_000, 100_000, 250_000, 500_000, 1_000_000, 2_500_000, 5_000_000,
        10_000_000, 25_000_000, 50_000_000, 100_000_000, 250_000_000, 1_000_000_000,
    ]
    /// Observations per bucket (not cumulative); one more than `boundsNanos`, the last for anything above.
    public private(set) var counts = [UInt64](repeating: 0, count: boundsNanos.count + 1)
    public private(set) var count: UInt64 = 0
    public private(set) var sumNanos: UInt64 = 0

    public init() {}

    public mutating func record(_ nanos: UInt64) {
        var i = 0
        while i < Self.boundsNanos.count && nanos > Self.boundsNanos[i] { i += 1 }
        counts[i] &+= 1
        count &+= 1
        sumNanos &+= nanos
    }
}
