/// Server bans: checked at connect (address) and at log-in (account), and
/// applied at once to matching users when set.
extension IRCServer {
    func activeBan(address: String) -> ServerBan? {
        let now = clock.wallMillis
        return serverBans.first { $0.isActive(atMillis: now) && $0.matches(address: address) }
    }

    func activeBan(account: String) -> ServerBan? {
        let now = clock.wallMillis
        return serverBans.first { $0.isActive(atMillis: now) && $0.matches(account: account) }
    }

    /// Adds (or replaces) a ban and disconnects the users it covers; returns their nicks.
    @discardableResult
    func addBan(_ ban: ServerBan) -> [String] {
        serverBans.removeAll { $0.kind == ban.kind && $0.pattern == ban.pattern }
        serverBans.append(ban)
        logger.notice("ban \(ban.kind.rawValue) \(ban.pattern): \(ban.reason)")
        var removed: [String] = []
        for client in Array(clients.values) {
            let hit = ban.matches(address: client.host) || client.account.map { ban.matches(account: $0) } == true
            if hit {
                removed.append(client.nick)
                quit(client, reason: "You are banned from this server: \(ban.reason)")
            }
        }
        return removed
    }

    /// Returns false if there was no such ban.
    func removeBan(kind: ServerBan.Kind, pattern: String) -> Bool {
        let folded = kind == .account ? CaseMapping.fold(pattern) : pattern
        let before = serverBans.count
        serverBans.removeAll { $0.kind == kind && $0.pattern == folded }
        return serverBans.count < before
    }

    /// Bans still in force; expired ones are dropped from memory here.
    func currentBans() -> [ServerBan] {
        let now = clock.wallMillis
        serverBans.removeAll { !$0.isActive(atMillis: now) }
        return serverBans
    }
}

/// Account administration effects on connected users.
extension IRCServer {
    /// An account was deleted: its name is free again, and anyone logged in to it is logged out.
    func accountDeleted(_ name: String) {
        let folded = CaseMapping.fold(name)
        registeredAccounts[folded] = nil
        for client in clients.values where client.account.map(CaseMapping.fold) == folded {
            client.account = nil
            reply(client, .loggedOut, client.mask, "You are now logged out")
        }
        logger.notice("account \(name) deleted")
    }

    /// Applies a reloaded configuration: limits, accounts, history and MOTD.
    /// Listen addresses, data folder and server name need a restart.
    public func apply(_ new: ServerConfig, motdLines: [String]?) -> [String] {
        var notes: [String] = []
        if new.listen != config.listen { notes.append("listen addresses change on restart") }
        if new.dataDir != config.dataDir { notes.append("dataDir changes on restart") }
        if new.serverName != config.serverName { notes.append("serverName changes on restart") }
        if new.consoleSocket != config.consoleSocket { notes.append("consoleSocket changes on restart") }
        var applied = new
        applied.listen = config.listen
        applied.dataDir = config.dataDir
        applied.serverName = config.serverName
        applied.consoleSocket = config.consoleSocket
        config = applied
        self.motdLines = motdLines
        loginThrottle = LoginThrottle(maxFailures: new.accounts.loginMaxFailures, windowSeconds: new.accounts.loginFailureWindowSeconds)
        logger.notice("configuration reloaded")
        return notes
    }
}
