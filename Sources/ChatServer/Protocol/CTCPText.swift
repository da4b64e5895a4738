/// CTCP in a message's text: text that starts with `\x01` is a CTCP
/// request or reply (`ACTION` is `/me`; `VERSION`, `PING`, `TIME`… ask the
/// receiving client to answer). Only `ACTION` is worth keeping in history: a
/// replayed `VERSION` would make every client that joins later answer it
/// again; and only `ACTION` passes a channel's `+C`.
/// And the time put in front of a replayed line for a client without
/// server-time goes inside the action, where CTCP allows text, not before
/// the `\x01` that makes it one.
///
/// Thread-safety: stateless; any thread.
enum CTCPText {
    private static let delimiter = UInt8(0x01)
    private static let action = Array("\u{1}ACTION".utf8)
    private static let space = UInt8(ascii: " ")

    /// Whether `text` belongs in history: anything but a CTCP other than ACTION.
    static func isKeptInHistory(_ text: String) -> Bool { !isCTCPOtherThanAction(text) }

    /// Whether `text` is a CTCP request or reply other than ACTION.
    static func isCTCPOtherThanAction(_ text: String) -> Bool {
        guard text.utf8.first == delimiter else { return false }  // the common case: one byte looked at
        return !isAction(text)
    }

    /// `text` with `[stamp] ` in front, inside the action for a `/me`.
    static func stamped(_ text: String, stamp: String) -> String {
        guard isAction(text) else { return "[\(stamp)] \(text)" }
        let bytes = text.utf8
        let word = String(decoding: bytes.prefix(action.count), as: UTF8.self)  // as the sender spelled it
        let rest = bytes.dropFirst(action.count)
        let body = rest.first == space ? rest.dropFirst() : rest
        return word + " [\(stamp)]" + (body.isEmpty || body.first == delimiter ? "" : " ") + String(decoding: body, as: UTF8.self)
    }

    /// `\x01ACTION` (in any case: some scripts send `action`), then a
    /// space, the closing `\x01` or nothing.
    private static func isAction(_ text: String) -> Bool {
        let bytes = text.utf8
        guard bytes.count >= action.count,
              zip(bytes.prefix(action.count), action).allSatisfy({ $0 | 0x20 == $1 | 0x20 }) else { return false }
        let next = bytes.dropFirst(action.count).first
        return next == nil || next == space || next == delimiter
    }
}
