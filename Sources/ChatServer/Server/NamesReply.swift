/// The NAMES replies for one channel (353 lines, split to stay under the
/// line limit, then 366), encoded straight into a buffer: every JOIN sends
/// them, and the entry Strings, the joined line and an `IRCMessage` per 353
/// were ~18k instructions of a churn cycle (~9.5k now) (docs/BENCHMARKS.md, "3. Churn").
///
/// The bytes and the split points are what the message path produced
/// (`reply(client, .namReply, symbol, name, entries.joined(" "))`, checked in
/// `ReplyEncodingTests`): an entry starts a new line when the line's entries,
/// each counted with one separator byte, would pass
/// `400 - name bytes - nick bytes`.
///
/// Thread-safety: stateless; loop thread (it reads a channel's members).
enum NamesReply {
    /// Appends the lines for `client` (each after `prefix`); returns how many.
    static func write(_ channel: Channel, to client: Client, source: String, prefix: [UInt8],
                      into out: inout [UInt8]) -> Int {
        var lines = 0
        guard channel.isVisible(to: client) else {
            // A secret channel one is not in answers as if it did not exist.
            endOfNames(channel, nick: client.nick, source: source, prefix: prefix, into: &out)
            return 1
        }
        let isMember = channel.members[client.id] != nil
        let symbol: StaticString = channel.secret ? "@" : "="
        let multi = client.caps.contains(.multiPrefix)
        let full = client.caps.contains(.userhostInNames)
        let budget = 400 - channel.name.utf8.count - client.nick.utf8.count
        var size = 0  // of the open line's entries, one separator each; 0: no line open
        // Sorted on keys read once per member: a comparator reading
        // `client.foldedNick` paid two exclusivity checks per comparison,
        // n log n of them on every JOIN to a large channel.
        var byNick = channel.members.values.map { (key: $0.client.foldedNick, member: $0) }
        byNick.sort { $0.key < $1.key }
        for (_, member) in byNick {
            if member.client.isInvisible && !isMember { continue }
            let mode = member.membership
            // `Membership.prefix(all:)` without its String
            let op = mode.contains(.op), voice = mode.contains(.voice) && (multi || !op)
            let name = full ? member.client.mask : member.client.nick
            let length = (op ? 1 : 0) + (voice ? 1 : 0) + name.utf8.count
            if size > 0 && size + length + 1 > budget {
                NumericReply.endLine(into: &out)
                size = 0
            }
            if size == 0 {
                out += prefix
                NumericReply.beginLine(source: source, .namReply, nick: client.nick, hasMore: true, into: &out)
                out.append(0x20)
                out.append(symbol.utf8Start.pointee)
                out.append(0x20)
                IRCMessage.appendOneLine(channel.name, into: &out)
                out.append(0x20)
                out.append(UInt8(ascii: ":"))
                lines += 1
            } else {
                out.append(0x20)
            }
            if op { out.append(UInt8(ascii: "@")) }
            if voice { out.append(UInt8(ascii: "+")) }
            IRCMessage.appendOneLine(name, into: &out)
            size += length + 1
        }
        if size > 0 { NumericReply.endLine(into: &out) }
        endOfNames(channel, nick: client.nick, source: source, prefix: prefix, into: &out)
        return lines + 1
    }

    private static func endOfNames(_ channel: Channel, nick: String, source: String, prefix: [UInt8],
                                   into out: inout [UInt8]) {
        out += prefix
        NumericReply.encode(source: source, .endOfNames, nick: nick, [channel.name],
                            trailing: Numeric.endOfNames.standardText ?? "", into: &out)
    }
}
