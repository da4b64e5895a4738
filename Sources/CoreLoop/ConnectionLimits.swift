/// Bounds on what one peer can make a connection hold.
///
/// Thread-safety: a value type; any thread.
public struct ConnectionLimits {
    /// Unconsumed input kept between reads (a partial line); beyond it the
    /// connection closes with `.inboundOverflow`. 0: unlimited.
    public var maxInboundBytes: Int = 64 * 1024
    /// Bytes read from one connection per loop turn, so one fast client
    /// cannot starve the rest.
    public var maxReadPerTurn: Int = 16 * 1024
    /// Outbound bytes above which the delegate hears "not writable"...
    public var outboundHighWater: Int = 256 * 1024
    /// ...and below which it hears "writable" again.
    public var outboundLowWater: Int = 64 * 1024
    /// Outbound bytes beyond which the connection is closed with
    /// `.sendQueueExceeded`. 0: unlimited.
    public var outboundHardLimit: Int = 4 * 1024 * 1024
    /// How long a graceful close may wait for its queue to drain.
    public var closeFlushTimeout: Nanoseconds = .seconds(5)

    public init() {}
}
