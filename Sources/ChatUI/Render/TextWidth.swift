/// wcwidth(3) from the C library. Swift's Glibc module leaves it out (it
/// needs _XOPEN_SOURCE), and ChatUI takes no terminal library to get it from.
@_silgen_name("wcwidth")
private func c_wcwidth(_ c: Int32) -> Int32

/// Terminal cells a text takes: wide characters (CJK, most emoji) take two,
/// combining marks none, as wcwidth(3) says (the locale must be set, which
/// `chat` does at start).
///
/// Thread-safety: pure; any thread (wcwidth reads the process locale).
public enum TextWidth {
    public static func of(_ c: Character) -> Int {
        var w = 0
        for (i, scalar) in c.unicodeScalars.enumerated() {
            // A character's extra scalars (combining marks, ZWJ parts) draw in its cells.
            if i > 0 { break }
            let cw = Int(c_wcwidth(Int32(bitPattern: scalar.value)))
            w += cw < 0 ? (scalar.value < 0x20 ? 0 : 1) : cw
        }
        return w
    }

    public static func of(_ s: String) -> Int { s.reduce(0) { $0 + of($1) } }

    /// The longest prefix of `s` that fits `cells`, and its width.
    public static func prefix(_ s: String, fitting cells: Int) -> (String, Int) {
        var used = 0
        var out = ""
        for c in s {
            let w = of(c)
            if used + w > cells { break }
            out.append(c)
            used += w
        }
        return (out, used)
    }
}
