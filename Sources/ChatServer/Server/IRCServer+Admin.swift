/// Actions the admin console takes on the chat state.
extension IRCServer {
    /// A NOTICE from the server to every registered user; returns how many.
    func wall(_ text: String) -> Int {
        var count = 0
        for client in clients.all where client.isRegistered {
            send(client, IRCMessage(source: serverName, command: "NOTICE", params: [client.nick, "*** " + text]))
            count += 1
        }
        logger.notice("wall: \(text.escapedForLog)")
        return count
    }

    /// Sets a topic as the server; members see a TOPIC from the server.
    func setTopicByServer(_ channel: Channel, text: String, stored: @escaping (Bool) -> Void) {
        setTopic(channel, text: text, by: serverName) { ok in
            if ok {
                self.broadcast(IRCMessage(source: self.serverName, command: "TOPIC", params: [channel.name, text]), to: channel)
            }
            stored(ok)
        }
    }

    /// Whole seconds since the server started (STATS u).
    var uptimeSeconds: Int64 { Int64((clock.monotonicNanos &- startedAtNanos) / 1_000_000_000) }

    /// Calls per command since start, for the commands used at least once.
    func commandCallCounts() -> [String: UInt64] {
        var counts: [String: UInt64] = [:]
        for (slot, calls) in commandCalls.used { counts[commands.names[slot]] = calls }
        return counts
    }

    /// Bytes received and sent by all current and past connections.
    func totalBytes() -> (in: UInt64, out: UInt64) {
        var input = stats.bytesInClosed, output = stats.bytesOutClosed
        for client in clients.all {
            input &+= client.transport.bytesIn
            output &+= client.transport.bytesOut
        }
        return (input, output)
    }

    /// Applies a reloaded configuration: limits, accounts, history and MOTD.
    /// Listen addresses, data folder and server name need a restart.
    public func apply(_ new: ServerConfig, motdLines: [String]?) -> [String] {
        var notes: [String] = []
        if new.listen != config.listen { notes.append("listen addresses change on restart") }
        if new.dataDir != config.dataDir { notes.append("dataDir changes on restart") }
        if new.serverName != config.serverName { notes.append("serverName changes on restart") }
        if new.consoleSocket != config.consoleSocket { notes.append("consoleSocket changes on restart") }
        // Read once at start-up (socket limits, timers, the logger): say so
        // rather than report a change that did not happen.
        let atStartOnly: [(String, Bool)] = [
            ("logLevel", new.logLevel != config.logLevel),
            ("limits.sendQueueBytes", new.limits.sendQueueBytes != config.limits.sendQueueBytes),
            ("limits.floodBacklogBytes", new.limits.floodBacklogBytes != config.limits.floodBacklogBytes),
            ("limits.whowasEntries", new.limits.whowasEntries != config.limits.whowasEntries),
            ("history.flushIntervalMillis", new.history.flushIntervalMillis != config.history.flushIntervalMillis),
            ("history.flushBatchSize", new.history.flushBatchSize != config.history.flushBatchSize),
        ]
        for (key, changed) in atStartOnly where changed { notes.append("\(key) changes on restart") }
        if new.limits.maxLineLength != config.limits.maxLineLength
            || new.limits.floodLinesPerSecond != config.limits.floodLinesPerSecond
            || new.limits.floodBurst != config.limits.floodBurst {
            notes.append("line length and flood limits apply to new connections")
        }
        var applied = new
        applied.listen = config.listen
        applied.dataDir = config.dataDir
        applied.serverName = config.serverName
        applied.consoleSocket = config.consoleSocket
        let timeoutsChanged = new.limits.registrationTimeoutSeconds != config.limits.registrationTimeoutSeconds
            || new.limits.pingIntervalSeconds != config.limits.pingIntervalSeconds
            || new.limits.pingTimeoutSeconds != config.limits.pingTimeoutSeconds
        config = applied
        if timeoutsChanged { clients.recheckAllTimeouts(now: clock.monotonicNanos) }
        self.motdLines = motdLines
        replies.welcome = nil  // ISUPPORT and the MOTD may have changed
        accounts.reconfigureRegistrations(perAddress: new.accounts.registrationsPerAddressPerHour,
                                          total: new.accounts.registrationsPerHour)
        accounts.reconfigureThrottle(maxFailures: new.accounts.loginMaxFailures,
                                     failureWindowSeconds: new.accounts.loginFailureWindowSeconds)
        logger.notice("configuration reloaded")
        return notes
    }
}
