/// Recognising server replies by their command word.
///
/// Thread-safety: pure functions; any thread.
public enum IRCReply {
    /// Whether `line` is the numeric reply `code`. Matching the digits
    /// anywhere would also match a message whose text contains them (the
    /// fan-out run once took message number 366 for end-of-NAMES).
    public static func isNumeric(_ line: String, _ code: String) -> Bool {
        var line = line
        return line.withUTF8 { BenchLine.numeric(UnsafeRawBufferPointer($0)) } == Int(code)
    }
}
