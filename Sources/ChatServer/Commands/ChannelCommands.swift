/// Channel membership and channel state: JOIN, PART, TOPIC, NAMES, LIST, KICK, INVITE.
///
/// Thread-safety: loop thread only (handlers run inside `IRCServer.dispatch`).
enum ChannelCommands {
    static let all: [CommandSpec] = [
        CommandSpec("JOIN", minParams: 1, join),
        CommandSpec("PART", minParams: 1, part),
        CommandSpec("TOPIC", minParams: 1, topic),
        CommandSpec("NAMES", names),
        CommandSpec("LIST", list),
        CommandSpec("KICK", minParams: 2, kick),
        CommandSpec("INVITE", invite),
    ]

    /// Splits a comma list, refusing more than the advertised target maximum.
    static func targets(_ param: String, server: IRCServer) throws -> [String] {
        // One target is the common case (every JOIN and PRIVMSG of the churn
        // bench): `split` on a Character cost ~7k instructions even then.
        if !param.isEmpty && !param.utf8.contains(UInt8(ascii: ",")) { return [param] }
        let list = param.split(separator: ",").map(String.init)
        if list.count > server.limits.maxTargets {
            throw IRCError(.tooManyTargets, param, "Too many targets, the maximum is \(server.limits.maxTargets)")
        }
        return list
    }

    static func join(_ server: IRCServer, _ client: Client, _ message: IRCMessage) throws {
        if message.params[0] == "0" {
            for channel in Array(client.channels.values) {
                server.partChannel(client, channel, reason: "Left all channels")
            }
            return
        }
        let names = try targets(message.params[0], server: server)
        let keys = message.params.count > 1 ? message.params[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init) : []
        for (i, name) in names.enumerated() {
            do {
                try server.joinChannel(client, name: name, key: i < keys.count ? keys[i] : nil)
            } catch let error as IRCError {
                server.send(client, error: error)  // one bad channel does not stop the rest
            }
        }
    }

    static func part(_ server: IRCServer, _ client: Client, _ message: IRCMessage) throws {
        let reason = message.params.count > 1 ? NameRules.truncate(message.params[1], maxBytes: server.limits.kickReasonLength) : nil
        for name in try targets(message.params[0], server: server) {
            guard let channel = server.channel(named: name) else {
                server.send(client, error: .noSuchChannel(name))
                continue
            }
            guard channel.members[client.id] != nil else {
                server.send(client, error: .notOnChannel(channel.name))
                continue
            }
            server.partChannel(client, channel, reason: reason)
        }
    }

    static func topic(_ server: IRCServer, _ client: Client, _ message: IRCMessage) throws {
        let name = message.params[0]
        // A +s channel is, to those outside it, a channel that does not
        // exist (RFC 2811 §4.2.6), as on InspIRCd: its topic is not shown.
        guard let channel = server.channel(named: name), channel.isVisible(to: client) else { throw IRCError.noSuchChannel(name) }
        guard message.params.count > 1 else {
            server.sendTopic(channel, to: client, whenEmpty: true)
            return
        }
        guard channel.members[client.id] != nil else { throw IRCError.notOnChannel(channel.name) }
        if channel.topicLocked && !channel.isOp(client) && !client.isOperator {
            throw IRCError.chanOpPrivsNeeded(channel.name)
        }
        let text = NameRules.truncate(message.params[1], maxBytes: server.limits.topicLength)
        // Setting the topic it already has changes nothing, so nobody is told
        // (modern docs: members hear of a topic "changed or cleared").
        if text == (channel.topic ?? "") { return }
        // A msgid and one instant for the live line and its history row
        // (draft/event-playback replays it; EventPlayback). The row goes to
        // the history writer now, in order with the messages before it; the
        // line is announced once the topic is stored (a labelled TOPIC's
        // response waits too). Strong captures (no weak reference: it would
        // give the channel a side table, slowing every retain of it in
        // fan-out); the closure lives only until the write completes.
        let (source, clientID) = (client.mask, client.id)
        let now = server.wallNow(), msgid = server.msgids.next()
        server.history?.record(channel: channel, source: source, account: client.account, command: "TOPIC",
                               text: text, msgid: msgid, timeMillis: now.millis)
        server.setTopic(channel, text: text, by: source, stored: LaterAnswers.wrap(client, on: server) { stored in
            guard stored else {
                if let client = server.clients[clientID] {
                    server.send(client, IRCMessage(source: server.serverName, command: "FAIL",
                                                   params: ["TOPIC", "STORAGE_FAILED", channel.name, "The topic could not be saved; it is unchanged"]))
                }
                return
            }
            server.broadcast(IRCMessage(source: source, command: "TOPIC", params: [channel.name, text]), to: channel,
                             tags: [IRCTag("msgid", msgid)], time: now.text)
        })
    }

    static func names(_ server: IRCServer, _ client: Client, _ message: IRCMessage) throws {
        guard let first = message.params.first, !first.isEmpty else {
            server.reply(client, .endOfNames, "*", "End of /NAMES list")
            return
        }
        let names = first.split(separator: ",").prefix(server.limits.maxTargets).map(String.init)
        guard names.count > 1 else {
            let name = names.first ?? first
            if let channel = server.channel(named: name) {
                server.sendNames(channel, to: client)
            } else {
                server.reply(client, standard: .endOfNames, name)
            }
            return
        }
        // Several channels: their 353s, then one 366 naming the list, as
        // irc2 answered RFC 1459's `NAMES #a,#b` (and irctest expects).
        for name in names {
            if let channel = server.channel(named: name) { server.sendNames(channel, to: client, endOfNames: false) }
        }
        server.reply(client, standard: .endOfNames, names.joined(separator: ","))
    }

