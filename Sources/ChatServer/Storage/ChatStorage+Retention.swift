import GRDB

/// Retention: deleting old history and the saved topics of unused channels,
/// a bounded number of rows per call (one short transaction), so the writer
/// that runs them is never held up for long.
extension ChatStorage {
    static func registerRetentionMigrations(_ migrator: inout DatabaseMigrator) {
        // Retention may delete the newest message too (everything older than
        // maxAgeDays); the sequence must still continue after a restart.
        migrator.registerMigration("v3: history sequence mark") { db in
            try db.create(table: "historyMark") { t in
                t.primaryKey("id", .integer)
                t.column("lastSeq", .integer).notNull()
            }
        }
    }

    /// Before deleting: remembers the highest sequence number ever stored.
    static func markLastSeq(_ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO historyMark (id, lastSeq) SELECT 1, top FROM (SELECT MAX(seq) AS top FROM message) WHERE top IS NOT NULL
                ON CONFLICT(id) DO UPDATE SET lastSeq = MAX(lastSeq, excluded.lastSeq)
            """)
    }

    /// Deletes up to `limit` messages older than `cutoffMillis`, oldest
    /// (lowest sequence number) first; returns how many went. Fewer than
    /// `limit` means none are left. Looks at the `limit` lowest sequence
    /// numbers only, so a call costs the same however large the table is;
    /// a message stamped older than one before it (the clock stepped back)
    /// waits until that one goes.
    public func pruneMessages(olderThanMillis cutoffMillis: Int64, limit: Int) throws -> Int {
        try database.write { db in
            try Self.markLastSeq(db)
            try db.execute(sql: """
                DELETE FROM message WHERE seq IN (
                    SELECT seq FROM (SELECT seq, timeMillis FROM message ORDER BY seq LIMIT ?)
                    WHERE timeMillis < ?)
                """, arguments: [limit, cutoffMillis])
            return db.changesCount
        }
    }

    /// Deletes up to `limit` messages beyond the newest `keep` of each
    /// channel, oldest first; returns how many went (fewer than `limit`: done).
    public func pruneMessages(keepingNewest keep: Int, limit: Int) throws -> Int {
        try database.write { db in
            try Self.markLastSeq(db)
            var deleted = 0
            for channel in try Self.historyChannels(db) where deleted < limit {
                // The sequence number of the newest message that goes: an index seek of `keep` rows.
                guard let last = try Int64.fetchOne(db, sql: """
                    SELECT seq FROM message WHERE channel = ? ORDER BY seq DESC LIMIT 1 OFFSET ?
                    """, arguments: [channel, keep]) else { continue }
                try db.execute(sql: """
                    DELETE FROM message WHERE seq IN (
                        SELECT seq FROM message WHERE channel = ? AND seq <= ? ORDER BY seq LIMIT ?)
                    """, arguments: [channel, last, limit - deleted])
                deleted += db.changesCount
            }
            return deleted
        }
    }

    /// The channels that have history, one index seek each (a skip scan
    /// written out: `DISTINCT` would read the whole index).
    static func historyChannels(_ db: Database) throws -> [String] {
        try String.fetchAll(db, sql: """
            WITH RECURSIVE c(name) AS (
                SELECT MIN(channel) FROM message
                UNION ALL
                SELECT (SELECT MIN(channel) FROM message WHERE channel > c.name) FROM c WHERE c.name IS NOT NULL)
            SELECT name FROM c WHERE name IS NOT NULL
            """)
    }

    /// Deletes the saved topics of channels not used since `cutoffMillis`:
    /// topic set before it, no message stored at or after it, and not in
    /// `open` (channels with members now). Returns what was deleted, at
    /// most `limit` rows.
    public func pruneTopics(unusedSinceMillis cutoffMillis: Int64, open: Set<String>, limit: Int) throws -> [String: StoredTopic] {
        try database.write { db in
            var dropped: [String: StoredTopic] = [:]
            let rows = try Row.fetchAll(db, sql: """
                SELECT * FROM channel WHERE topicSetAtSeconds < ?
                    AND NOT EXISTS (SELECT 1 FROM message WHERE message.channel = channel.folded AND message.timeMillis >= ?)
                """, arguments: [cutoffMillis / 1000, cutoffMillis])
            for row in rows where dropped.count < limit {
                let folded: String = row["folded"]
                guard !open.contains(folded) else { continue }
                try db.execute(sql: "DELETE FROM channel WHERE folded = ?", arguments: [folded])
                dropped[folded] = StoredTopic(name: row["name"], topic: row["topic"], setBy: row["topicSetBy"], setAtSeconds: row["topicSetAtSeconds"])
            }
            return dropped
        }
    }
}
