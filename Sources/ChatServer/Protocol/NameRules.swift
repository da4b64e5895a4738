/// What makes a valid nickname or channel name here.
///
/// Thread-safety: pure functions; any thread.
public enum NameRules {
    static func isSpecial(_ b: UInt8) -> Bool {
        // [ \ ] ^ _ ` { | }
        (b >= 0x5B && b <= 0x60) || (b >= 0x7B && b <= 0x7D)
    }

    /// `text.hasPrefix(String(ascii))` for one ASCII character, decided from
    /// bytes when it can be: an ASCII byte followed by another ASCII byte (or
    /// nothing) is a whole Character, since only CR LF joins two ASCII
    /// scalars. A non-ASCII byte next (a combining mark?), or CR LF, goes to
    /// the Character rule. `hasPrefix` took ~700 instructions a call on every
    /// PRIVMSG target (three calls each) in the churn profile.
    static func hasPrefix(_ text: Substring, ascii byte: UInt8) -> Bool {
        var bytes = text.utf8.makeIterator()
        guard bytes.next() == byte else { return false }
        guard let next = bytes.next(), next >= 0x80 || (byte == 0x0D && next == 0x0A) else { return true }
        return text.hasPrefix(String(UnicodeScalar(byte)))
    }

    /// A letter or special first, then letters, digits, specials or '-'.
    public static func isValidNick(_ nick: String, maxLength: Int) -> Bool {
        let bytes = nick.utf8  // walked in place: no copy per NICK
        guard let first = bytes.first, bytes.count <= maxLength else { return false }
        let isLetter = { (b: UInt8) in (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
        guard isLetter(first) || isSpecial(first) else { return false }
        return bytes.dropFirst().allSatisfy {
            isLetter($0) || ($0 >= 0x30 && $0 <= 0x39) || isSpecial($0) || $0 == UInt8(ascii: "-")
        }
    }

    /// `#` then anything but space, comma, BEL or control characters.
    public static func isValidChannel(_ name: String, maxLength: Int) -> Bool {
        let bytes = name.utf8
        guard bytes.count >= 2, bytes.count <= maxLength, bytes.first == UInt8(ascii: "#") else { return false }
        return bytes.allSatisfy { $0 > 0x20 && $0 != UInt8(ascii: ",") && $0 != 0x7F }
    }

    /// Cuts `text` to at most `maxBytes` bytes without splitting a character.
    public static func truncate(_ text: String, maxBytes: Int) -> String {
        guard text.utf8.count > maxBytes else { return text }
        var result = ""
        var size = 0
        for ch in text {
            let n = ch.utf8.count
            if size + n > maxBytes { break }
            result.append(ch)
            size += n
        }
        return result
    }
}
