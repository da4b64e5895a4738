/// Formats wall-clock milliseconds as the IRCv3 server-time value
/// (`2026-11-21T14:09:42.123Z`) without Foundation's formatters, which are
/// slow and not meant for a hot path.
///
/// Thread-safety: pure functions; any thread.
enum ServerTime {
    static func format(millis: Int64) -> String {
        let seconds = millis >= 0 ? millis / 1000 : (millis - 999) / 1000
        let ms = Int(millis - seconds * 1000)
        var days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secOfDay = Int(seconds - days * 86_400)
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let doe = days - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        var year = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        if month <= 2 { year += 1 }
        // Written digit by digit into one buffer: interpolating padded
        // Strings showed up in profiles (every broadcast carries a time).
        // 32 bytes hold even a nine-digit year.
        return String(unsafeUninitializedCapacity: 32) { buffer in
            var at = 0
            // Separators as bytes: `Character.asciiValue` per field was about
            // two thirds of this function (3.2k → 1.0k instructions a call).
            func put(_ value: Int, width: Int, then separator: UInt8) {
                var v = max(0, value)
                var digits = width
                while v >= pow10(digits) { digits += 1 }
                var k = at + digits - 1
                for _ in 0..<digits {
                    buffer[k] = UInt8(0x30 + v % 10)
                    v /= 10
                    k -= 1
                }
                at += digits
                buffer[at] = separator
                at += 1
            }
            put(Int(year), width: 4, then: UInt8(ascii: "-"))
            put(Int(month), width: 2, then: UInt8(ascii: "-"))
            put(Int(day), width: 2, then: UInt8(ascii: "T"))
            put(secOfDay / 3600, width: 2, then: UInt8(ascii: ":"))
            put(secOfDay / 60 % 60, width: 2, then: UInt8(ascii: ":"))
            put(secOfDay % 60, width: 2, then: UInt8(ascii: "."))
            put(ms, width: 3, then: UInt8(ascii: "Z"))
            return at
        }
    }

    /// Parses `YYYY-MM-DDThh:mm:ss(.sss)Z` back into milliseconds.
    static func parse(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        guard b.count >= 20, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"), b[10] == UInt8(ascii: "T"),
              b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"), b.last == UInt8(ascii: "Z") else { return nil }
        func num(_ from: Int, _ count: Int) -> Int64? {
            var v: Int64 = 0
            for i in from..<(from + count) {
                guard b[i] >= 0x30 && b[i] <= 0x39 else { return nil }
                v = v * 10 + Int64(b[i] - 0x30)
            }
            return v
        }
        guard let y = num(0, 4), let mo = num(5, 2), let d = num(8, 2), let h = num(11, 2), let mi = num(14, 2), let s = num(17, 2),
              (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 61 else { return nil }
        var ms: Int64 = 0
        if b.count > 21 && b[19] == UInt8(ascii: ".") {
            let digits = b.count - 21
            guard digits >= 1, digits <= 9, let frac = num(20, digits) else { return nil }
            ms = digits >= 3 ? frac / Int64(pow10(digits - 3)) : frac * Int64(pow10(3 - digits))
        } else if b.count != 20 {
            return nil
        }
        // Days from civil (Howard Hinnant's algorithm).
        let yy = mo <= 2 ? y - 1 : y
        let era = (yy >= 0 ? yy : yy - 399) / 400
        let yoe = yy - era * 400
        let mp = (mo + 9) % 12
        let doy = (153 * mp + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return ((days * 24 + h) * 60 + mi) * 60_000 + s * 1000 + ms
    }

    private static func pow10(_ n: Int) -> Int {
        var v = 1
        for _ in 0..<n { v *= 10 }
        return v
    }
}
