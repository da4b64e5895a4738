import GRDB

extension ChatStorage {
    /// Inserts a new account; committed (fsynced) when this returns.
    public func createAccount(_ record: AccountRecord) throws {
        try database.write { db in
            let exists = try Int.fetchOne(db, sql: "SELECT 1 FROM account WHERE folded = ?", arguments: [record.folded]) != nil
            if exists { throw StorageError.accountExists(record.name) }
            try db.execute(sql: """
                INSERT INTO account (folded, name, email, passwordHash, createdAtMillis, isOperator)
                VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [record.folded, record.name, record.email, record.passwordHash, record.createdAtMillis, record.isOperator])
        }
    }

    public func account(named name: String) throws -> AccountRecord? {
        try database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM account WHERE folded = ?", arguments: [CaseMapping.fold(name)])
                .map(Self.account(from:))
        }
    }

    /// Every account name (display form), for the in-memory nick reservation set.
    public func accountNames() throws -> [String] {
        try database.read { db in try String.fetchAll(db, sql: "SELECT name FROM account") }
    }

    static func account(from row: Row) -> AccountRecord {
        AccountRecord(name: row["name"], email: row["email"], passwordHash: row["passwordHash"],
                      createdAtMillis: row["createdAtMillis"], isOperator: row["isOperator"])
    }
}
