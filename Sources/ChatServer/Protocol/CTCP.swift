/// Recognises CTCP in a PRIVMSG or NOTICE text: a message that starts with
/// \\x01 (the closing \\x01 is optional, as the modern CTCP docs allow).
///
/// Thread-safety: pure functions; any thread.
enum CTCP {
    /// Whether `text` is a CTCP message whose command is not ACTION.
    static func isNonAction(_ text: String) -> Bool {
        var bytes = text.utf8.makeIterator()
        guard bytes.next() == 0x01 else { return false }
        // "ACTION" then a space, the closing \x01 or the end.
        for expected in "ACTION".utf8 {
            guard let byte = bytes.next(), byte | 0x20 == expected | 0x20 else { return true }
        }
        switch bytes.next() {
        case nil, 0x20, 0x01: return false
        default: return true  // e.g. "\x01ACTIONS"
        }
    }
}
