import CoreLoop

/// Orderly shutdown: stop accepting, read what clients already sent, tell
/// them, drain queues, wait for storage, stop the loop.
///
/// Thread-safety: loop thread only, except `requestShutdown`.
extension ChatDaemon {
    /// Loop thread: an operator's DIE (DaemonControl).
    public func die(message: String) {
        shutdown(message: message, grace: .seconds(5))
    }

    /// Any thread: starts a graceful shutdown on the loop.
    public func requestShutdown(message: String = "Server shutting down") {
        loop.execute { [weak self] in self?.shutdown(message: message, grace: .seconds(5)) }
    }

    /// Storage work not finished and reported back: history messages not yet
    /// committed, writes (history, topics, bans, accounts) still queued
    /// or running, and score jobs not yet answered (the board queues them
    /// before they become a write).
    private var storageBacklog: (messages: Int, writes: Int, scoreJobs: Int) {
        (server.history?.unwrittenCount ?? 0, server.services?.pendingWrites ?? 0, server.scores?.unansweredJobs ?? 0)
    }

    /// Whether any client has bytes it sent that the server has not read
    /// yet. A client whose reading is paused (flood control, a log-in being
    /// checked) does not count: that input waits on purpose.
    private var clientsHaveUnreadInput: Bool {
        server.clients.all.contains { client in
            guard let connection = (client.transport as? SocketClientTransport)?.connection else { return false }
            return connection.isOpen && !connection.isReadingPaused && connection.kernelInboundBytes > 0
        }
    }

    /// Stops accepting; reads what clients already sent (up to `grace`), so
    /// lines sent before the signal are handled; tells every client why and
    /// lets send queues drain (up to `grace` again); waits until every
    /// storage write is committed (up to `shutdownTimeoutSeconds` from the
    /// start), then stops the loop. What is abandoned at that timeout is
    /// logged with counts.
    public func shutdown(message: String, grace: Nanoseconds) {
        guard !shuttingDown else { return }
        shuttingDown = true
        server.isGoingAway = true
        listeners.forEach { $0.close() }
        httpListeners.forEach { $0.close() }
        web?.http.closeAll(reason: message)  // WebSocket clients are IRC clients: they hear it below
        console?.close()
        retention?.stop()
        server.scores?.stop()  // the UDP socket, so the drain below can see zero sockets; and no new score jobs
        let started = MonotonicClock.nanoseconds()
        let storageDeadline = started + UInt64(server.config.shutdownTimeoutSeconds) * 1_000_000_000
        var outputDeadline: UInt64?   // set once the clients are told
        var quietPolls = 0
        var reportedWaiting = false
        // One poll on the loop's own timer walks the phases: the loop keeps
        // reading, writing and running completions meanwhile.
        loop.scheduleRepeating(every: .milliseconds(10)) { [weak self] in
            guard let self else { return }
            let now = MonotonicClock.nanoseconds()
            guard let deadline = outputDeadline else {
                // Input: two quiet polls in a row, since the kernel may move
                // more of a peer's queued bytes in as we read.
                quietPolls = self.clientsHaveUnreadInput ? 0 : quietPolls + 1
                if quietPolls >= 2 || now >= started + grace.value {
                    self.server.disconnectAll(reason: message)
                    self.server.history?.flush()
                    outputDeadline = MonotonicClock.nanoseconds() + grace.value
                }
                return
            }
            let socketsDrained = self.loop.stats.registrations <= 1 + (self.signals == nil ? 0 : 1)
            guard socketsDrained || now >= deadline else { return }
            self.server.history?.flush()
            let backlog = self.storageBacklog
            if backlog.messages == 0 && backlog.writes == 0 && backlog.scoreJobs == 0 {
                if self.server.history != nil { self.logger.info("history flushed") }
            } else if now < storageDeadline {
                if !reportedWaiting {
                    reportedWaiting = true
                    self.logger.notice("waiting for storage: \(backlog.messages) history messages unwritten, \(backlog.writes) writes queued, \(backlog.scoreJobs) score changes unanswered (up to shutdownTimeoutSeconds)")
                }
                return
            } else {
                self.abandonWrites = true
                self.logger.error("shutdown timeout: abandoning \(backlog.messages) unwritten history messages, \(backlog.writes) queued storage writes and \(backlog.scoreJobs) score changes")
            }
            self.logger.info("shutdown complete")
            self.loop.stop()
        }
    }
}
