import CoreLoop
import Foundation

/// Time as the server sees it: monotonic for timeouts and rates, wall-clock
/// for timestamps shown to users. Tests use `ManualClock`.
///
/// Thread-safety: loop thread only.
public protocol ServerClock: AnyObject {
    /// Monotonic nanoseconds.
    var monotonicNanos: UInt64 { get }
    /// Milliseconds since 1970 (for server-time and signon times).
    var wallMillis: Int64 { get }
}

/// The real clocks.
///
/// Thread-safety: any thread.
public final class SystemClock: ServerClock {
    public init() {}
    public var monotonicNanos: UInt64 { MonotonicClock.nanoseconds() }
    public var wallMillis: Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
}

/// A clock that moves only when told to.
///
/// Thread-safety: loop thread only (tests).
public final class ManualClock: ServerClock {
    public var monotonicNanos: UInt64 = 1_000_000_000
    public var wallMillis: Int64 = 1_790_000_000_000
    public init() {}
    public func advance(seconds: Double) {
        monotonicNanos += UInt64(seconds * 1e9)
        wallMillis += Int64(seconds * 1000)
    }
}
