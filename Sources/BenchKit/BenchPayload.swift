/// The text of a benchmark message: who sent it, its sequence number and the
/// time it was (scheduled to be) sent, padded to a size. Receivers parse it
/// back to check order and measure latency.
///
/// Thread-safety: a value type; any thread.
public struct BenchPayload: Equatable {
    public var sender: Int
    public var seq: UInt64
    /// Monotonic nanoseconds of the scheduled (open loop) or actual send.
    public var stampNanos: UInt64

    public init(sender: Int, seq: UInt64, stampNanos: UInt64) {
        self.sender = sender
        self.seq = seq
        self.stampNanos = stampNanos
    }

    /// `B <sender> <seq> <stamp> xxxx…`, exactly `size` bytes when size allows.
    public func text(size: Int) -> String {
        let head = "B \(sender) \(seq) \(stampNanos) "
        let pad = max(0, size - head.utf8.count)
        return head + String(repeating: "x", count: pad)
    }
}
