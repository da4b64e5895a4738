/// The token a UDP subscriber presents: 32 lowercase hex digits (128 random
/// bits), sent as the whole datagram, optionally followed by one LF.
/// The server's acknowledgement is `OK` (2 bytes), never larger than the
/// datagram that caused it.
///
/// Thread-safety: pure functions; any thread.
public enum UDPToken {
    public static let length = 32
    /// The acknowledgement of a valid token.
    public static let acknowledgement: [UInt8] = Array("OK".utf8)

    /// The token in a datagram, or nil if the datagram is not exactly a token.
    public static func parse(_ bytes: some Collection<UInt8>) -> String? {
        var body = Array(bytes.prefix(length + 2))
        guard bytes.count <= length + 1 else { return nil }
        if body.last == 0x0A { body.removeLast() }
        guard body.count == length, body.allSatisfy(isLowerHex) else { return nil }
        return String(decoding: body, as: UTF8.self)
    }

    /// Whether `text` has a token's form.
    public static func isWellFormed(_ text: String) -> Bool { parse(Array(text.utf8)) != nil }

    static func isLowerHex(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x66)
    }
}
