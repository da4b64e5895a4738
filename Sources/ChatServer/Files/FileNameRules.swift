/// What a shared file's name may be: it is shown to people and sent back
/// in replies, never used as a path on the server (files are stored by hash).
///
/// Thread-safety: stateless; any thread.
public enum FileNameRules {
    public static let maxBytes = 255

    /// Throws `BAD_NAME` unless `name` is 1–255 bytes with no path separator,
    /// no control character, and is not `.` or `..`.
    public static func check(_ name: String) throws {
        let bad = name.isEmpty || name.utf8.count > maxBytes || name == "." || name == ".."
            || name.unicodeScalars.contains { $0 == "/" || $0 == "\\" || $0.value < 0x20 || $0.value == 0x7F
                || ($0.value >= 0x80 && $0.value < 0xA0) }
        if bad {
            throw FileFailure(.badName, nil, "File names are 1 to \(maxBytes) bytes, without path separators or control characters")
        }
    }
}
