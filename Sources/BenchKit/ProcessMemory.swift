/// Resident memory of a process (VmRSS), from `/proc/<pid>/status`. The
/// idle scenario reads the server's before and after opening its
/// connections.
///
/// Thread-safety: pure functions; any thread.
public enum ProcessMemory {
    /// Resident bytes, or nil if the process is gone (a zombie has no VmRSS).
    public static func residentBytes(pid: Int32) -> Int? {
        ProcFile.read("/proc/\(pid)/status").flatMap(parseStatus)
    }

    /// The `VmRSS:<tab>  1234 kB` line of a status file, in bytes.
    public static func parseStatus(_ text: String) -> Int? {
        for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let fields = line.split { $0 == " " || $0 == "\t" }
            guard fields.count == 3, fields[2] == "kB", let kilobytes = Int(fields[1]) else { return nil }
            return kilobytes * 1024
        }
        return nil
    }
}
