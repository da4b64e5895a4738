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

    /// Applies a reloaded configuration: limits, accounts, history and MOTD
    /// (`ReloadPlan` keeps what needs a restart and returns its notes).
    public func apply(_ new: ServerConfig, motdLines: [String]?) -> [String] {
        let plan = ReloadPlan(running: config, read: new)
        let timeoutsChanged = new.limits.registrationTimeoutSeconds != config.limits.registrationTimeoutSeconds
            || new.limits.pingIntervalSeconds != config.limits.pingIntervalSeconds
            || new.limits.pingTimeoutSeconds != config.limits.pingTimeoutSeconds
        config = plan.applied
        if timeoutsChanged { clients.recheckAllTimeouts(now: clock.monotonicNanos) }
        self.motdLines = motdLines
        replies.welcome = nil  // ISUPPORT and the MOTD may have changed
        accounts.reconfigureRegistrations(perAddress: new.accounts.registrationsPerAddressPerHour,
                                          total: new.accounts.registrationsPerHour)
        accounts.reconfigureThrottle(maxFailures: new.accounts.loginMaxFailures,
                                     failureWindowSeconds: new.accounts.loginFailureWindowSeconds)
        logger.notice("configuration reloaded")
        return plan.notes
    }
}
