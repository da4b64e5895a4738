/// RFC 2812 commands about other servers, services and the host: chatd is
/// one server with no services linked in, so each has a short, standard
/// answer rather than 421 (a client or script that sends them learns what
/// is there, as ngIRCd and InspIRCd answer them).
///
/// | command | answer |
/// |---|---|
/// | `SERVLIST [mask [type]]` | 235: no services to list |
/// | `SQUERY <service> <text>` | 408: no such service |
/// | `SUMMON`, `USERS` | 445 / 446: disabled (RFC 2812 §4.5, §4.6) |
/// | `TRACE [target]` | 204/205 per user (operators and oneself; an operator sees everyone), 262 |
/// | `CONNECT`, `SQUIT` | 481 to users; to operators 402, there being no other server |
///
/// Thread-safety: loop thread only (handlers run inside `IRCServer.dispatch`).
enum SingleServerCommands {
    static let all: [CommandSpec] = [
        CommandSpec("SERVLIST", servlist),
        CommandSpec("SQUERY", minParams: 1, squery),
        CommandSpec("SUMMON", { server, client, _ in server.reply(client, standard: .summonDisabled) }),
        CommandSpec("USERS", { server, client, _ in server.reply(client, standard: .usersDisabled) }),
        CommandSpec("TRACE", trace),
        CommandSpec("CONNECT", minParams: 1, link),
        CommandSpec("SQUIT", minParams: 1, link),
    ]

    static func servlist(_ server: IRCServer, _ client: Client, _ message: IRCMessage) throws {
        let mask = message.params.first.flatMap { $0.isEmpty ? nil : $0 } ?? "*"
        let type = message.params.count > 1 ? message.params[1] : "*"
        server.reply(client, standard: .servListEnd, mask, type)
    }

    static func squery(_ server: IRCServer, _ client: Client, _ message: IRCMessage) throws {
        guard message.params.count > 1, !message.params[1].isEmpty else { throw IRCError(standard: .noTextToSend) }
        throw IRCError(standard: .noSuchService, message.params[0])
    }

    /// `TRACE [nick or server]`: this server's users (RFC 2812 §3.4.8), one
    /// 204 (operator) or 205 (user) each, then 262. Without operator rights
    /// one sees the operators and oneself, as on ngIRCd; an operator sees
    /// everyone. There are no connection classes: the class shown is "users".
    static func trace(_ server: IRCServer, _ client: Client, _ message: IRCMessage) throws {
        var shown: [Client]
        if let target = message.params.first, !target.isEmpty, !CaseMapping.globMatch(target, server.serverName) {
            guard let user = server.client(named: target) else { throw IRCError(standard: .noSuchServer, target) }
            shown = [user]
        } else {
            shown = server.clients.all.filter { $0.isRegistered && ($0.isOperator || $0 === client || client.isOperator) }
            shown.sort { $0.nick < $1.nick }
        }
        // Paced: an operator's TRACE lists every user.
        server.pacedReplies.send(PacedReply(shown, line: { server, asker, user in
            guard user.state != .quitting else { return }
            if user.isOperator {
                server.reply(asker, .traceOperator, "Oper", "users", user.nick)
            } else {
                server.reply(asker, .traceUser, "User", "users", user.nick)
            }
        }, end: { server, asker in
            server.reply(asker, standard: .traceEnd, server.serverName, "chatd-\(ChatServerVersion.string)")
        }), to: client)
    }

    /// CONNECT and SQUIT: linking is for operators, and there is nothing to
    /// link to or split from.
    static func link(_ server: IRCServer, _ client: Client, _ message: IRCMessage) throws {
        guard client.isOperator else { throw IRCError(standard: .noPrivileges) }
        throw IRCError(standard: .noSuchServer, message.params[0])
    }
}
