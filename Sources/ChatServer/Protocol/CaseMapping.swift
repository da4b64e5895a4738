/// IRC's `rfc1459` case mapping: ASCII letters plus `[]\~` as the upper case
/// of `{}|^`. Nick and channel uniqueness compare folded names.
///
/// Thread-safety: pure functions; any thread.
public enum CaseMapping {
    public static let name = "rfc1459"

    @inline(__always)
    static func fold(_ b: UInt8) -> UInt8 {
        switch b {
        case 0x41...0x5A: return b + 0x20          // A-Z
        case 0x5B...0x5E: return b + 0x20          // [\]^ -> {|}~
        default: return b
        }
    }

    /// The canonical (lower-case) form of a nick or channel name.
    public static func fold(_ name: String) -> String {
        var bytes = Array(name.utf8)
        for i in bytes.indices { bytes[i] = fold(bytes[i]) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Glob match with `*` and `?`, case-insensitive under this mapping
    /// (for ban masks and WHO).
    public static func globMatch(_ pattern: String, _ text: String) -> Bool {
        let p = Array(fold(pattern).utf8), t = Array(fold(text).utf8)
        var pi = 0, ti = 0, star = -1, mark = 0
        while ti < t.count {
            if pi < p.count && (p[pi] == UInt8(ascii: "?") || p[pi] == t[ti]) {
                pi += 1; ti += 1
            } else if pi < p.count && p[pi] == UInt8(ascii: "*") {
                star = pi; mark = ti; pi += 1
            } else if star >= 0 {
                pi = star + 1; mark += 1; ti = mark
            } else {
                return false
            }
        }
        while pi < p.count && p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.count
    }
}
