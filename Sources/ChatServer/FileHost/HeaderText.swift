/// Small helpers for HTTP header values (ASCII rules: spaces and tabs are
/// the only whitespace; names compare case-insensitively).
///
/// Thread-safety: stateless; any thread.
enum HeaderText {
    static func trim<S: StringProtocol>(_ text: S) -> String {
        let bytes = Array(text.utf8)
        var start = 0, end = bytes.count
        while start < end && (bytes[start] == 0x20 || bytes[start] == 0x09) { start += 1 }
        while end > start && (bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09) { end -= 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// `filename` from `Content-Disposition: attachment; filename="x"` or
    /// `filename*=UTF-8''x%20y` (RFC 6266; the starred form wins).
    static func dispositionFilename(_ header: String) -> String? {
        var plain: String?, starred: String?
        for part in header.split(separator: ";").dropFirst() {
            let item = trim(part)
            guard let eq = item.firstIndex(of: "=") else { continue }
            let key = trim(item[..<eq]).lowercased()
            var value = trim(item[item.index(after: eq)...])
            if key == "filename*" {
                let pieces = value.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
                guard pieces.count == 3, pieces[0].lowercased() == "utf-8" else { continue }
                starred = percentDecode(String(pieces[2]))
            } else if key == "filename" {
                if value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2 {
                    value = String(value.dropFirst().dropLast())
                    value = value.replacingBackslashEscapes()
                }
                plain = value
            }
        }
        return starred ?? plain
    }

    /// `%XX` decoding of UTF-8; nil if malformed or not UTF-8.
    static func percentDecode(_ text: String) -> String? {
        var out: [UInt8] = []
        var bytes = Array(text.utf8)[...]
        while let b = bytes.popFirst() {
            if b == 0x25 {
                guard bytes.count >= 2, let hi = hexValue(bytes.popFirst()!), let lo = hexValue(bytes.popFirst()!) else { return nil }
                out.append(hi << 4 | lo)
            } else {
                out.append(b)
            }
        }
        return String(validating: out, as: UTF8.self)
    }

    static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: return b - 0x30
        case 0x41...0x46: return b - 0x41 + 10
        case 0x61...0x66: return b - 0x61 + 10
        default: return nil
        }
    }
}

private extension String {
    /// `\"` → `"`, `\\` → `\` inside a quoted-string.
    func replacingBackslashEscapes() -> String {
        var out = "", escaped = false
        for c in self {
            if escaped { out.append(c); escaped = false } else if c == "\\" { escaped = true } else { out.append(c) }
        }
        return out
    }
}
