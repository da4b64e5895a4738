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
    ///
    /// The padding is written as bytes into the new String: `String(repeating:count:)`
    /// appended it piece by piece, ~5 % of the fan-out generator's core
    /// (one payload per message sent), which the generator needs for reading
    /// the deliveries.
    public func text(size: Int) -> String {
        let head = "B \(sender) \(seq) \(stampNanos) "
        let headCount = head.utf8.count
        let pad = max(0, size - headCount)
        return String(unsafeUninitializedCapacity: headCount + pad) { out in
            var count = 0
            for byte in head.utf8 { out[count] = byte; count += 1 }
            if pad > 0 { (out.baseAddress! + count).initialize(repeating: UInt8(ascii: "x"), count: pad) }
            return count + pad
        }
    }
}
