import GRDB
#if canImport(GRDBSQLite)
import GRDBSQLite
#elseif canImport(SQLite3)
import SQLite3
#endif

/// Binds one row's values straight onto a GRDB-prepared statement and steps
/// it, for the one hot insert (the history writer's batch of messages).
///
/// Why not `Statement.execute(arguments:)`: GRDB builds a
/// `StatementArguments` array of existentials per row, converts each value
/// to a `DatabaseValue` and runs its observation hooks; in a fan-out run
/// that was ~40 % of the writer thread's instructions (5,600 of ~14,500 per
/// message), spent on the pinned core the loop shares (docs/BENCHMARKS.md,
/// #14). The statement is still prepared, cached and finalized by GRDB;
/// this only binds, steps and resets it, inside GRDB's write transaction.
///
/// Thread-safety: used inside a `database.write` closure only (the writer
/// thread that holds the connection).
struct SQLiteRowBinder {
    private let statement: SQLiteStatement
    private let connection: SQLiteConnection

    init(_ statement: Statement, in db: Database) {
        self.statement = statement.sqliteStatement
        self.connection = db.sqliteConnection!
    }

    /// SQLite copies the bytes (SQLITE_TRANSIENT): the Swift string's
    /// storage is only valid inside `withUTF8`.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    func bind(_ index: Int32, _ value: Int64) {
        sqlite3_bind_int64(statement, index, value)
    }

    func bind(_ index: Int32, _ value: String?) {
        guard var value else {
            sqlite3_bind_null(statement, index)
            return
        }
        value.withUTF8 { bytes in
            // An empty native string may have no address; "" is still text,
            // not NULL, so bind SQLite an empty C string (copied too).
            guard let base = bytes.baseAddress else {
                sqlite3_bind_text(statement, index, "", 0, Self.transient)
                return
            }
            sqlite3_bind_text(statement, index, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self),
                              Int32(bytes.count), Self.transient)
        }
    }

    /// Runs the bound row; returns how many rows it changed (0 when `INSERT
    /// OR IGNORE` ignored it). The statement is reset and ready to bind again.
    func step() throws -> Int {
        let code = sqlite3_step(statement)
        defer { sqlite3_reset(statement) }
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code),
                                message: String(cString: sqlite3_errmsg(connection)))
        }
        return Int(sqlite3_changes(connection))
    }
}
