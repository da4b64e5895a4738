import GRDB

/// The `file` table: one row per share (the bytes live in `FileStore`, named
/// by their hash). Blocking like all of `ChatStorage`: writes on the storage
/// writer, reads on the readers, never on the loop.
extension ChatStorage {
    /// Registered by `ChatStorage.migrator` as one migration.
    static func registerFileMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v3: files") { db in
            try db.create(table: "file") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("sha256", .text).notNull()
                t.column("filename", .text).notNull()
                t.column("size", .integer).notNull()
                t.column("uploaderMask", .text).notNull()
                t.column("uploaderKey", .text).notNull()
                t.column("kind", .text).notNull()
                t.column("target", .text).notNull()
                t.column("targetKey", .text).notNull()
                t.column("createdAtMillis", .integer).notNull()
                t.column("delivered", .boolean).notNull()
            }
            try db.create(index: "file_target", on: "file", columns: ["targetKey", "id"])
            try db.create(index: "file_uploader", on: "file", columns: ["uploaderKey"])
            try db.create(index: "file_sha256", on: "file", columns: ["sha256"])
        }
    }

    /// Inserts a share unless it would take its uploader past `quotaBytes`
    /// (checked in the same transaction); returns the new id.
    func insertFile(_ record: FileRecord, quotaBytes: Int) throws -> Int64 {
        try database.write { db in
            let used = try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(size), 0) FROM file WHERE uploaderKey = ?",
                                        arguments: [record.uploaderKey]) ?? 0
            if quotaBytes > 0 && used + record.size > quotaBytes {
                throw FileFailure(.quotaExceeded, nil, "This would take you past your quota of \(quotaBytes) bytes (\(used) used)")
            }
            try db.execute(sql: """
                INSERT INTO file (sha256, filename, size, uploaderMask, uploaderKey, kind, target, targetKey, createdAtMillis, delivered)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [record.sha256, record.filename, record.size, record.uploaderMask, record.uploaderKey,
                                 record.kind.rawValue, record.target, record.targetKey, record.createdAtMillis, record.delivered])
            return db.lastInsertedRowID
        }
    }

    func file(id: Int64) throws -> FileRecord? {
        try database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM file WHERE id = ?", arguments: [id]).map(Self.fileRecord(from:))
        }
    }

    /// Shares to a channel (folded name), oldest first.
    func files(inChannel key: String) throws -> [FileRecord] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM file WHERE kind = 'channel' AND targetKey = ? ORDER BY id",
                             arguments: [key]).map(Self.fileRecord(from:))
        }
    }

    /// Private shares from any of `a` to any of `b` or back, oldest first.
    func files(between a: [String], and b: [String]) throws -> [FileRecord] {
        let aList = a.map { _ in "?" }.joined(separator: ","), bList = b.map { _ in "?" }.joined(separator: ",")
        return try database.read { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM file WHERE kind != 'channel'
                AND ((uploaderKey IN (\(aList)) AND targetKey IN (\(bList))) OR (uploaderKey IN (\(bList)) AND targetKey IN (\(aList))))
                ORDER BY id
                """, arguments: StatementArguments(a + b + b + a)).map(Self.fileRecord(from:))
        }
    }

    /// Every share, or those to one target (folded), for the console.
    public func allFiles(targetKey: String? = nil) throws -> [FileRecord] {
        try database.read { db in
            if let targetKey {
                return try Row.fetchAll(db, sql: "SELECT * FROM file WHERE targetKey = ? ORDER BY id",
                                        arguments: [targetKey]).map(Self.fileRecord(from:))
            }
            return try Row.fetchAll(db, sql: "SELECT * FROM file ORDER BY id").map(Self.fileRecord(from:))
        }
    }

    /// Private shares waiting for `accountKey` (folded) to log in.
    func undeliveredFiles(for accountKey: String) throws -> [FileRecord] {
        try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM file WHERE kind = 'account' AND targetKey = ? AND NOT delivered ORDER BY id",
                             arguments: [accountKey]).map(Self.fileRecord(from:))
        }
    }

    func markDelivered(_ ids: [Int64]) throws {
        try database.write { db in
            for id in ids { try db.execute(sql: "UPDATE file SET delivered = 1 WHERE id = ?", arguments: [id]) }
        }
    }

    /// Deletes a share; returns it and whether other shares still use its bytes, or nil if there was none.
    func deleteFile(id: Int64) throws -> (record: FileRecord, bytesStillUsed: Bool)? {
        try database.write { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM file WHERE id = ?", arguments: [id]) else { return nil }
            let record = Self.fileRecord(from: row)
            try db.execute(sql: "DELETE FROM file WHERE id = ?", arguments: [id])
            let others = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM file WHERE sha256 = ?", arguments: [record.sha256]) ?? 0
            return (record, others > 0)
        }
    }

    /// How many shares name these bytes.
    func fileCount(sha256: String) throws -> Int {
        try database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM file WHERE sha256 = ?", arguments: [sha256]) ?? 0 }
    }

    /// Bytes shared so far by each uploader key.
    func fileUsage() throws -> [String: Int] {
        try database.read { db in
            var usage: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT uploaderKey, SUM(size) AS used FROM file GROUP BY uploaderKey") {
                usage[row["uploaderKey"]] = row["used"]
            }
            return usage
        }
    }

    /// The hashes some share still names (the store keeps exactly these).
    func fileHashes() throws -> Set<String> {
        try database.read { db in Set(try String.fetchAll(db, sql: "SELECT DISTINCT sha256 FROM file")) }
    }

    static func fileRecord(from row: Row) -> FileRecord {
        FileRecord(id: row["id"], sha256: row["sha256"], filename: row["filename"], size: row["size"],
                   uploaderMask: row["uploaderMask"], uploaderKey: row["uploaderKey"],
                   kind: FileRecord.Kind(rawValue: row["kind"]) ?? .nick, target: row["target"],
                   targetKey: row["targetKey"], createdAtMillis: row["createdAtMillis"], delivered: row["delivered"])
    }
}
