import GRDB

/// draft/read-marker: the last read time per account and target.
extension ChatStorage {
    static func registerReadMarkerMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v8: read markers") { db in
            try db.create(table: "readMarker") { t in
                t.column("account", .text).notNull()
                t.column("target", .text).notNull()
                t.column("timeMillis", .integer).notNull()
                t.primaryKey(["account", "target"])
            }
        }
    }

    /// Every marker: folded account → folded target → milliseconds. Read once at startup.
    func readMarkers() throws -> [String: [String: Int64]] {
        try database.read { db in
            var markers: [String: [String: Int64]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT account, target, timeMillis FROM readMarker") {
                let account: String = row["account"], target: String = row["target"], millis: Int64 = row["timeMillis"]
                markers[account, default: [:]][target] = millis
            }
            return markers
        }
    }

    /// Stores a marker; never moves one backwards, even if writes arrive out of order.
    func saveReadMarker(account: String, target: String, timeMillis: Int64) throws {
        try database.write { db in
            try db.execute(sql: """
                INSERT INTO readMarker (account, target, timeMillis) VALUES (?, ?, ?)
                ON CONFLICT(account, target) DO UPDATE SET timeMillis = MAX(timeMillis, excluded.timeMillis)
                """, arguments: [account, target, timeMillis])
        }
    }
}
