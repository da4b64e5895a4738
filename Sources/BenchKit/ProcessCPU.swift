#if canImport(Glibc)
import Glibc
#endif

/// CPU time a process (all its threads) has used, from `/proc/<pid>/stat`.
/// The generator reads the server's this way at both ends of a measured
/// window: when the generator itself is saturated, work per server CPU
/// second still compares the servers.
///
/// Thread-safety: pure functions; any thread.
public enum ProcessCPU {
    /// User + system seconds, or nil if the process is gone.
    public static func seconds(pid: Int32) -> Double? {
        guard let text = ProcFile.read("/proc/\(pid)/stat") else { return nil }
        return parseStat(text, ticksPerSecond: Double(sysconf(Int32(_SC_CLK_TCK))))
    }

    /// utime + stime (fields 14 and 15) of a stat line. The command name
    /// (field 2) is in parentheses and may hold spaces or ')', so fields are
    /// counted from the last ')'.
    public static func parseStat(_ text: String, ticksPerSecond: Double) -> Double? {
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // After ')': field 3 (state) is at index 0, so field N is at N - 3.
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]),
              ticksPerSecond > 0 else { return nil }
        return (user + system) / ticksPerSecond
    }
}
