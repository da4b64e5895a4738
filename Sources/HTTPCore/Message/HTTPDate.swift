#if canImport(Glibc)
import Glibc
#endif

/// The `Date` header's IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`),
/// formatted at most once a second.
///
/// Thread-safety: an instance belongs to one thread (each loop has its own).
public final class HTTPDate {
    private var second: Int = -1
    private var cached = ""

    public init() {}

    public func now() -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return format(epochSeconds: Int(ts.tv_sec))
    }

    public func format(epochSeconds: Int) -> String {
        if epochSeconds == second { return cached }
        second = epochSeconds
        cached = Self.imfFixdate(epochSeconds)
        return cached
    }

    static let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    public static func imfFixdate(_ epochSeconds: Int) -> String {
        var t = time_t(epochSeconds)
        var parts = tm()
        gmtime_r(&t, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
    }
}
