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
    public var counts: [UInt64] { (0..<buckets.count).map { buckets[$0] } }
    /// Inline, not an array: the loop records into its counters every turn,
    /// and an array element's update may copy (a call, for all the
    /// optimizer knows), which kept a runtime exclusivity check on every
    /// access to `EventLoop.counters`. Here a record is three stores.
    private var buckets = InlineArray<15, UInt64>(repeating: 0)  // boundsNanos.count + 1
    public private(set) var count: UInt64 = 0
    public private(set) var sumNanos: UInt64 = 0

    public init() {
        precondition(buckets.count == Self.boundsNanos.count + 1, "one bucket per bound, and one above")
    }

    public static func == (lhs: LatencyHistogram, rhs: LatencyHistogram) -> Bool {
        lhs.count == rhs.count && lhs.sumNanos == rhs.sumNanos && lhs.counts == rhs.counts
    }

    public mutating func record(_ nanos: UInt64) {
        var i = 0
        while i < Self.boundsNanos.count && nanos > Self.boundsNanos[i] { i += 1 }
        buckets[i] &+= 1
        count &+= 1
        sumNanos &+= nanos
    }
}
