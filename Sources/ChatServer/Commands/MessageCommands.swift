/// Talking: PRIVMSG, NOTICE, TAGMSG, and AWAY.
///
/// NOTICE never provokes an error reply (RFC 2812 §3.3.2), so that two
/// automatons cannot loop on each other.
///
/// Thread-safety: loop thread only (handlers run inside `IRCServer.dispatch`).
enum MessageCommands {
    static let all: [CommandSpec] = [
        CommandSpec("PRIVMSG", { try relay($0, $1, $2, kind: .privmsg) }),
        CommandSpec("NOTICE", { try relay($0, $1, $2, kind: .notice) }),
        CommandSpec("TAGMSG", { try relay($0, $1, $2, kind: .tagmsg) }),
        // Before registration too, for draft/pre-away (the handler checks it).
        CommandSpec("AWAY", .always, away),
    ]

    enum Kind {
        case privmsg, notice, tagmsg
        var command: String {
            switch self {
            case .privmsg: return "PRIVMSG"
            case .notice: return "NOTICE"
            case .tagmsg: return "TAGMSG"
            }
        }
    }

    static func relay(_ server: IRCServer, _ client: Client, _ message: IRCMessage, kind: Kind) throws {
        // A line of a draft/multiline batch being received waits for the batch's end.
        if let ref = message.tag("batch"), server.multiline.absorb(client, message, ref: ref) { return }
        let quiet = kind == .notice
        guard let targetList = message.params.first, !targetList.isEmpty else {
            if quiet { return }
            throw IRCError(.noRecipient, "No recipient given (\(kind.command))")
        }
        let text = message.params.count > 1 ? message.params[1] : ""
        if kind != .tagmsg && text.isEmpty {
            if quiet { return }
            throw IRCError(standard: .noTextToSend)
        }
        var targets: [String]
        do {
            targets = try ChannelCommands.targets(targetList, server: server)
        } catch {
            if quiet { return }  // NOTICE is never answered with an error
            throw error
        }
        if targets.count > 1 {
            // "PRIVMSG bob,BOB" reaches bob once, as on ngIRCd and InspIRCd:
            // every target shares one msgid, and a reader (or the history
            // store) must not see the same msgid twice.
            var seen = Set<String>()
            targets = targets.filter { seen.insert(CaseMapping.fold($0)).inserted }
        }
        client.lastMessageNanos = server.clock.monotonicNanos
        // Client-only tags travel with the message, plus a msgid for this copy.
        var tags = client.caps.contains(.messageTags) ? message.tags.filter(\.isClientOnly) : []
        if kind == .tagmsg && tags.isEmpty { return }
        tags.insert(IRCTag("msgid", server.msgids.next()), at: 0)
        for target in targets {
            let params = kind == .tagmsg ? [target] : [target, text]
            do {
                try server.deliver(IRCMessage(source: client.mask, command: kind.command, params: params),
                                   from: client, to: target, tags: tags, kind: kind)
            } catch let error as IRCError {
                if !quiet { server.send(client, error: error) }
            }
        }
    }

    static func away(_ server: IRCServer, _ client: Client, _ message: IRCMessage) throws {
        // draft/pre-away: a client connecting in the background (a bouncer,
        // a phone fetching history) says so before it is announced anywhere.
        guard client.isRegistered || client.caps.contains(.preAway) else {
            return server.reply(client, standard: .notRegistered)
        }
        if let text = message.params.first, !text.isEmpty {
            client.away = NameRules.truncate(text, maxBytes: server.limits.awayLength)
            server.reply(client, .nowAway, "You have been marked as being away")
        } else {
            client.away = nil
            server.reply(client, .unaway, "You are no longer marked as being away")
        }
        guard client.isRegistered else { return }  // nobody knows of it yet
        let notice = IRCMessage(source: client.mask, command: "AWAY", params: client.away.map { [$0] } ?? [])
        server.broadcastToPeers(of: client, notice, includeSelf: false, requiring: .awayNotify)
    }
}
