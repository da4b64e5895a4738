import GRDB

/// Bans and account administration, for the console.
extension ChatStorage {
    static func registerAdminMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v2: bans") { db in
            try db.create(table: "ban") { t in
                t.column("kind", .text).notNull()
                t.column("pattern", .text).notNull()
                t.column("reason", .text).notNull()
                t.column("setAtMillis", .integer).notNull()
                t.column("expiresAtMillis", .integer)
                t.primaryKey(["kind", "pattern"])
            }
        }
    }

    public func saveBan(_ ban: ServerBan) throws {
        try database.write { db in
            try db.execute(sql: """
                INSERT OR REPLACE INTO ban (kind, pattern, reason, setAtMillis, expiresAtMillis) VALUES (?, ?, ?, ?, ?)
                """, arguments: [ban.kind.rawValue, ban.pattern, ban.reason, ban.setAtMillis, ban.expiresAtMillis])
        }
    }

    public func deleteBan(kind: ServerBan.Kind, pattern: String) throws {
        try database.write { db in
            try db.execute(sql: "DELETE FROM ban WHERE kind = ? AND pattern = ?", arguments: [kind.rawValue, pattern])
        }
    }

    public func bans() throws -> [ServerBan] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM ban ORDER BY setAtMillis").compactMap { row in
                guard let kind = ServerBan.Kind(rawValue: row["kind"]) else { return nil }
                return ServerBan(kind: kind, pattern: row["pattern"], reason: row["reason"],
                                 setAtMillis: row["setAtMillis"], expiresAtMillis: row["expiresAtMillis"])
            }
        }
    }

    public func allAccounts() throws -> [AccountRecord] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM account ORDER BY folded").map(Self.account(from:))
        }
    }

    /// Returns false if there was no such account.
    @discardableResult
    public func deleteAccount(named name: String) throws -> Bool {
        try database.write { db in
            try db.execute(sql: "DELETE FROM account WHERE folded = ?", arguments: [CaseMapping.fold(name)])
            return db.changesCount > 0
        }
    }

    @discardableResult
    public func setOperator(_ name: String, _ isOperator: Bool) throws -> Bool {
        try database.write { db in
            try db.execute(sql: "UPDATE account SET isOperator = ? WHERE folded = ?", arguments: [isOperator, CaseMapping.fold(name)])
            return db.changesCount > 0
        }
    }

    @discardableResult
    public func setPasswordHash(_ name: String, _ hash: String) throws -> Bool {
        try database.write { db in
            try db.execute(sql: "UPDATE account SET passwordHash = ? WHERE folded = ?", arguments: [hash, CaseMapping.fold(name)])
            return db.changesCount > 0
        }
    }
}
