/// Recognising server replies by their command word.
///
/// Thread-safety: pure functions; any thread.
public enum IRCReply {
    /// Whether `line` is the numeric reply `code`. Matching the digits
    /// anywhere would also match a message whose text contains them (the
    /// fan-out run once took message number 366 for end-of-NAMES).
    public static func isNumeric(_ line: String, _ code: String) -> Bool {
        let words = line.split(separator: " ", maxSplits: 2)
        return words.count > 1 && words[0].hasPrefix(":") && words[1] == code
    }
}
