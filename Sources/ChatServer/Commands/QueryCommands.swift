/// Looking things up: WHO, WHOIS, WHOWAS, LUSERS, MOTD, VERSION, TIME, ADMIN, ISON, USERHOST.
///
/// Thread-safety: loop thread only (handlers run inside `IRCServer.dispatch`).
enum QueryCommands {
    static let all: [CommandSpec] = [
        CommandSpec("WHO", who),
        CommandSpec("WHOIS", minParams: 1, whois),
        CommandSpec("WHOWAS", minParams: 1, whowas),
        // LUSERS [<mask> [<target>]]: the mask only narrows a multi-server count.
        CommandSpec("LUSERS", { server, client, message in
            try ServerTarget.check(ServerTarget.param(message, 1), on: server)
            server.sendLusers(to: client)
        }),
        CommandSpec("MOTD", { server, client, message in
            try ServerTarget.check(ServerTarget.param(message, 0), on: server)
            server.sendMotd(to: client)
        }),
        CommandSpec("VERSION", version),
        CommandSpec("TIME", { server, client, message in
            try ServerTarget.check(ServerTarget.param(message, 0), on: server)
            server.reply(client, .time, server.serverName, server.currentTime())
        }),
        CommandSpec("ADMIN", admin),
        CommandSpec("ISON", minParams: 1, ison),
        CommandSpec("USERHOST", minParams: 1, userhost),
    ]

    static func who(_ server: IRCServer, _ client: Client, _ message: IRCMessage) throws {
        let mask = message.params.first ?? "*"
        // WHOX ("%fields") has its own replies (WhoxCommands.swift).
        if message.params.count > 1, let request = WhoxCommands.Request(message.params[1]) {
            return WhoxCommands.who(server, client, mask: mask, request)
        }
        let operatorsOnly = message.params.count > 1 && message.params[1].contains("o")
        let matches = WhoMatches(server, client, mask: mask, operatorsOnly: operatorsOnly)
        // Paced: a WHO of a big channel or of `*` can pass the send queue.
        server.pacedReplies.send(PacedReply(matches.users, line: { server, asker, user in
            guard let (channel, membership) = matches.place(of: user, for: asker) else { return }
            whoReply(server, asker, user, channel: channel, membership: membership)
        }, end: { server, asker in
            server.reply(asker, standard: .endOfWho, mask)
        }), to: client)
    }

    static func sharesChannel(_ a: Client, _ b: Client) -> Bool {
        let (small, large) = a.channels.count <= b.channels.count ? (a, b) : (b, a)
        return small.channels.keys.contains { large.channels[$0] != nil }
    }

    static func whoReply(_ server: IRCServer, _ asker: Client, _ other: Client, channel: String, membership: Channel.Membership) {
        var flags = other.away == nil ? "H" : "G"
        if other.isOperator { flags += "*" }
        if other.isBot { flags += "B" }
        flags += membership.prefix(all: asker.caps.contains(.multiPrefix))
        server.reply(asker, .whoReply, channel, other.user ?? "*", other.host, server.serverName, other.nick, flags, "0 \(other.realName)")
    }

    static func whois(_ server: IRCServer, _ client: Client, _ message: IRCMessage) throws {
        // "WHOIS <target> <nicks>" names the nicks last; the target is this
        // server or a user on it. RFC 2812 §3.6.2 takes a comma list of
        // nicks: each gets its own replies, ending in its own 318.
        // "WHOIS bob bob" (a client's "remote whois") asks bob's server about
        // bob: for a bob who is not here, 401 says more than 402 would.
        if message.params.count > 1 && CaseMapping.fold(message.params[0]) != CaseMapping.fold(message.params[1]) {
            try ServerTarget.check(message.params[0], on: server)
        }
        let list = message.params[message.params.count > 1 ? 1 : 0]
        guard !list.isEmpty else { throw IRCError(standard: .noNicknameGiven) }
        for nick in try ChannelCommands.targets(list, server: server) {
            whois(server, client, nick: nick)
        }
    }

