/// What a reload (`chatctl reload`, SIGHUP, REHASH) does with a newly read
/// configuration: which values take effect now, and a note for each change
/// that waits for a restart. Pure, so it is tested on its own.
///
/// The running configuration keeps every restart-only value: a note is
/// given when the file differs from what runs, not from the file read last
/// (a file changed and changed back says nothing the second time).
///
/// Thread-safety: a value type; any thread.
struct ReloadPlan {
    /// The configuration to run from now on.
    let applied: ServerConfig
    /// One line per change that waits, for the console's reply and the log.
    let notes: [String]

    init(running old: ServerConfig, read new: ServerConfig) {
        var notes: [String] = []
        var applied = new
        /// Keeps `key`'s running value, with a note if the file changed it.
        func keep<T: Equatable>(_ name: String, _ key: WritableKeyPath<ServerConfig, T>, note: String? = nil) {
            if new[keyPath: key] != old[keyPath: key] { notes.append(note ?? "\(name) changes on restart") }
            applied[keyPath: key] = old[keyPath: key]
        }
        keep("listen", \.listen, note: "listen addresses change on restart")
        keep("listen (TLS)", \.tlsListen, note: "TLS listen addresses change on restart")
        keep("dataDir", \.dataDir)
        keep("serverName", \.serverName)
        keep("consoleSocket", \.consoleSocket)
        // Read once at start-up (socket limits, timers, the logger, the
        // listeners, the score service): say so rather than report a change
        // that did not happen.
        keep("logLevel", \.logLevel)
        keep("limits.sendQueueBytes", \.limits.sendQueueBytes)
        keep("limits.floodBacklogBytes", \.limits.floodBacklogBytes)
        keep("limits.whowasEntries", \.limits.whowasEntries)
        keep("history.flushIntervalMillis", \.history.flushIntervalMillis)
        keep("history.flushBatchSize", \.history.flushBatchSize)
        keep("http.listen", \.http.listen)
        keep("http.tlsListen", \.http.tlsListen)
        keep("scores", \.scores, note: "scores settings change on restart")
        if new.limits.maxLineLength != old.limits.maxLineLength
            || new.limits.floodLinesPerSecond != old.limits.floodLinesPerSecond
            || new.limits.floodBurst != old.limits.floodBurst {
            notes.append("line length and flood limits apply to new connections")
        }
        self.applied = applied
        self.notes = notes
    }
}
