#if canImport(Glibc)
import Glibc
#endif

/// Times as the client shows them, in local time: `14:05` for today,
/// `11-21 14:05` for older lines (history keeps its original day).
///
/// Thread-safety: pure; any thread.
public enum TimeText {
    public static func show(_ millis: Int64, nowMillis: Int64) -> String {
        let t = local(millis), now = local(nowMillis)
        let hm = two(t.tm_hour) + ":" + two(t.tm_min)
        if t.tm_year == now.tm_year && t.tm_yday == now.tm_yday { return hm }
        return two(t.tm_mon + 1) + "-" + two(t.tm_mday) + " " + hm
    }

    /// The IRCv3 server-time form, for CHATHISTORY `timestamp=`.
    public static func serverTime(_ millis: Int64) -> String {
        var seconds = time_t(millis / 1000)
        var t = tm()
        gmtime_r(&seconds, &t)
        let ms = Int(millis % 1000)
        return "\(t.tm_year + 1900)-\(two(t.tm_mon + 1))-\(two(t.tm_mday))T\(two(t.tm_hour)):\(two(t.tm_min)):\(two(t.tm_sec))."
            + (ms < 10 ? "00" : ms < 100 ? "0" : "") + "\(ms)Z"
    }

    private static func local(_ millis: Int64) -> tm {
        var seconds = time_t(millis / 1000)
        var t = tm()
        localtime_r(&seconds, &t)
        return t
    }

    private static func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
}
