import GRDB

/// The `tags` column: client-only tags kept with a message, so a replayed
/// reply, reaction or kept TAGMSG carries them (EventPlayback).
extension ChatStorage {
    static func registerEventPlaybackMigrations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v9: message tags (event-playback)") { db in
            try db.alter(table: "message") { t in t.add(column: "tags", .text) }
        }
    }
}