    static func list(_ server: IRCServer, _ client: Client, _ message: IRCMessage) throws {
        server.reply(client, .listStart, "Channel", "Users  Name")
        let filter = ListFilter(message.params.first ?? "")
        let wanted: [Channel]
        if filter.onlyNames {
            var seen = Set<ObjectIdentifier>()
            wanted = filter.names.compactMap { server.channel(named: $0) }.filter { seen.insert(ObjectIdentifier($0)).inserted }
        } else {
            wanted = server.channels.sortedByName()
        }
        // Paced: thousands of channels with long topics pass the send queue.
        // Each channel is looked at when its line is sent; one emptied
        // (gone) meanwhile is left out.
        server.pacedReplies.send(PacedReply(wanted, line: { server, asker, channel in
            guard server.channels.contains(channel), channel.isVisible(to: asker) else { return }
            let nowSeconds = server.clock.wallMillis / 1000
            let visible = channel.members.values.filter { !$0.client.isInvisible || channel.members[asker.id] != nil }.count
            let subject = ListFilter.Subject(
                name: channel.name, users: visible, ageSeconds: nowSeconds - channel.createdAtSeconds,
                topicAgeSeconds: channel.topic == nil ? nil : nowSeconds - channel.topicSetAtSeconds)
            guard filter.admits(subject) else { return }
            server.reply(asker, .list, channel.name, String(visible), channel.topic ?? "")
        }, end: { server, asker in
            server.reply(asker, standard: .listEnd)
        }), to: client)
    }

    /// KICK <channel>[,<channel>…] <nick>[,<nick>…] [:<reason>]: one channel
    /// and several nicks, or as many channels as nicks, paired in order
    /// (RFC 2812 §3.2.8); any other shape is 461. Each kick goes out as its
    /// own one-channel, one-nick KICK.
    static func kick(_ server: IRCServer, _ client: Client, _ message: IRCMessage) throws {
        let names = try targets(message.params[0], server: server)
        let nicks = try targets(message.params[1], server: server)
        guard !names.isEmpty, !nicks.isEmpty, names.count == 1 || names.count == nicks.count else {
            throw IRCError.needMoreParams("KICK")
        }
        let reason = NameRules.truncate(message.params.count > 2 ? message.params[2] : client.nick, maxBytes: server.limits.kickReasonLength)
        if names.count == 1 {
            return try kick(server, client, from: names[0], nicks, reason: reason)
        }
        for (name, nick) in zip(names, nicks) {
            do {
                try kick(server, client, from: name, [nick], reason: reason)
            } catch let error as IRCError {
                server.send(client, error: error)  // one bad pair does not stop the rest
            }
        }
    }

    static func kick(_ server: IRCServer, _ client: Client, from name: String, _ nicks: [String], reason: String) throws {
        guard let channel = server.channel(named: name) else { throw IRCError.noSuchChannel(name) }
        // Server operators may kick anywhere; others must be channel operators there.
        if !client.isOperator {
            guard channel.members[client.id] != nil else { throw IRCError.notOnChannel(channel.name) }
            guard channel.isOp(client) else { throw IRCError.chanOpPrivsNeeded(channel.name) }
        }
        for nick in nicks {
            guard let target = server.client(named: nick) else {
                server.send(client, error: .noSuchNick(nick))
                continue
            }
            guard channel.members[target.id] != nil else {
                server.reply(client, standard: .userNotInChannel, target.nick, channel.name)
                continue
            }
            server.kick(target, from: channel, by: client.mask, reason: reason)
        }
    }

    static func invite(_ server: IRCServer, _ client: Client, _ message: IRCMessage) throws {
        // Bare INVITE lists the channels the client is invited to (336, 337),
        // as the modern docs describe and InspIRCd does; a rare command, so
        // it scans the channels rather than keeping a per-client index.
        if message.params.isEmpty {
            let now = server.clock.monotonicNanos
            for channel in server.channels.sortedByName() where channel.isInvited(client, now: now) {
                server.reply(client, .invitedChannel, channel.name)
            }
            server.reply(client, standard: .endOfInvitedChannels)
            return
        }
        guard message.params.count >= 2 else { throw IRCError.needMoreParams("INVITE") }
        let nick = message.params[0], name = message.params[1]
        guard let target = server.client(named: nick) else { throw IRCError.noSuchNick(nick) }
        guard let channel = server.channel(named: name) else { throw IRCError.noSuchChannel(name) }
        guard channel.members[client.id] != nil || client.isOperator else { throw IRCError.notOnChannel(channel.name) }
        if channel.inviteOnly && !channel.isOp(client) && !client.isOperator {
            throw IRCError.chanOpPrivsNeeded(channel.name)
        }
        guard channel.members[target.id] == nil else {
            throw IRCError(standard: .userOnChannel, target.nick, channel.name)
        }
        server.invite(target, to: channel)
        server.reply(client, .inviting, target.nick, channel.name)
        if let away = target.away { server.reply(client, .away, target.nick, away) }
        // Through Fanout, so an account-tag client sees who invited it.
        var fanout = Fanout(IRCMessage(source: client.mask, command: "INVITE", params: [target.nick, channel.name]),
                            time: server.currentTime(), account: client.account)
        target.transport.send(fanout.chunk(for: target.caps))
        // IRCv3 invite-notify: members who asked for it see the same INVITE.
        for member in channel.members.values where member.client !== client && member.client.caps.contains(.inviteNotify) {
            member.client.transport.send(fanout.chunk(for: member.client.caps))
        }
    }
}
