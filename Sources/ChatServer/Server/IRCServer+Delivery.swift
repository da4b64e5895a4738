import CoreLoop

/// Delivering PRIVMSG/NOTICE/TAGMSG to a channel (optionally only its @ or +
/// members) or to one user.
extension IRCServer {
    func deliver(_ message: IRCMessage, from sender: Client, to target: String, tags: [IRCTag], kind: MessageCommands.Kind) throws {
        var message = message
        // A TAGMSG without client-only tags carries nothing: it gets the
        // checks (401, 404) and goes no further.
        let carriesNothing = kind == .tagmsg && !tags.contains { $0.isClientOnly }
        // Bot mode: message-tags clients see a `bot` tag on what bots send.
        let tags = sender.isBot ? tags + IRCTag.botTags : tags
        var name = Substring(target)
        var minimum: Channel.Membership = []
        // STATUSMSG: "@#chan" reaches operators, "+#chan" voiced members and operators.
        if NameRules.hasPrefix(name, ascii: UInt8(ascii: "@")) { minimum = .op; name = name.dropFirst() }
        else if NameRules.hasPrefix(name, ascii: UInt8(ascii: "+")) { minimum = .voice; name = name.dropFirst() }

        if NameRules.hasPrefix(name, ascii: UInt8(ascii: "#")) {
            guard let channel = channel(named: String(name)) else { throw IRCError.noSuchNick(target) }
            try checkCanSend(sender, to: channel)
            if carriesNothing { return }
            if kind != .tagmsg { try checkCTCP(message.params.last ?? "", from: sender, to: channel) }
            // The channel's own spelling ("#Chat", not "#CHAT"), as ngIRCd
            // and InspIRCd relay it: clients match window names exactly.
            if name != channel.name {
                message.params[0] = String(target.dropLast(name.count)) + channel.name
            }
            let now = wallNow()  // the same instant in the history row and the time tag
            var fanout = Fanout(message, tags: tags, time: now.text, account: sender.account)
            if minimum.isEmpty, let history, kind != .tagmsg || EventPlayback.keepsTagmsg(tags),
               let msgid = tags.first(where: { $0.key == "msgid" })?.value {
                history.record(channel: channel, source: sender.mask, account: sender.account, command: message.command,
                               text: kind == .tagmsg ? "" : message.params.last ?? "", msgid: msgid, timeMillis: now.millis,
                               tags: EventPlayback.storedTags(tags))
            }
            let delivered = fanout.deliver(to: channel.roster.entries, except: sender.id, minimum: minimum,
                                           requiring: kind == .tagmsg ? .messageTags : [])
            if sender.caps.contains(.echoMessage) {
                sender.transport.send(fanout.chunk(for: sender.caps))
            }
            stats.messagesRelayed += 1
            stats.linesOut += UInt64(delivered)
            return
        }

        guard let recipient = client(named: String(name)) else { throw IRCError.noSuchNick(target) }
        if carriesNothing { return }
        if target != recipient.nick { message.params[0] = recipient.nick }  // the nick as its owner spells it
        let now = wallNow()  // the same instant in the history row and the time tag
        var fanout = Fanout(message, tags: tags, time: now.text, account: sender.account)
        // No TAGMSG to a client without message-tags; the sender's echo
        // still comes, as for a channel (and as InspIRCd does).
        if kind != .tagmsg || recipient.caps.contains(.messageTags) {
            // To oneself, the delivery is a message like any other, not the
            // command's answer: it bypasses a label capture, so with
            // echo-message the echo alone carries the label (two lines, as
            // for any target).
            let chunk = fanout.chunk(for: recipient.caps)
            if recipient === sender { recipient.connection.send(chunk) } else { recipient.transport.send(chunk) }
        }
        privateHistory.record(message, from: sender, to: recipient, tags: tags, timeMillis: now.millis)
        if sender.caps.contains(.echoMessage) {
            sender.transport.send(fanout.chunk(for: sender.caps))
        }
        if kind == .privmsg, let away = recipient.away {
            reply(sender, .away, recipient.nick, away)
        }
        stats.messagesRelayed += 1
    }

    /// +C: a CTCP request or reply other than ACTION is refused (404, the
    /// numeric the modern IRC docs prefer); server operators pass, as for
    /// the other modes.
    func checkCTCP(_ text: String, from client: Client, to channel: Channel) throws {
        guard channel.noCTCP, !client.isOperator, CTCPText.isCTCPOtherThanAction(text) else { return }
        throw IRCError(.cannotSendToChan, channel.name, "Cannot send to channel (+C: no CTCP but ACTION)")
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
