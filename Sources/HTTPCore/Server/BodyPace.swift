/// Whether a request body arrives fast enough: at least `minBytesPerWindow`
/// in every window (`HTTPLimits.headerTimeoutNanos`), or all of what was
/// left when the window began if that is less, and at least one byte.
///
/// Without it a client sending one byte just inside each pause held a
/// connection (and the body so far) for as long as it liked ("slow POST").
///
/// Thread-safety: a value; loop thread only.
struct BodyPace {
    /// Bytes a window must bring (the rate times the window), at least 1.
    let minBytesPerWindow: Int
    private var receivedInWindow = 0
    private var remainingAtWindowStart: Int?

    /// - Parameter remaining: the body's length, or nil for a chunked body.
    init(bytesPerSecond: Int, windowNanos: UInt64, remaining: Int?) {
        let perWindow = Double(bytesPerSecond) * Double(windowNanos) / 1e9
        minBytesPerWindow = max(1, Int(min(perWindow, Double(Int.max / 2))))
        remainingAtWindowStart = remaining
    }

    mutating func received(_ count: Int) {
        receivedInWindow += count
    }

    /// A window ended with the body unfinished: whether it brought enough.
    /// Starts the next window from `remaining` (nil: chunked).
    mutating func windowEnded(remaining: Int?) -> Bool {
        let needed = min(minBytesPerWindow, remainingAtWindowStart ?? .max)
        let fastEnough = receivedInWindow >= max(1, needed)
        receivedInWindow = 0
        remainingAtWindowStart = remaining
        return fastEnough
    }
}
