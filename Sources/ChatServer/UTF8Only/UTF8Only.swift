/// UTF8ONLY (IRCv3): the server advertises `UTF8ONLY` in ISUPPORT, so it must
/// not relay anything that is not UTF-8. Every line is checked once, before
/// it is parsed (parsing would quietly replace bad bytes with U+FFFD), and a
/// bad one is refused whole with `FAIL <command> INVALID_UTF8`, or `FAIL *`
/// when even the command cannot be read. Lines of plain ASCII, the common
/// case, cost one pass over the bytes and no allocation.
///
/// Thread-safety: pure functions; any thread.
enum UTF8Only {
    static let failText = "Message rejected, your IRC software MUST use UTF-8 encoding on this network"

    /// Whether `bytes` are well-formed UTF-8 (RFC 3629: no overlong forms,
    /// no surrogates, nothing above U+10FFFF).
    static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var i = 0
        let n = bytes.count
        while i < n {
            let b0 = bytes[i]
            if b0 < 0x80 { i += 1; continue }
            let length: Int
            var lower: UInt8 = 0x80, upper: UInt8 = 0xBF
            switch b0 {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; upper = 0x9F  // no surrogates
            case 0xF0: length = 4; lower = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; upper = 0x8F  // nothing above U+10FFFF
            default: return false
            }
            guard i + length <= n else { return false }
            let b1 = bytes[i + 1]
            guard b1 >= lower && b1 <= upper else { return false }
            for k in 2..<length where bytes[i + k] & 0xC0 != 0x80 { return false }
            i += length
        }
        return true
    }

    /// The command word of a refused line, if it is readable ASCII letters
    /// or digits; "*" otherwise.
    static func commandName(of line: UnsafeRawBufferPointer) -> String {
        var i = 0
        let n = line.count
        func skipWord() { while i < n && line[i] != 0x20 { i += 1 } }
        func skipSpaces() { while i < n && line[i] == 0x20 { i += 1 } }
        if i < n && line[i] == UInt8(ascii: "@") { skipWord(); skipSpaces() }
        if i < n && line[i] == UInt8(ascii: ":") { skipWord(); skipSpaces() }
        let start = i
        skipWord()
        let word = UnsafeRawBufferPointer(rebasing: line[start..<i])
        guard !word.isEmpty, word.count <= 32,
              word.allSatisfy({ ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A || ($0 >= 0x30 && $0 <= 0x39) }) else { return "*" }
        return String(decoding: word, as: UTF8.self).uppercased()
    }
}

extension IRCServer {
    /// Answers a line that is not UTF-8 (see `UTF8Only`).
    func refuseInvalidUTF8(_ line: UnsafeRawBufferPointer, from client: Client) {
        send(client, IRCMessage(source: serverName, command: "FAIL",
                                params: [UTF8Only.commandName(of: line), "INVALID_UTF8", UTF8Only.failText]))
    }
}
