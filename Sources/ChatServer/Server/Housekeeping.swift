/// The server's periodic bookkeeping state: which clients flood control has
/// paused, and when timeouts were last swept.
///
/// Thread-safety: a value owned by `IRCServer`; loop thread only.
struct Housekeeping {
    /// Clients whose input is paused by flood control.
    var throttled: Set<UInt64> = []
    var lastTimeoutSweepNanos: UInt64 = 0
    /// When unused accounts were last looked for (hourly).
    var lastAccountExpiryNanos: UInt64 = 0
}
