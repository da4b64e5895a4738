import GRDB

/// Matches and score events in SQLite. The migration is registered by
/// `ChatStorage.migrator` but defined here, beside the feature.
///
/// Thread-safety: like `ChatStorage`: blocking; workers and the writer only.
extension ChatStorage {
    static func registerScoreMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("scores: matches and events") { db in
            try db.create(table: "match") { t in
                t.primaryKey("id", .integer)
                t.column("home", .text).notNull()
                t.column("away", .text).notNull()
                t.column("status", .text).notNull()
                t.column("minute", .integer).notNull()
                t.column("homeGoals", .integer).notNull()
                t.column("awayGoals", .integer).notNull()
                t.column("startMillis", .integer).notNull()
                t.column("lastSeq", .integer).notNull()
            }
            try db.create(table: "scoreEvent") { t in
                t.column("matchID", .integer).notNull().references("match", onDelete: .cascade)
                t.column("seq", .integer).notNull()
                t.column("type", .text).notNull()
                t.column("minute", .integer).notNull()
                t.column("team", .text)
                t.column("player", .text)
                t.column("text", .text).notNull()
                t.column("homeGoals", .integer).notNull()
                t.column("awayGoals", .integer).notNull()
                t.column("timeMillis", .integer).notNull()
                // A seq is never reused: a second write of the same seq fails the whole batch.
                t.primaryKey(["matchID", "seq"])
            }
        }
    }

    /// Registered last (after every other feature's migrations): which
    /// matches the simulator made. Matches from before are taken as its own
    /// when their teams are its invented ones, so it plays on after the upgrade.
    static func registerSimulatedMatchMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v10: simulated matches") { db in
            try db.alter(table: "match") { t in t.add(column: "simulated", .boolean).notNull().defaults(to: false) }
            let teams = ScoreSimulator.teams
            let marks = teams.map { _ in "?" }.joined(separator: ", ")
            try db.execute(sql: "UPDATE match SET simulated = 1 WHERE home IN (\(marks)) AND away IN (\(marks))",
                           arguments: StatementArguments(teams + teams))
        }
    }

    /// Writes new or changed matches and new events, and deletes retired
    /// matches with their events, in one transaction: all of a batch is on
    /// disk, or none of it.
    public func saveScores(matches: [Match], events: [ScoreEvent], retired: [Int64] = []) throws {
        try database.write { db in
            for id in retired {
                try db.execute(sql: "DELETE FROM scoreEvent WHERE matchID = ?", arguments: [id])
                try db.execute(sql: "DELETE FROM match WHERE id = ?", arguments: [id])
            }
            let upsert = try db.cachedStatement(sql: """
                INSERT INTO match (id, home, away, status, minute, homeGoals, awayGoals, startMillis, lastSeq, simulated)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET status = excluded.status, minute = excluded.minute,
                  homeGoals = excluded.homeGoals, awayGoals = excluded.awayGoals, lastSeq = excluded.lastSeq
                """)
            for m in matches {
                try upsert.execute(arguments: [m.id, m.home, m.away, m.status.rawValue, m.minute, m.homeGoals,
                                               m.awayGoals, m.startMillis, m.lastSeq, m.simulated])
            }
            let insert = try db.cachedStatement(sql: """
                INSERT INTO scoreEvent (matchID, seq, type, minute, team, player, text, homeGoals, awayGoals, timeMillis)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for e in events {
                try insert.execute(arguments: [e.matchID, e.seq, e.type.rawValue, e.minute, e.team?.rawValue, e.player,
                                               e.text, e.homeGoals, e.awayGoals, e.timeMillis])
            }
        }
    }

    /// Every match and event, for the ledger at startup.
    public func loadScores() throws -> ScoreLedger {
        try database.read { db in
            let matches = try Row.fetchAll(db, sql: "SELECT * FROM match ORDER BY id").compactMap { row -> Match? in
                guard let status = MatchStatus(rawValue: row["status"]) else { return nil }
                return Match(id: row["id"], home: row["home"], away: row["away"], status: status, minute: row["minute"],
                             homeGoals: row["homeGoals"], awayGoals: row["awayGoals"], startMillis: row["startMillis"],
                             lastSeq: row["lastSeq"], simulated: row["simulated"])
            }
            let events = try Row.fetchAll(db, sql: "SELECT * FROM scoreEvent ORDER BY matchID, seq").compactMap { row -> ScoreEvent? in
                guard let type = ScoreEventType(rawValue: row["type"]) else { return nil }
                let team: String? = row["team"]
                return ScoreEvent(matchID: row["matchID"], seq: row["seq"], type: type, minute: row["minute"],
                                  team: team.flatMap(TeamSide.init(rawValue:)), player: row["player"], text: row["text"],
                                  homeGoals: row["homeGoals"], awayGoals: row["awayGoals"], timeMillis: row["timeMillis"])
            }
            return ScoreLedger(matches: matches, events: events)
        }
    }
}
