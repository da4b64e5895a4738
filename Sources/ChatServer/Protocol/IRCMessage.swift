/// One IRC protocol message: optional IRCv3 tags, optional source, a command
/// and its parameters.
///
/// Parsing follows the modern client protocol: tags (`@k=v;k2`) then a source
/// (`:nick!user@host`), the command (letters or a three-digit numeric), and up
/// to 15 parameters, the last of which may be a trailing parameter after ` :`.
/// Several spaces between parts count as one.
///
/// Thread-safety: a value type; any thread.
public struct IRCMessage: Equatable {
    public var tags: [IRCTag]
    public var source: String?
    public var command: String
    public var params: [String]

    public init(tags: [IRCTag] = [], source: String? = nil, command: String, params: [String] = []) {
        self.tags = tags
        self.source = source
        self.command = command
        self.params = params
    }

    public static let maxParams = 15

    /// Parses one line without its CR LF.
    public init(parsing line: UnsafeRawBufferPointer) throws {
        var cursor = 0
        let end = line.count

        func skipSpaces() { while cursor < end && line[cursor] == 0x20 { cursor += 1 } }

        func takeWord() -> (Int, Int) {
            let start = cursor
            while cursor < end && line[cursor] != 0x20 { cursor += 1 }
            return (start, cursor)
        }

        for byte in line where byte == 0 || byte == 0x0D || byte == 0x0A {
            throw IRCParseError.forbiddenByte(byte)
        }

        var tags: [IRCTag] = []
        if cursor < end && line[cursor] == UInt8(ascii: "@") {
            cursor += 1
            let (s, e) = takeWord()
            tags = try IRCTag.parseList(UnsafeRawBufferPointer(rebasing: line[s..<e]))
            skipSpaces()
        }
        var source: String?
        if cursor < end && line[cursor] == UInt8(ascii: ":") {
            cursor += 1
            let (s, e) = takeWord()
            guard e > s else { throw IRCParseError.emptySource }
            source = String(decoding: UnsafeRawBufferPointer(rebasing: line[s..<e]), as: UTF8.self)
            skipSpaces()
        }
        let (cs, ce) = takeWord()
        guard ce > cs else { throw IRCParseError.missingCommand }
        let commandBytes = UnsafeRawBufferPointer(rebasing: line[cs..<ce])
        let isNumeric = commandBytes.count == 3 && commandBytes.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
        let isWord = commandBytes.allSatisfy { ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A }
        guard isNumeric || isWord else { throw IRCParseError.invalidCommand }
        // Commands are case-insensitive; keep them upper-case. Written
        // straight into the String: a command word fits inline, so this
        // allocates nothing (a mapped array did, on every line).
        let command = String(unsafeUninitializedCapacity: commandBytes.count) { upper in
            for (i, byte) in commandBytes.enumerated() { upper[i] = byte >= 0x61 && byte <= 0x7A ? byte - 0x20 : byte }
            return commandBytes.count
        }

        // Room for the usual handful up front: grown one by one, the array
        // was reallocated twice or three times per USER or PRIVMSG.
        var params: [String] = []
        params.reserveCapacity(cursor < end ? 4 : 0)
        while true {
            skipSpaces()
            guard cursor < end else { break }
            if line[cursor] == UInt8(ascii: ":") || params.count == Self.maxParams - 1 {
                if line[cursor] == UInt8(ascii: ":") { cursor += 1 }
                params.append(String(decoding: UnsafeRawBufferPointer(rebasing: line[cursor..<end]), as: UTF8.self))
                break
            }
            let (s, e) = takeWord()
            params.append(String(decoding: UnsafeRawBufferPointer(rebasing: line[s..<e]), as: UTF8.self))
        }
        self.init(tags: tags, source: source, command: command, params: params)
    }

    public init(parsing line: String) throws {
        var copy = line
        self = try copy.withUTF8 { try IRCMessage(parsing: UnsafeRawBufferPointer($0)) }
    }

    /// The value of tag `key`, or nil if absent (a tag without value gives "").
    public func tag(_ key: String) -> String? {
        tags.first { $0.key == key }.map { $0.value ?? "" }
    }

    /// The wire form with CR LF.
    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        // Sized for the usual line, so it is allocated once: a 64-byte start
        // grew once or twice for every QUIT, JOIN or PRIVMSG with its source.
        var size = 2 + command.utf8.count + (source.map { $0.utf8.count + 2 } ?? 0)
        for param in params { size += param.utf8.count + 2 }
        out.reserveCapacity(tags.isEmpty ? size : size + 256)
        encode(into: &out)
        return out
    }

    /// Appends the wire form with CR LF to `out`.
    public func encode(into out: inout [UInt8]) {
        if !tags.isEmpty {
            out.append(UInt8(ascii: "@"))
            IRCTag.encodeList(tags, into: &out)
            out.append(0x20)
        }
        if let source {
            out.append(UInt8(ascii: ":"))
            Self.appendOneLine(source, into: &out)
            out.append(0x20)
        }
        Self.appendOneLine(command, into: &out)
        let textLast = Self.lastParamIsText(command, count: params.count)
        for (i, param) in params.enumerated() {
            out.append(0x20)
            if i == params.count - 1 && (textLast || Self.needsTrailing(param)) { out.append(UInt8(ascii: ":")) }
            Self.appendOneLine(param, into: &out)
        }
        out.append(0x0D)
        out.append(0x0A)
    }

    /// Appends `text` with CR, LF and NUL turned into spaces. Every line the
    /// server sends is encoded here, so text from anywhere (the console, the
    /// MOTD file, a stored topic) cannot end a line early and smuggle in a
    /// second one, and no caller has to remember to clean it.
    @inline(__always)
    static func appendOneLine(_ text: String, into out: inout [UInt8]) {
        let start = out.count
        out.append(contentsOf: text.utf8)
        // One uniqueness check for the scan, not a checked `out[i]` per byte.
        out.withUnsafeMutableBufferPointer { bytes in
            for i in start..<bytes.count { bytes[i] = oneLine(bytes[i]) }
        }
    }

    /// A byte of text as a line may carry it: CR, LF and NUL become a space.
    /// The one rule for every encoder (`appendOneLine`, `ByteCursor`).
    @inline(__always)
    static func oneLine(_ byte: UInt8) -> UInt8 {
        byte <= 0x0D && (byte == 0x0D || byte == 0x0A || byte == 0) ? 0x20 : byte
    }

    public var line: String {
        var bytes = encoded()
        bytes.removeLast(2)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Commands whose last parameter is free text. Servers conventionally send
    /// it in trailing form even when it is one word, and some clients expect that.
    /// PART's text is its optional reason: `PART #c` alone names a channel.
    static func lastParamIsText(_ command: String, count: Int) -> Bool {
        let first = command.utf8.first ?? 0
        if first >= 0x30 && first <= 0x39 { return true }  // numerics
        switch command {
        case "PRIVMSG", "NOTICE", "QUIT", "KICK", "TOPIC", "ERROR", "AWAY", "KILL", "PONG", "CAP", "SETNAME": return true
        case "PART": return count > 1
        case "REDACT": return count > 2  // the reason
        default: return false
        }
    }

    @inline(__always)
    static func needsTrailing(_ param: String) -> Bool {
        param.isEmpty || param.utf8.first == UInt8(ascii: ":") || param.utf8.contains(0x20)
    }
}
