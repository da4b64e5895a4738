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
        var text = message.params.count > 1 ? message.params[1] : ""
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
        if kind != .tagmsg {
            text = fitted(text, from: client, kind: kind, longestTarget: targets.map(\.utf8.count).max() ?? 0,
                          maxLineLength: server.limits.maxLineLength)
        }
        client.lastMessageNanos = server.clock.monotonicNanos
        // Client-only tags travel with the message, plus a msgid for this
        // copy. A TAGMSG without any still goes through the checks (401, 404).
        var tags = client.caps.contains(.messageTags) ? message.tags.filter(\.isClientOnly) : []
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

    /// `text` cut (at a character's end) so the line as relayed,
    /// `:nick!user@host PRIVMSG <target> :<text>` and CR LF, fits in
    /// `maxLineLength` (tags aside), as RFC 2812 §2.3 and `LINELEN` say: the
    /// sender's line fitted, but the source the server adds did not count.
    /// Clients that split long messages leave room for it, so this rarely
    /// cuts; the echo and the history get the same text as the receivers.
    static func fitted(_ text: String, from client: Client, kind: Kind, longestTarget: Int, maxLineLength: Int) -> String {
        let overhead = 1 + client.mask.utf8.count + 1 + kind.command.utf8.count + 1 + longestTarget + 2 + 2
        let room = max(1, maxLineLength - overhead)
        guard text.utf8.count > room else { return text }
        let cut = NameRules.truncate(text, maxBytes: room)
        guard cut.isEmpty else { return cut }
        // One grapheme wider than the room (a letter with hundreds of
        // combining marks): cut between scalars rather than relay nothing.
        var size = 0
        return String(String.UnicodeScalarView(text.unicodeScalars.prefix {
            size += String($0).utf8.count
            return size <= room
        }))
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
