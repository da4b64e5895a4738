import GRDB

/// Accounts nobody ever logged in to (after the REGISTER that made them)
/// can expire (`accounts.unusedAccountExpiryDays`), so that names reserved
/// and abandoned are freed again.
extension ChatStorage {
    static func registerAccountExpiryMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v4: account last log-in") { db in
            try db.alter(table: "account") { t in t.add(column: "lastLoginMillis", .integer) }
        }
    }

    /// A log-in (SASL or PASS) to `name` happened at `millis`.
    public func recordLogin(name: String, atMillis millis: Int64) throws {
        try database.write { db in
            try db.execute(sql: "UPDATE account SET lastLoginMillis = ? WHERE folded = ?",
                           arguments: [millis, CaseMapping.fold(name)])
        }
    }

    /// Deletes up to `limit` accounts created before `cutoffMillis` that were
    /// never logged in to and are not operator accounts; returns their names.
    public func deleteUnusedAccounts(createdBefore cutoffMillis: Int64, limit: Int) throws -> [String] {
        try database.write { db in
            let names = try String.fetchAll(db, sql: """
                SELECT name FROM account WHERE lastLoginMillis IS NULL AND isOperator = 0 AND createdAtMillis < ?
                ORDER BY createdAtMillis LIMIT ?
                """, arguments: [cutoffMillis, limit])
            for name in names {
                try db.execute(sql: "DELETE FROM account WHERE folded = ?", arguments: [CaseMapping.fold(name)])
            }
            return names
        }
    }
}
