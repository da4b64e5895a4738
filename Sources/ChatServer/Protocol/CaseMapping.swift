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
    ///
    /// A name already in canonical form (most nicks and channels) comes back
    /// as it is; otherwise the folded bytes are written straight into the new
    /// String (a name of up to 15 bytes is stored inline, without an
    /// allocation). Folding runs several times per registration, JOIN and
    /// QUIT, and the array it used to go through was ~450 instructions each
    /// in the churn profile.
    public static func fold(_ name: String) -> String {
        // Only 0x41...0x5E (A-Z and [\]^) change.
        guard name.utf8.contains(where: { $0 &- 0x41 <= 0x5E - 0x41 }) else { return name }
        return String(unsafeUninitializedCapacity: name.utf8.count) { buffer in
            var count = 0
            for byte in name.utf8 {
                buffer[count] = fold(byte)
                count += 1
            }
            return count
        }
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
