import GRDB

extension ChatStorage {
    /// Appends a batch of messages in one transaction. A message whose
    /// sequence number or msgid is already stored is skipped (`INSERT OR
    /// IGNORE`: one bad row must not sink the batch) and returned, so the
    /// caller can count and log it.
    @discardableResult
    public func insertMessages(_ messages: [StoredMessage]) throws -> [StoredMessage] {
        guard !messages.isEmpty else { return [] }
        return try database.write { db in
            let statement = try db.cachedStatement(sql: """
                INSERT OR IGNORE INTO message (seq, channel, target, timeMillis, msgid, source, account, command, text, tags)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let row = SQLiteRowBinder(statement, in: db)
            var skipped: [StoredMessage] = []
            for m in messages {
                row.bind(1, m.seq)
                row.bind(2, m.channel)
                row.bind(3, m.target)
                row.bind(4, m.timeMillis)
                row.bind(5, m.msgid)
                row.bind(6, m.source)
                row.bind(7, m.account)
                row.bind(8, m.command)
                row.bind(9, m.text)
                row.bind(10, m.tags)
                if try row.step() == 0 { skipped.append(m) }
            }
            return skipped
        }
    }

    /// The highest sequence number ever stored (0 if none), to continue
    /// after a restart: retention may have deleted that message, but not
    /// the mark it leaves.
    public func lastMessageSeq() throws -> Int64 {
        try database.read { db in
            try Int64.fetchOne(db, sql: """
                SELECT MAX(IFNULL((SELECT MAX(seq) FROM message), 0), IFNULL((SELECT lastSeq FROM historyMark WHERE id = 1), 0))
                """) ?? 0
        }
    }

    public func messages(_ query: HistoryQuery) throws -> [StoredMessage] {
        var sql = "SELECT * FROM message WHERE channel = ?"
        var arguments: StatementArguments = [query.channel]
        // Without draft/event-playback a reader gets messages only, and
        // the limit counts messages.
        if !query.events { sql += " AND command IN ('PRIVMSG', 'NOTICE')" }
        for (bound, op) in [(query.after, ">"), (query.before, "<")] {
            switch bound {
            case .seq(let s)?: sql += " AND seq \(op) ?"; arguments += [s]
            case .time(let t)?: sql += " AND timeMillis \(op) ?"; arguments += [t]
            case nil: break
            }
        }
        sql += " ORDER BY seq \(query.newestFirst ? "DESC" : "ASC") LIMIT ?"
        arguments += [query.limit]
        let rows = try database.read { db in try Row.fetchAll(db, sql: sql, arguments: arguments) }
        let messages = rows.map(StoredMessage.init(row:))
        return query.newestFirst ? messages.reversed() : messages
    }

    /// The sequence number of a stored message in `channel`, by msgid.
    public func seq(ofMsgid msgid: String, channel: String) throws -> Int64? {
        try database.read { db in
            try Int64.fetchOne(db, sql: "SELECT seq FROM message WHERE msgid = ? AND channel = ?", arguments: [msgid, channel])
        }
    }

    // MARK: Topics

    public struct StoredTopic: Equatable {
        public var name: String
        public var topic: String?
        public var setBy: String
        public var setAtSeconds: Int64
    }

    public func saveTopic(folded: String, _ topic: StoredTopic) throws {
        try database.write { db in
            try db.execute(sql: """
                INSERT INTO channel (folded, name, topic, topicSetBy, topicSetAtSeconds) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT(folded) DO UPDATE SET name = excluded.name, topic = excluded.topic,
                    topicSetBy = excluded.topicSetBy, topicSetAtSeconds = excluded.topicSetAtSeconds
                """, arguments: [folded, topic.name, topic.topic, topic.setBy, topic.setAtSeconds])
        }
    }

    public func topics() throws -> [String: StoredTopic] {
        try database.read { db in
            var result: [String: StoredTopic] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT * FROM channel") {
                result[row["folded"]] = StoredTopic(name: row["name"], topic: row["topic"], setBy: row["topicSetBy"], setAtSeconds: row["topicSetAtSeconds"])
            }
            return result
        }
    }
}

extension StoredMessage {
    /// A row of the `message` table.
    init(row: Row) {
        self.init(seq: row["seq"], channel: row["channel"], target: row["target"], timeMillis: row["timeMillis"],
                  msgid: row["msgid"], source: row["source"], account: row["account"], command: row["command"], text: row["text"],
                  tags: row["tags"])
    }
}
