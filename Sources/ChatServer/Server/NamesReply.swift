/// The NAMES replies for one channel (353 lines, split to stay under the
/// line limit, then 366), encoded straight into a buffer: every JOIN sends
/// them, and the entry Strings, the joined line and an `IRCMessage` per 353
/// were ~18k instructions of a churn cycle (docs/BENCHMARKS.md, "3. Churn").
///
/// The bytes and the split points are what the message path produced
/// (`reply(client, .namReply, symbol, name, entries.joined(" "))`, checked in
/// `ReplyEncodingTests`): an entry starts a new line when the line's entries,
/// each counted with one separator byte, would pass
/// `400 - name bytes - nick bytes`.
///
/// Thread-safety: stateless; loop thread (it reads a channel's members).
enum NamesReply {
    /// A member as listed: the sort key and what the line shows.
    private struct Entry {
        let key: String
        let name: String
        let op: Bool
        let voice: Bool
        var length: Int { (op ? 1 : 0) + (voice ? 1 : 0) + name.utf8.count }
    }

    /// Appends the lines for `client` (each after `prefix`); returns how many.
    /// Without `endOfNames`, the 366 is left out: a NAMES of several
    /// channels ends with one 366 for the whole list.
    ///
    /// The lines are written through a `ByteCursor` into one buffer sized
    /// from an upper bound (as `LusersReply` does), and the part every 353
    /// repeats (`prefix:source 353 nick = #channel :`) is encoded once and
    /// copied: appending each name to the reply buffer cost a capacity and
    /// uniqueness check per append, ~700 instructions a member per JOIN.
    static func write(_ channel: Channel, to client: Client, source: String, prefix: [UInt8],
                      endOfNames: Bool = true, into out: inout [UInt8]) -> Int {
        // A secret channel one is not in answers as if it did not exist: 366 only.
        let entries = channel.isVisible(to: client) ? listed(channel, to: client) : []
        let nick = client.nick
        let symbol = UInt8(ascii: channel.secret ? "@" : "=")
        let budget = 400 - channel.name.utf8.count - nick.utf8.count
        let endText = Numeric.endOfNames.standardText ?? ""
        // Every line: the prefix, `:source NNN nick X #channel :` and CR LF.
        let head = prefix.count + source.utf8.count + nick.utf8.count + channel.name.utf8.count + 16
        // At most one line per entry (each fits the budget alone), plus 366.
        let bound = entries.reduce(0) { $0 + $1.length + 1 } + (entries.count + 1) * head + endText.utf8.count
        var lines = 0
        let bytes = [UInt8](unsafeUninitializedCapacity: bound) { buffer, initialized in
            var c = ByteCursor(buffer.baseAddress!)
            var lineHead: (offset: Int, count: Int)?
            var size = 0  // of the open line's entries, one separator each; 0: no line open
            for entry in entries {
                let length = entry.length
                if size > 0 && size + length + 1 > budget {
                    c.put("\r\n")
                    size = 0
                }
                if size == 0 {
                    if let lineHead {
                        c.putCopy(of: lineHead.offset, count: lineHead.count)
                    } else {
                        let start = c.count
                        putHead(.namReply, source: source, nick: nick, prefix: prefix, into: &c)
                        c.put(0x20)
                        c.put(symbol)
                        c.put(0x20)
                        c.putOneLine(channel.name)
                        c.put(" :")
                        lineHead = (start, c.count - start)
                    }
                    lines += 1
                } else {
                    c.put(0x20)
                }
                if entry.op { c.put(UInt8(ascii: "@")) }
                if entry.voice { c.put(UInt8(ascii: "+")) }
                c.putOneLine(entry.name)
                size += length + 1
            }
            if size > 0 { c.put("\r\n") }
            if endOfNames {
                putHead(.endOfNames, source: source, nick: nick, prefix: prefix, into: &c)
                c.put(0x20)
                c.putOneLine(channel.name)
                c.put(" :")
                c.putOneLine(endText)
                c.put("\r\n")
            }
            initialized = c.count
        }
        out += bytes
        return lines + (endOfNames ? 1 : 0)
    }

    /// The members `client` may see, in folded-nick order. Sorted on keys
    /// read once per member: a comparator reading `client.foldedNick` paid
    /// two exclusivity checks per comparison, n log n of them per JOIN.
    private static func listed(_ channel: Channel, to client: Client) -> [Entry] {
        let isMember = channel.members[client.id] != nil
        let multi = client.caps.contains(.multiPrefix)
        let full = client.caps.contains(.userhostInNames)
        var entries: [Entry] = []
        entries.reserveCapacity(channel.members.count)
        for member in channel.members.values {
            if member.client.isInvisible && !isMember { continue }
            let mode = member.membership
            // `Membership.prefix(all:)` without its String
            let op = mode.contains(.op)
            entries.append(Entry(key: member.client.foldedNick, name: full ? member.client.mask : member.client.nick,
                                 op: op, voice: mode.contains(.voice) && (multi || !op)))
        }
        entries.sort { $0.key < $1.key }
        return entries
    }

    /// `prefix:source NNN nick`, as `NumericReply.beginLine` writes it.
    private static func putHead(_ numeric: Numeric, source: String, nick: String, prefix: [UInt8],
                                into c: inout ByteCursor) {
        c.put(prefix)
        c.put(UInt8(ascii: ":"))
        c.putOneLine(source)
        c.put(0x20)
        c.putOneLine(numeric.rawValue)
        c.put(0x20)
        c.putOneLine(nick)
    }
}
