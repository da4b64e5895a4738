/// Server bans: checked at connect (address) and at log-in (account), and
/// applied at once to matching users when set.
extension IRCServer {
    func activeBan(address: String) -> ServerBan? {
        accounts.activeBan(address: address, atMillis: clock.wallMillis)
    }

    func activeBan(account: String) -> ServerBan? {
        accounts.activeBan(account: account, atMillis: clock.wallMillis)
    }

    /// Adds (or replaces) a ban and disconnects the users it covers; returns their nicks.
    @discardableResult
    func addBan(_ ban: ServerBan) -> [String] {
        accounts.addBan(ban)
        logger.notice("ban \(ban.kind.rawValue) \(ban.pattern.escapedForLog): \(ban.reason.escapedForLog)")
        var removed: [String] = []
        for client in Array(clients.all) {
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
        accounts.removeBan(kind: kind, pattern: pattern)
    }

    /// Bans still in force; expired ones are dropped from memory here.
    func currentBans() -> [ServerBan] {
        accounts.currentBans(atMillis: clock.wallMillis)
    }
}

