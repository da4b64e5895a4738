/// The text file the file scenarios upload: numbered lines, so it is text
/// (chatd stores only text unless `files.allowedTypes` says otherwise) and
/// no two chunks of it are alike (a misplaced chunk shows).
///
/// Thread-safety: pure functions; any thread.
public enum BenchFileText {
    /// Exactly `bytes` bytes of numbered lines (the last one cut).
    public static func make(bytes: Int) -> [UInt8] {
        var text: [UInt8] = []
        text.reserveCapacity(bytes + 80)
        var n = 0
        while text.count < bytes {
            text += Array("bench file line \(n): the quick brown fox jumps over the lazy dog\n".utf8)
            n += 1
        }
        return Array(text.prefix(bytes))
    }
}
