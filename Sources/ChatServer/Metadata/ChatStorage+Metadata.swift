import GRDB

/// draft/metadata-2 values of accounts: a logged-in user's keys outlive the
/// connection and come back at the next log-in. Deleting the account
/// deletes them.
extension ChatStorage {
    static func registerMetadataMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v5: metadata") { db in
            try db.create(table: "accountMetadata") { t in
                t.column("folded", .text).notNull().references("account", column: "folded", onDelete: .cascade)
                t.column("key", .text).notNull()
                t.column("value", .text).notNull()
                t.primaryKey(["folded", "key"])
            }
        }
    }

    public func metadata(ofAccount name: String) throws -> [String: String] {
        try database.read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT key, value FROM accountMetadata WHERE folded = ?",
                                        arguments: [CaseMapping.fold(name)])
            let pairs = rows.map { (row: Row) -> (String, String) in (row["key"], row["value"]) }
            return Dictionary(pairs, uniquingKeysWith: { _, last in last })
        }
    }

    /// Sets (or with nil removes) one key of an account; committed when this returns.
    public func setMetadata(ofAccount name: String, key: String, value: String?) throws {
        try database.write { db in
            let folded = CaseMapping.fold(name)
            if let value {
                try db.execute(sql: "INSERT OR REPLACE INTO accountMetadata (folded, key, value) VALUES (?, ?, ?)",
                               arguments: [folded, key, value])
            } else {
                try db.execute(sql: "DELETE FROM accountMetadata WHERE folded = ? AND key = ?", arguments: [folded, key])
            }
        }
    }

    public func clearMetadata(ofAccount name: String) throws {
        try database.write { db in
            try db.execute(sql: "DELETE FROM accountMetadata WHERE folded = ?", arguments: [CaseMapping.fold(name)])
        }
    }
}
