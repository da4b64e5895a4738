#if canImport(Glibc)
import Glibc
#endif

/// Time since an arbitrary fixed point, in nanoseconds, from CLOCK_MONOTONIC:
/// never jumps when the wall clock is set.
///
/// Thread-safety: any thread.
public enum MonotonicClock {
    @inline(__always)
    public static func nanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }
}

/// A duration in nanoseconds, with readable constructors.
public struct Nanoseconds: Comparable, Hashable {
    public var value: UInt64
    public init(_ value: UInt64) { self.value = value }
    public static func milliseconds(_ ms: UInt64) -> Nanoseconds { Nanoseconds(ms &* 1_000_000) }
    public static func seconds(_ s: UInt64) -> Nanoseconds { Nanoseconds(s &* 1_000_000_000) }
    public static func < (a: Nanoseconds, b: Nanoseconds) -> Bool { a.value < b.value }
}
