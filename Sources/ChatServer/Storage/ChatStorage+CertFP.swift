import GRDB

/// Client-certificate fingerprints linked to accounts, for SASL EXTERNAL
/// (CertFP). A table rather than a column on `account`: one person may use
/// several certificates (laptop, phone), and a fingerprint names one account.
extension ChatStorage {
    static func registerCertFPMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v3: certificate fingerprints") { db in
            try db.create(table: "accountCertfp") { t in
                t.primaryKey("fingerprint", .text)
                // Deleting the account forgets its certificates.
                t.column("folded", .text).notNull().references("account", column: "folded", onDelete: .cascade)
                t.column("addedAtMillis", .integer).notNull()
            }
            try db.create(index: "accountCertfp_folded", on: "accountCertfp", columns: ["folded"])
        }
    }

    /// The outcome of linking a fingerprint to an account.
    public enum CertFPLink: Equatable {
        case added, noSuchAccount
        /// Already linked to this account: nothing changed.
        case alreadyLinked
        /// Linked to another account, named here; a fingerprint names one account.
        case linkedToOther(String)
    }

    public func addCertificateFingerprint(_ fingerprint: CertificateFingerprint, toAccount name: String, atMillis: Int64) throws -> CertFPLink {
        try database.write { db in
            let folded = CaseMapping.fold(name)
            guard try Row.fetchOne(db, sql: "SELECT 1 FROM account WHERE folded = ?", arguments: [folded]) != nil else {
                return .noSuchAccount
            }
            if let owner = try String.fetchOne(db, sql: """
                SELECT account.name FROM accountCertfp JOIN account ON account.folded = accountCertfp.folded
                WHERE accountCertfp.fingerprint = ?
                """, arguments: [fingerprint.hex]) {
                return CaseMapping.fold(owner) == folded ? .alreadyLinked : .linkedToOther(owner)
            }
            try db.execute(sql: "INSERT INTO accountCertfp (fingerprint, folded, addedAtMillis) VALUES (?, ?, ?)",
                           arguments: [fingerprint.hex, folded, atMillis])
            return .added
        }
    }

    /// The account a certificate logs in to, if any.
    public func account(forCertificateFingerprint fingerprint: CertificateFingerprint) throws -> AccountRecord? {
        try database.read { db in
            try Row.fetchOne(db, sql: """
                SELECT account.* FROM accountCertfp JOIN account ON account.folded = accountCertfp.folded
                WHERE accountCertfp.fingerprint = ?
                """, arguments: [fingerprint.hex]).map(Self.account(from:))
        }
    }

    /// The fingerprints linked to an account, oldest first.
    public func certificateFingerprints(ofAccount name: String) throws -> [String] {
        try database.read { db in
            try String.fetchAll(db, sql: "SELECT fingerprint FROM accountCertfp WHERE folded = ? ORDER BY addedAtMillis, fingerprint",
                                arguments: [CaseMapping.fold(name)])
        }
    }
}
