import CoreLoop

/// Delivering PRIVMSG/NOTICE/TAGMSG to a channel (optionally only its @ or +
/// members) or to one user.
extension IRCServer {
    func deliver(_ message: IRCMessage, from sender: Client, to target: String, tags: [IRCTag], kind: MessageCommands.Kind) throws {
        // Bot mode: message-tags clients see a `bot` tag on what bots send.
        let tags = sender.isBot ? tags + [IRCTag("bot", nil)] : tags
        var name = Substring(target)
        var minimum: Channel.Membership = []
        // STATUSMSG: "@#chan" reaches operators, "+#chan" voiced members and operators.
        if name.hasPrefix("@") { minimum = .op; name = name.dropFirst() }
        else if name.hasPrefix("+") { minimum = .voice; name = name.dropFirst() }

        if name.hasPrefix("#") {
            guard let channel = channel(named: String(name)) else { throw IRCError.noSuchNick(target) }
            try checkCanSend(sender, to: channel)
            let now = wallNow()  // the same instant in the history row and the time tag
            var fanout = Fanout(message, tags: tags, time: now.text, account: sender.account)
            if kind != .tagmsg, minimum.isEmpty, let history, let msgid = tags.first(where: { $0.key == "msgid" })?.value {
                history.record(channel: channel, source: sender.mask, account: sender.account, command: message.command,
                               text: message.params.last ?? "", msgid: msgid, timeMillis: now.millis)
            }
            let delivered = deliver(&fanout, to: channel.roster.entries, except: sender.id, minimum: minimum,
                                    tagmsg: kind == .tagmsg)
            if sender.caps.contains(.echoMessage) {
                sender.transport.send(fanout.chunk(for: sender.caps))
            }
            stats.messagesRelayed += 1
            stats.linesOut += UInt64(delivered)
            return
        }

        guard let recipient = client(named: String(name)) else { throw IRCError.noSuchNick(target) }
        if kind == .tagmsg && !recipient.caps.contains(.messageTags) { return }
        let now = wallNow()  // the same instant in the history row and the time tag
        var fanout = Fanout(message, tags: tags, time: now.text, account: sender.account)
        recipient.transport.send(fanout.chunk(for: recipient.caps))
        if kind != .tagmsg { privateHistory.record(message, from: sender, to: recipient, tags: tags, timeMillis: now.millis) }
        if sender.caps.contains(.echoMessage) && recipient !== sender {
            sender.transport.send(fanout.chunk(for: sender.caps))
        }
        if kind == .privmsg, let away = recipient.away {
            reply(sender, .away, recipient.nick, away)
        }
        stats.messagesRelayed += 1
    }

    /// The per-member loop of a channel message: the hot path of fan-out.
    /// It walks the roster's contiguous entries and borrows each client
    /// unmanaged, so no member is retained or released; the chunk is looked
    /// up again only when a member's wire form differs from the previous
    /// member's. `entries` is a copy taken before the loop: a send never
    /// removes a member synchronously (a send queue over its limit closes
    /// in the before-sleep phase), and the copy keeps the walk well-defined
    /// even if one did.
    private func deliver(_ fanout: inout Fanout, to entries: ContiguousArray<ChannelRoster.Entry>, except senderID: UInt64,
                         minimum: Channel.Membership, tagmsg: Bool) -> Int {
        var delivered = 0
        var lastForm = -1
        var chunk: ByteChunk?
        for entry in entries where entry.id != senderID {
            if !minimum.isEmpty {
                let m = entry.membership
                guard m.contains(.op) || (minimum == .voice && m.contains(.voice)) else { continue }
            }
            entry.client._withUnsafeGuaranteedRef { client in
                let caps = client.caps
                if tagmsg && !caps.contains(.messageTags) { return }
                let form = fanout.form(for: caps)
                if form != lastForm {
                    chunk = fanout.chunk(form: form)
                    lastForm = form
                }
                // `transport` without the getter's existential copy: only the
                // client whose command is running can have a label capture.
                if let capture = client.labelCapture {
                    _ = capture.send(chunk!)
                } else {
                    client.connection.send(chunk!)
                }
                delivered += 1
            }
        }
        return delivered
    }

    /// +n: members only; +m: voiced or operators only; bans: silenced unless voiced.
    func checkCanSend(_ client: Client, to channel: Channel) throws {
        let membership = channel.membership(of: client)
        if client.isOperator { return }
        let privileged = membership.map { $0.contains(.op) || $0.contains(.voice) } ?? false
        if membership == nil && channel.noExternalMessages {
            throw IRCError(.cannotSendToChan, channel.name, "Cannot send to channel (no external messages)")
        }
        if channel.moderated && !privileged {
            throw IRCError(.cannotSendToChan, channel.name, "Cannot send to channel (+m)")
        }
        if !privileged && channel.isBanned(client) {
            throw IRCError(.cannotSendToChan, channel.name, "Cannot send to channel (you are banned)")
        }
    }
}
