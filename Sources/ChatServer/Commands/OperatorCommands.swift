/// Server operators: OPER, KILL, WALLOPS, REHASH and DIE.
///
/// Thread-safety: loop thread only (handlers run inside `IRCServer.dispatch`).
enum OperatorCommands {
    static let all: [CommandSpec] = [
        CommandSpec("OPER", minParams: 2, oper),
        CommandSpec("KILL", minParams: 1, kill),
        CommandSpec("WALLOPS", minParams: 1, wallops),
        CommandSpec("REHASH", rehash),
        CommandSpec("DIE", die),
    ]

    static func oper(_ server: IRCServer, _ client: Client, _ message: IRCMessage) throws {
        let name = message.params[0], password = message.params[1]
        // The log-in throttle guards OPER too: per address and per operator name.
        let keys = ["oper-ip:" + client.host, "oper:" + name]
        let now = server.clock.monotonicNanos
        let wait = server.accounts.retryAfter(keys, now: now)
        if wait > 0 {
            server.logger.warning("OPER throttled for \(name.escapedForLog) from \(client.host)")
            throw IRCError(.passwdMismatch, "Too many failed OPER attempts; try again in \(wait) seconds")
        }
        guard let credential = server.config.operators.first(where: { $0.name == name }),
              CaseMapping.globMatch(credential.hostMask, client.host) else {
            server.accounts.recordFailure(keys, now: now)
            server.logger.warning("failed OPER as \(name.escapedForLog) from \(client.host): no such operator for that host")
            throw IRCError(.noOperHost, "No O-lines for your host")
        }
        guard constantTimeEqual(password, credential.password) else {
            server.accounts.recordFailure(keys, now: now)
            server.logger.warning("failed OPER as \(name.escapedForLog) from \(client.host): wrong password")
            throw IRCError(standard: .passwdMismatch)
        }
        server.accounts.recordSuccess(account: keys[1])
        // Rights from OPER are the client's own, whatever account it moves to later.
        client.operatorByAccount = false
        guard !client.isOperator else { return }
        server.setUserModes(client, operator: true)
        server.logger.notice("\(client.nick) is now an IRC operator (\(name.escapedForLog))")
        server.reply(client, .youreOper, "You are now an IRC operator")
        server.send(client, IRCMessage(source: client.mask, command: "MODE", params: [client.nick, "+o"]))
    }

    static func kill(_ server: IRCServer, _ client: Client, _ message: IRCMessage) throws {
        guard client.isOperator else {
            throw IRCError(standard: .noPrivileges)
        }
        let nick = message.params[0]
        guard let target = server.client(named: nick) else { throw IRCError.noSuchNick(nick) }
        let reason = message.params.count > 1 ? NameRules.truncate(message.params[1], maxBytes: server.limits.kickReasonLength) : "No reason given"
        server.kill(target, by: client.nick, source: client.mask, reason: reason)
    }

    /// WALLOPS <text>: an operator's message to every user with +w (RFC 2812
    /// §4.7; the modern docs let servers keep it to operators, which 481
    /// does for senders). The sender sees it only if it has +w too.
    static func wallops(_ server: IRCServer, _ client: Client, _ message: IRCMessage) throws {
        guard client.isOperator else { throw IRCError(standard: .noPrivileges) }
        let text = message.params[0]
        guard !text.isEmpty else { throw IRCError.needMoreParams("WALLOPS") }
        // One encoding shared by every reader; a rare operator command, so a
        // scan of the users is cheaper than keeping a +w list in step.
        var fanout = Fanout(IRCMessage(source: client.mask, command: "WALLOPS", params: [text]),
                            time: server.currentTime(), account: client.account)
        for other in server.clients.all where other.isRegistered && other.receivesWallops {
            other.transport.send(fanout.chunk(for: other.caps))
        }
    }

    /// REHASH (modern docs): re-reads the configuration file and the TLS
    /// certificate, as SIGHUP and `chatctl reload` do. 382 RPL_REHASHING
    /// names the file at once; the file is read on a worker, and what came
    /// of it (settings that need a restart, or why the file was refused and
    /// the running configuration kept) follows as server NOTICEs.
    static func rehash(_ server: IRCServer, _ client: Client, _ message: IRCMessage) throws {
        guard client.isOperator else { throw IRCError(standard: .noPrivileges) }
        guard let reloader = server.control, let file = reloader.configurationFile else {
            throw IRCError(.unknownError, "REHASH", "chatd runs on its built-in defaults: there is no configuration file to re-read")
        }
        server.reply(client, .rehashing, file, "Rehashing")
        server.logger.notice("\(client.nick) is rehashing the server")
        let clientID = client.id
        reloader.rehash { configuration, certificate in
            // The operator may have left while the worker read the file.
            guard let client = server.clients[clientID] else { return }
            var lines: [String]
            switch configuration {
            case .success(let notes): lines = ["Rehash done"] + notes
            case .failure(let error): lines = ["Rehash failed: \(error)"]
            }
            lines += certificate
            for line in lines {
                server.send(client, IRCMessage(source: server.serverName, command: "NOTICE", params: [client.nick, "*** " + line]))
            }
        }
    }

    /// `DIE <server name>`: the graceful shutdown SIGTERM and `chatctl
    /// shutdown` start (clients told, queues drained, storage committed).
    /// The server's name is required, as on InspIRCd, so a /die typed into
    /// the wrong window stops nothing.
    static func die(_ server: IRCServer, _ client: Client, _ message: IRCMessage) throws {
        guard client.isOperator else { throw IRCError(standard: .noPrivileges) }
        guard let name = message.params.first, !name.isEmpty else {
            throw IRCError(.needMoreParams, "DIE", "Name the server to stop it: DIE \(server.serverName)")
        }
        guard CaseMapping.fold(name) == CaseMapping.fold(server.serverName) else {
            throw IRCError(standard: .noSuchServer, name)
        }
        guard let control = server.control else {
            throw IRCError(.unknownError, "DIE", "chatd runs embedded here: there is no daemon to stop")
        }
        server.logger.notice("\(client.nick) (\(client.host)) stopped the server with DIE")
        control.die(message: "Server shutting down (DIE by \(client.nick))")
    }
}
