/// What a client hears about a line that does not parse.
extension IRCParseError {
    /// The word in a command's place (after any tags and source), cut to
    /// 64 bytes, so a 421 can name what was not understood.
    static func commandWord(in line: UnsafeRawBufferPointer) -> String {
        var cursor = 0
        func skipWord() { while cursor < line.count && line[cursor] != 0x20 { cursor += 1 } }
        func skipSpaces() { while cursor < line.count && line[cursor] == 0x20 { cursor += 1 } }
        if cursor < line.count && line[cursor] == UInt8(ascii: "@") { skipWord(); skipSpaces() }
        if cursor < line.count && line[cursor] == UInt8(ascii: ":") { skipWord(); skipSpaces() }
        let start = cursor
        skipWord()
        // Bytes up to a space, at most 64, backed off to a UTF-8 character
        // boundary (the line is valid UTF-8 by now).
        var end = min(cursor, start + 64)
        while end > start && end < line.count && (line[end] & 0xC0) == 0x80 { end -= 1 }
        return String(decoding: UnsafeRawBufferPointer(rebasing: line[start..<end]), as: UTF8.self)
    }
}
