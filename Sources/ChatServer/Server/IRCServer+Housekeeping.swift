/// Flood control and the periodic sweep: resuming throttled clients,
/// pinging the silent, dropping the unregistered and unresponsive.
extension IRCServer {
    func throttle(_ client: Client) {
        guard housekeeping.throttled.insert(client.id).inserted else { return }
        client.transport.pauseReading()
        checkFloodBacklog(client)
    }

    private func checkFloodBacklog(_ client: Client) {
        if client.transport.pendingInputBytes > limits.floodBacklogBytes {
            quit(client, reason: "Excess Flood")
        }
    }

    /// Whether flood control holds `client`'s input back right now.
    func isThrottled(_ client: Client) -> Bool { housekeeping.throttled.contains(client.id) }

    /// Periodic housekeeping; the daemon calls it a few times per second.
    /// Resumes throttled clients whose tokens refilled, pings the silent, and
    /// drops the unregistered and unresponsive.
    public func tick() {
        let now = clock.monotonicNanos
        sampleRates(now: now)
        files.tick(now: now)
        for id in housekeeping.throttled {
            guard let client = clients[id] else { housekeeping.throttled.remove(id); continue }
            client.flood.refill(now: now)
            if client.flood.tokens >= 1 {
                housekeeping.throttled.remove(id)
                client.transport.resumeReading()
            } else {
                checkFloodBacklog(client)
            }
        }
        // Timeouts are whole seconds: looking once a second is enough (flood
        // resumption above runs on every tick).
        guard now &- housekeeping.lastTimeoutSweepNanos >= 1_000_000_000 else { return }
        housekeeping.lastTimeoutSweepNanos = now
        accounts.sweepThrottle(now: now)
        if housekeeping.lastAccountExpiryNanos == 0 || now &- housekeeping.lastAccountExpiryNanos >= 3_600_000_000_000 {
            housekeeping.lastAccountExpiryNanos = now
            expireUnusedAccounts()
        }
        let registrationTimeout = SaturatingNanos.seconds(limits.registrationTimeoutSeconds)
        let pingInterval = SaturatingNanos.seconds(limits.pingIntervalSeconds)
        let pingDeadline = SaturatingNanos.sum(pingInterval, SaturatingNanos.seconds(limits.pingTimeoutSeconds))
        let pendingAnswerGrace = SaturatingNanos.sum(pingDeadline, pingDeadline)
        // Only the clients whose next deadline has come (a timer wheel):
        // each is checked and, unless it goes, filed for its next deadline.
        // Those that time out quit together, after the pass (`Departures.quitTogether`).
        var timedOut: [(client: Client, reason: String)] = []
        for client in clients.dueForTimeoutCheck(now: now) {
            let silent = now &- client.lastInputNanos
            let next: UInt64
            if !client.isRegistered {
                if now &- client.connectedAtNanos > registrationTimeout {
                    quit(client, reason: "Registration timed out")
                    continue
                }
                // Registering still: again at its registration deadline, or
                // within a ping interval if sooner, so a client that registers
                // meanwhile is looked at before its first PING is due.
                next = min(SaturatingNanos.sum(client.connectedAtNanos, registrationTimeout),
                           SaturatingNanos.sum(now, pingInterval))
            } else if client.pendingAnswers > 0 && silent <= pendingAnswerGrace {
                // Its input is held until a worker answers (LaterAnswers):
                // the server is the one that is slow, and a PONG waiting
                // unread must not count as silence; its silence counts from
                // when the answer is in. Not for ever: input stopped being
                // read when the command came (`lastInputNanos`), and a worker
                // stuck past twice the ping deadline (a hung disk) must not
                // keep a vanished client, so then the usual rules apply.
                next = min(SaturatingNanos.sum(now, pingInterval), SaturatingNanos.sum(client.lastInputNanos, pendingAnswerGrace) &+ 1)
            } else if client.pingOutstanding {
                if silent > pingDeadline {
                    timedOut.append((client, "Ping timeout: \(limits.pingIntervalSeconds + limits.pingTimeoutSeconds) seconds"))
                    continue
                }
                // It answered (input clears the flag) or still may.
                next = SaturatingNanos.sum(client.lastInputNanos, pingDeadline)
            } else if silent > pingInterval {
                client.pingOutstanding = true
                send(client, IRCMessage(command: "PING", params: [serverName]))
                next = SaturatingNanos.sum(client.lastInputNanos, pingDeadline)
            } else {
                next = SaturatingNanos.sum(client.lastInputNanos, pingInterval)
            }
            clients.scheduleTimeoutCheck(client, afterNanos: next)
        }
        if !timedOut.isEmpty { departures.quitTogether(timedOut, tellClient: true) }
    }

    /// Lines in and out per second, over the last full second.
    private func sampleRates(now: UInt64) {
        guard now &- stats.rateSample.nanos >= 1_000_000_000 else { return }
        let seconds = Double(now &- stats.rateSample.nanos) / 1e9
        if stats.rateSample.nanos > 0 {
            stats.linesInPerSecond = Double(stats.linesIn &- stats.rateSample.linesIn) / seconds
            stats.linesOutPerSecond = Double(stats.linesOut &- stats.rateSample.linesOut) / seconds
        }
        stats.rateSample = (now, stats.linesIn, stats.linesOut)
    }
}
