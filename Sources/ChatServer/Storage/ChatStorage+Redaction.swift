import GRDB

/// draft/message-redaction: finding one stored message by msgid, and
/// deleting it. Both are keyed by the history key (a channel's folded name
/// or a conversation's key) as well as the msgid, so a REDACT can only
/// reach a message of the target it names.
extension ChatStorage {
    public func storedMessage(msgid: String, key: String) throws -> StoredMessage? {
        try database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM message WHERE msgid = ? AND channel = ?", arguments: [msgid, key])
                .map(StoredMessage.init(row:))
        }
    }

    /// Deletes the message; false if it was not stored (already deleted, or
    /// retention took it). Runs on the writer, after any insert queued before it.
    @discardableResult
    public func deleteMessage(msgid: String, key: String) throws -> Bool {
        try database.write { db in
            try db.execute(sql: "DELETE FROM message WHERE msgid = ? AND channel = ?", arguments: [msgid, key])
            return db.changesCount > 0
        }
    }
}
