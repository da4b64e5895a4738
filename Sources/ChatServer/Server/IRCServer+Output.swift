import CoreLoop

/// Sending: replies to one client, messages to a channel or to everyone who
/// shares a channel with someone.
extension IRCServer {
    /// `:server NUMERIC <nick> params…`
    func reply(_ client: Client, _ numeric: Numeric, _ params: String...) {
        reply(client, numeric, params)
    }

    /// Encoded straight into the reply buffer (`NumericReply`): the same
    /// bytes as `send(client, IRCMessage(…))`, without building the message.
    func reply(_ client: Client, _ numeric: Numeric, _ params: [String], trailing: String? = nil) {
        var params = params, trailing = trailing
        ReplyFitting.fitNumeric(&params, trailing: &trailing, serverName: serverName, nick: client.nick, limit: limits.maxLineLength)
        let prefix = timePrefix(for: client)
        replies.buffer.removeAll(keepingCapacity: true)
        replies.buffer += prefix
        NumericReply.encode(source: serverName, numeric, nick: client.nick, params, trailing: trailing, into: &replies.buffer)
        replies.pendingLines = 1
        flushReplies(to: client)
    }

    /// `:server NUMERIC <nick> params… :<the numeric's standard text>`
    func reply(_ client: Client, standard numeric: Numeric, _ params: String...) {
        reply(client, numeric, params, trailing: numeric.standardText ?? "")
    }

    func send(_ client: Client, error: IRCError) {
        reply(client, error.numeric, error.params)
    }

    /// Sends one message to one client, with a timestamp if it asked for
    /// server-time: the message's own `time` tag if it has one (a replay),
    /// else now. Other tags only to message-tags clients.
    func send(_ client: Client, _ message: IRCMessage) {
        var out = message
        // A reply of ours (FAIL …) that echoes a client's words fits LINELEN too.
        if message.source == serverName { ReplyFitting.fitMessage(&out, limit: limits.maxLineLength) }
        if !client.caps.contains(.messageTags) && !message.tags.isEmpty {
            out.tags = client.caps.contains(.serverTime) ? message.tags.filter { $0.key == "time" } : []
        }
        if client.caps.contains(.serverTime) && out.tag("time") == nil {
            out.tags.insert(IRCTag("time", currentTime()), at: 0)
        }
        replies.buffer.removeAll(keepingCapacity: true)
        out.encode(into: &replies.buffer)
        replies.pendingLines = 1
        flushReplies(to: client)
    }

    /// Sends replies pre-encoded around the nick (untagged, as `send` would
    /// encode them), with the time tag `send` would add for server-time.
    func send(_ client: Client, preEncoded template: WelcomeTemplate) {
        let prefix = timePrefix(for: client)
        replies.buffer.removeAll(keepingCapacity: true)
        write(template, nick: client.nick, prefix: prefix)
        flushReplies(to: client)
    }

    func write(_ template: WelcomeTemplate, nick: String, prefix: [UInt8]) {
        template.write(nick: nick, prefix: prefix, into: &replies.buffer)
        replies.pendingLines += template.lineCount
    }

    /// Copies what the reply buffer holds into `client`'s queue: one reused
    /// buffer, so no allocation per reply line.
    func flushReplies(to client: Client) {
        replies.buffer.withUnsafeBytes { _ = client.transport.send(copying: $0) }
        stats.linesOut += UInt64(replies.pendingLines)
        replies.pendingLines = 0
    }

    /// `@time=… ` for a server-time client (what `send` adds), else nothing.
    func timePrefix(for client: Client) -> [UInt8] {
        guard client.caps.contains(.serverTime) else { return [] }
        var prefix: [UInt8] = [UInt8(ascii: "@")]
        IRCTag.encodeList([IRCTag("time", currentTime())], into: &prefix)
        prefix.append(0x20)
        return prefix
    }

    /// The wall clock now, in milliseconds and as a server-time value; the
    /// text is formatted once per millisecond, since every message asks.
    func wallNow() -> (millis: Int64, text: String) { replies.wallTime(millis: clock.wallMillis) }

    func currentTime() -> String { wallNow().text }

    /// Sends `message` to every member of `channel` (optionally not `except`).
    /// Serialized once per wire form; each member gets the shared bytes.
    /// `time`: the server-time to show (one already stored in history); nil: now.
    func broadcast(_ message: IRCMessage, to channel: Channel, except: Client? = nil,
                   tags: [IRCTag] = [], time: String? = nil, requiring cap: CapabilitySet = []) {
        var fanout = Fanout(message, tags: tags, time: time ?? currentTime())
        // The roster walk of a channel message: no member retained.
        _ = fanout.deliver(to: channel.roster.entries, except: except?.id ?? Fanout.nobody, minimum: [], requiring: cap)
        stats.linesOut += UInt64(channel.members.count)
    }

    /// Sends `message` once to each user sharing any channel with `client`.
    func broadcastToPeers(of client: Client, _ message: IRCMessage, includeSelf: Bool,
                          requiring cap: CapabilitySet = []) {
        var fanout = Fanout(message, time: currentTime())
        if includeSelf { client.transport.send(fanout.chunk(for: client.caps)) }
        // In one channel nobody can be met twice: no set to allocate, and the
        // roster walk of a channel message, which retains no member (a QUIT
        // from a client in one channel, as in every churn cycle; a crowd
        // leaving one big channel at once pays this per member per quit).
        if client.channels.count <= 1 && cap.isEmpty {
            if let channel = client.channels.values.first {
                _ = fanout.deliver(to: channel.roster.entries, except: client.id, minimum: [])
            }
            return
        }
        var seen: Set<UInt64> = [client.id]
        for channel in client.channels.values {
            for member in channel.members.values where seen.insert(member.client.id).inserted {
                guard member.client.caps.isSuperset(of: cap) else { continue }
                member.client.transport.send(fanout.chunk(for: member.client.caps))
            }
        }
        // Notifications that need a cap (AWAY, ACCOUNT, SETNAME) also reach extended-monitor watchers.
        if !cap.isEmpty { deliverToMonitors(of: client, &fanout, seen: &seen, requiring: cap) }
    }

    // MARK: MONITOR (its state and notifier live in Monitor/)

    /// Sends `items` joined by `separator` (commas for MONITOR, spaces for
    /// METADATA) under `numeric`, as many lines as it takes to keep each
    /// under the line limit.
    func replyList(_ client: Client, _ numeric: Numeric, _ items: [String], separator: String = ",") {
        let budget = 400 - client.nick.utf8.count
        var line = ""
        for item in items {
            if !line.isEmpty && line.utf8.count + 1 + item.utf8.count > budget {
                reply(client, numeric, line)
                line = ""
            }
            line += line.isEmpty ? item : separator + item
        }
        if !line.isEmpty { reply(client, numeric, line) }
    }

    /// extended-monitor: `client`'s watchers that have `cap` as well get the
    /// line too, unless they already had it (`seen`) through a channel.
    /// Called by `broadcastToPeers` for the notifications that need a cap.
    func deliverToMonitors(of client: Client, _ fanout: inout Fanout, seen: inout Set<UInt64>,
                           requiring cap: CapabilitySet) {
        guard let watchers = monitors.watchers(ofFolded: client.foldedNick) else { return }
        let needed = cap.union(.extendedMonitor)
        for watcher in watchers where watcher.isRegistered && watcher.caps.isSuperset(of: needed) {
            guard seen.insert(watcher.id).inserted else { continue }
            watcher.transport.send(fanout.chunk(for: watcher.caps))
            stats.linesOut += 1
        }
    }
}
