/// Encodes a numeric reply (`:server NNN <nick> params… :last`) straight into
/// a byte buffer, exactly as `IRCMessage(source:command:params:).encode`
/// would, without building the message: no `[nick] + params` array, no
/// message copy, no tag array. Every numeric reply (`IRCServer.reply`) goes
/// through here; in the churn profile building an `IRCMessage` per reply
/// line was a large share of the registration and JOIN cost
/// (docs/BENCHMARKS.md, "3. Churn").
///
/// Byte for byte the same as the message path (checked in
/// `ReplyEncodingTests`): every part through `IRCMessage.appendOneLine`
/// (CR, LF, NUL become spaces), and a numeric's last parameter, the nick
/// when there are no others, always in trailing form.
///
/// Thread-safety: stateless; any thread.
enum NumericReply {
    /// Appends one reply line with CR LF. `trailing`, when given, is the last
    /// parameter after `params` (saves callers an array concatenation).
    static func encode(source: String, _ numeric: Numeric, nick: String, _ params: [String],
                       trailing: String? = nil, into out: inout [UInt8]) {
        beginLine(source: source, numeric, nick: nick, hasMore: !params.isEmpty || trailing != nil, into: &out)
        let last = trailing == nil ? params.count - 1 : params.count
        for i in params.indices {
            out.append(0x20)
            if i == last { out.append(UInt8(ascii: ":")) }
            IRCMessage.appendOneLine(params[i], into: &out)
        }
        if let trailing {
            out.append(0x20)
            out.append(UInt8(ascii: ":"))
            IRCMessage.appendOneLine(trailing, into: &out)
        }
        endLine(into: &out)
    }

    /// `:source NNN nick`: the nick in trailing form when nothing follows it,
    /// as the message path encodes a numeric's last parameter.
    @inline(__always)
    static func beginLine(source: String, _ numeric: Numeric, nick: String, hasMore: Bool, into out: inout [UInt8]) {
        out.append(UInt8(ascii: ":"))
        IRCMessage.appendOneLine(source, into: &out)
        out.append(0x20)
        IRCMessage.appendOneLine(numeric.rawValue, into: &out)
        out.append(0x20)
        if !hasMore { out.append(UInt8(ascii: ":")) }
        IRCMessage.appendOneLine(nick, into: &out)
    }

    @inline(__always)
    static func endLine(into out: inout [UInt8]) {
        out.append(0x0D)
        out.append(0x0A)
    }
}
