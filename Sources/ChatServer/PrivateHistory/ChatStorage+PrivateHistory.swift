import GRDB

/// Private-message history: the messages themselves are rows of `message`
/// under a conversation key (so the writer, the readers and retention treat
/// them like a channel's); `privateConversation` lists, per account, whom
/// it has talked to, for `CHATHISTORY TARGETS`.
extension ChatStorage {
    static func registerPrivateHistoryMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v7: private history") { db in
            try db.create(table: "privateConversation") { t in
                t.column("account", .text).notNull()
                t.column("peer", .text).notNull()
                t.column("peerName", .text).notNull()
                t.column("conversation", .text).notNull()
                t.primaryKey(["account", "peer"])
            }
        }
    }

    /// Records that the two sides talk, for each side that is an account
    /// (a guest lists nothing: it cannot read history); idempotent.
    func savePrivateConversation(_ c: PrivateConversation) throws {
        try database.write { db in
            let sql = """
                INSERT INTO privateConversation (account, peer, peerName, conversation) VALUES (?, ?, ?, ?)
                ON CONFLICT(account, peer) DO UPDATE SET peerName = excluded.peerName
                """
            if !c.first.hasPrefix(PrivateHistory.guestMark) {
                try db.execute(sql: sql, arguments: [c.first, c.second, c.secondName, c.key])
            }
            if !c.second.hasPrefix(PrivateHistory.guestMark) {
                try db.execute(sql: sql, arguments: [c.second, c.first, c.firstName, c.key])
            }
        }
    }

    /// For each of `channels` (folded name → name) and each conversation of
    /// `account`, the time of its newest message; targets without one are
    /// left out. One index seek per target.
    func historyTargets(account: String?, channels: [String: String]) throws -> [HistoryTarget] {
        try database.read { db in
            var candidates = channels.map { (key: $0.key, name: $0.value) }
            if let account {
                for row in try Row.fetchAll(db, sql: "SELECT peerName, conversation FROM privateConversation WHERE account = ?",
                                            arguments: [account]) {
                    candidates.append((key: row["conversation"], name: row["peerName"]))
                }
            }
            let newest = try db.cachedStatement(sql: "SELECT MAX(timeMillis) FROM message WHERE channel = ?")
            var found: [HistoryTarget] = []
            for candidate in candidates {
                if let last = try Int64.fetchOne(newest, arguments: [candidate.key]) {
                    found.append(HistoryTarget(key: candidate.key, name: candidate.name, lastMillis: last))
                }
            }
            return found
        }
    }
}
