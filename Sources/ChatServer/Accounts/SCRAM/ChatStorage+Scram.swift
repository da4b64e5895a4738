import GRDB
import Foundation

/// SCRAM-SHA-256 verifiers (`ScramVerifier`), one per account, in a table of
/// their own: an account created before SCRAM simply has no row until its
/// next PLAIN log-in or password change, and deleting the account deletes it.
extension ChatStorage {
    static func registerScramMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v6: scram verifiers") { db in
            try db.create(table: "accountScram") { t in
                t.primaryKey("folded", .text).references("account", column: "folded", onDelete: .cascade)
                t.column("salt", .blob).notNull()
                t.column("iterations", .integer).notNull()
                t.column("storedKey", .blob).notNull()
                t.column("serverKey", .blob).notNull()
            }
        }
    }

    /// Stores (or replaces) `verifier` for the account; false if there is no such account.
    @discardableResult
    public func saveScramVerifier(_ verifier: ScramVerifier, forAccount name: String) throws -> Bool {
        try database.write { db in
            let folded = CaseMapping.fold(name)
            guard try Int.fetchOne(db, sql: "SELECT 1 FROM account WHERE folded = ?", arguments: [folded]) != nil else { return false }
            try db.execute(sql: """
                INSERT OR REPLACE INTO accountScram (folded, salt, iterations, storedKey, serverKey) VALUES (?, ?, ?, ?, ?)
                """, arguments: [folded, Data(verifier.salt), verifier.iterations, Data(verifier.storedKey), Data(verifier.serverKey)])
            return true
        }
    }

    /// The account and its verifier (nil if it has none yet); nil if there is no such account.
    public func scramCredentials(ofAccount name: String) throws -> (AccountRecord, ScramVerifier?)? {
        try database.read { db in
            let folded = CaseMapping.fold(name)
            guard let account = try Row.fetchOne(db, sql: "SELECT * FROM account WHERE folded = ?", arguments: [folded])
                .map(Self.account(from:)) else { return nil }
            let verifier = try Row.fetchOne(db, sql: "SELECT * FROM accountScram WHERE folded = ?", arguments: [folded]).map { row in
                ScramVerifier(salt: [UInt8](row["salt"] as Data), iterations: row["iterations"],
                              storedKey: [UInt8](row["storedKey"] as Data), serverKey: [UInt8](row["serverKey"] as Data))
            }
            return (account, verifier)
        }
    }

    /// A password change: the yescrypt hash and the verifier in one
    /// transaction, so the old password stops working for PLAIN and SCRAM
    /// alike. False if there is no such account.
    public func setPassword(_ name: String, hash: String, verifier: ScramVerifier) throws -> Bool {
        try database.write { db in
            let folded = CaseMapping.fold(name)
            try db.execute(sql: "UPDATE account SET passwordHash = ? WHERE folded = ?", arguments: [hash, folded])
            guard db.changesCount > 0 else { return false }
            try db.execute(sql: """
                INSERT OR REPLACE INTO accountScram (folded, salt, iterations, storedKey, serverKey) VALUES (?, ?, ?, ?, ?)
                """, arguments: [folded, Data(verifier.salt), verifier.iterations, Data(verifier.storedKey), Data(verifier.serverKey)])
            return true
        }
    }

    /// Whether the account has a verifier (a PLAIN log-in derives one when not).
    public func hasScramVerifier(account name: String) throws -> Bool {
        try database.read { db in
            try Int.fetchOne(db, sql: "SELECT 1 FROM accountScram WHERE folded = ?", arguments: [CaseMapping.fold(name)]) != nil
        }
    }
}