    static func whois(_ server: IRCServer, _ client: Client, nick: String) {
        guard let other = server.client(named: nick) else {
            server.send(client, error: .noSuchNick(nick))
            server.reply(client, standard: .endOfWhois, nick)
            return
        }
        server.reply(client, .whoisUser, other.nick, other.user ?? "*", other.host, "*", other.realName)
        let visible = other.channels.values
            .filter { other === client || $0.isMember(client) || (!other.isInvisible && $0.isVisible(to: client)) }
            .sorted { $0.folded < $1.folded }
            .map { ($0.membership(of: other) ?? []).prefix(all: client.caps.contains(.multiPrefix)) + $0.name }
        if !visible.isEmpty {
            server.reply(client, .whoisChannels, other.nick, visible.joined(separator: " "))
        }
        server.reply(client, .whoisServer, other.nick, server.serverName, server.config.serverDescription)
        if let away = other.away { server.reply(client, .away, other.nick, away) }
        if other.isOperator { server.reply(client, .whoisOperator, other.nick, "is an IRC operator") }
        if other.isBot { server.reply(client, standard: .whoisBot, other.nick) }
        if let account = other.account { server.reply(client, .whoisAccount, other.nick, account, "is logged in as") }
        if other.connection.isSecure { server.reply(client, .whoisSecure, other.nick, "is using a secure connection") }
        let idle = (server.clock.monotonicNanos &- other.lastMessageNanos) / 1_000_000_000
        server.reply(client, .whoisIdle, other.nick, String(idle), String(other.connectedAtMillis / 1000), "seconds idle, signon time")
        server.reply(client, standard: .endOfWhois, other.nick)
    }

    /// WHOWAS <nick>[,<nick>…] [<count> [<target>]] (RFC 2812 §3.6.3): a 406
    /// for each nick never seen, up to `count` entries for each of the others
    /// (314 and 312), and one 369.
    static func whowas(_ server: IRCServer, _ client: Client, _ message: IRCMessage) throws {
        try ServerTarget.check(ServerTarget.param(message, 2), on: server)
        guard !message.params[0].isEmpty else { throw IRCError(standard: .noNicknameGiven) }
        // A count of 0 or less (or none) means every entry kept; the ring is bounded.
        let count = message.params.count > 1 ? Int(message.params[1]) ?? 0 : 0
        let nicks = try ChannelCommands.targets(message.params[0], server: server)
        var found: [WhowasHistory.Entry] = []
        for nick in nicks {
            let entries = server.clients.whowas(nick, max: count > 0 ? count : Int.max)
            if entries.isEmpty { server.reply(client, standard: .wasNoSuchNick, nick) }
            found += entries
        }
        // Newest first across every nick asked for (the modern docs' reverse
        // chronological order; irctest's testWhowasMultiTarget), then one
        // 369 naming the list. The sort is stable: one nick's entries are
        // already newest first.
        found.sort { $0.atMillis > $1.atMillis }
        for entry in found {
            server.reply(client, .whowasUser, entry.nick, entry.user, entry.host, "*", entry.realName)
            server.reply(client, .whoisServer, entry.nick, entry.server, ServerTime.format(millis: entry.atMillis))
        }
        server.reply(client, standard: .endOfWhowas, nicks.joined(separator: ","))
    }

    static func version(_ server: IRCServer, _ client: Client, _ message: IRCMessage) throws {
        try ServerTarget.check(ServerTarget.param(message, 0), on: server)
        server.reply(client, .version, "chatd-\(ChatServerVersion.string)", server.serverName, "epoll reactor")
        for line in server.isupportLines() {
            server.reply(client, .isupport, line + ["are supported by this server"])
        }
    }

    /// ADMIN [<target>]: 256 then the location (257), the server (258) and
    /// a contact (259), as RFC 2812 §3.4.9 lists them.
    static func admin(_ server: IRCServer, _ client: Client, _ message: IRCMessage) throws {
        try ServerTarget.check(ServerTarget.param(message, 0), on: server)
        server.reply(client, .adminMe, server.serverName, "Administrative info")
        server.reply(client, .adminLoc1, server.config.adminLocation ?? server.config.networkName)
        server.reply(client, .adminLoc2, "chatd \(ChatServerVersion.string) at \(server.serverName)")
        server.reply(client, .adminEmail, server.config.adminEmail ?? "no contact address set")
    }

    static func ison(_ server: IRCServer, _ client: Client, _ message: IRCMessage) throws {
        let nicks = message.params.flatMap { $0.split(separator: " ") }.prefix(64)
        let online = nicks.compactMap { server.client(named: String($0))?.nick }
        server.reply(client, .ison, online.joined(separator: " "))
    }

    static func userhost(_ server: IRCServer, _ client: Client, _ message: IRCMessage) throws {
        let replies = message.params.prefix(5).compactMap { nick -> String? in
            guard let other = server.client(named: nick) else { return nil }
            return "\(other.nick)\(other.isOperator ? "*" : "")=\(other.away == nil ? "+" : "-")\(other.user ?? "*")@\(other.host)"
        }
        server.reply(client, .userhost, replies.joined(separator: " "))
    }
}
