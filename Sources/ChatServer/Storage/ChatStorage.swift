import CSQLiteTuning
import GRDB

/// The SQLite database (WAL mode, through GRDB): accounts, channel topics and
/// message history. Every method blocks: call them from workers (reads) or
/// the storage writer (writes), never from the loop.
///
/// Thread-safety: any thread; GRDB serializes writes and runs reads concurrently.
public final class ChatStorage {
    public let database: DatabaseWriter
    public let path: String

    /// SQLite's process-wide settings, made once before the first connection
    /// opens (`sqlite3_config` is refused after that): memory statistics off,
    /// so an allocation inside SQLite takes no global mutex (docs/BENCHMARKS.md,
    /// #14 §12). GRDB already opens each connection without its own mutex.
    private static let processSettings: Void = {
        _ = csqlite_disable_memory_statistics()
    }()

    /// Opens (creating if needed) the database file and migrates it.
    public init(path: String) throws {
        Self.processSettings
        self.path = path
        var config = Configuration()
        config.prepareDatabase { db in
            // FULL: a commit is on disk before the client hears "success".
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        config.busyMode = .timeout(5)
        do {
            database = try DatabasePool(path: path, configuration: config)
            try Self.migrator.migrate(database)
        } catch {
            throw StorageError.cannotOpen(path: path, reason: "\(error)")
        }
    }

    /// A private in-memory database, for tests.
    public init() throws {
        Self.processSettings
        path = ":memory:"
        database = try DatabaseQueue()
        try Self.migrator.migrate(database)
    }

    /// Closes the database (after the last write); a checkpoint folds the WAL back in.
    public func close() throws {
        if let pool = database as? DatabasePool {
            try pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) }
            try pool.close()
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: accounts, channels, messages") { db in
            try db.create(table: "account") { t in
                t.primaryKey("folded", .text)
                t.column("name", .text).notNull()
                t.column("email", .text)
                t.column("passwordHash", .text).notNull()
                t.column("createdAtMillis", .integer).notNull()
                t.column("isOperator", .boolean).notNull().defaults(to: false)
            }
            try db.create(table: "channel") { t in
                t.primaryKey("folded", .text)
                t.column("name", .text).notNull()
                t.column("topic", .text)
                t.column("topicSetBy", .text).notNull().defaults(to: "")
                t.column("topicSetAtSeconds", .integer).notNull().defaults(to: 0)
            }
            try db.create(table: "message") { t in
                t.primaryKey("seq", .integer)
                t.column("channel", .text).notNull()
                t.column("target", .text).notNull()
                t.column("timeMillis", .integer).notNull()
                t.column("msgid", .text).notNull().unique()
                t.column("source", .text).notNull()
                t.column("account", .text)
                t.column("command", .text).notNull()
                t.column("text", .text).notNull()
            }
            try db.create(index: "message_channel_seq", on: "message", columns: ["channel", "seq"])
            try db.create(index: "message_channel_time", on: "message", columns: ["channel", "timeMillis"])
        }
        registerAdminMigrations(&migrator)
        registerRetentionMigrations(&migrator)
        registerAccountExpiryMigrations(&migrator)
        registerCertFPMigrations(&migrator)
        registerScoreMigrations(&migrator)
        registerFileMigrations(&migrator)
        registerMetadataMigrations(&migrator)
        registerScramMigrations(&migrator)
        registerPrivateHistoryMigrations(&migrator)
        registerReadMarkerMigrations(&migrator)
        registerEventPlaybackMigrations(&migrator)
        registerSimulatedMatchMigrations(&migrator)
        return migrator
    }
}
