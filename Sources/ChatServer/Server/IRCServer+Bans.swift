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

