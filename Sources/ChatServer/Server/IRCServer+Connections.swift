/// Connections arriving and going: the limits a new one is checked
/// against, and the transport's close reaching the client.
///
/// Thread-safety: loop thread only (as `IRCServer`).
extension IRCServer {
    /// A transport connected from `host`. Returns the new client, or nil when a
    /// connection limit refused it (the transport got ERROR and is closing).
    @discardableResult
    public func accept(_ transport: ClientTransport, host: String) -> Client? {
        let limits = config.limits
        if limits.maxConnections > 0 && clients.count >= limits.maxConnections {
            refuse(transport, host: host, reason: "Server is full")
            return nil
        }
        if let ban = activeBan(address: host) {
            refuse(transport, host: host, reason: "You are banned from this server: \(ban.reason)")
            return nil
        }
        if limits.maxConnectionsPerIP > 0 && clients.connections(from: host) >= limits.maxConnectionsPerIP {
            refuse(transport, host: host, reason: "Too many connections from your IP address")
            return nil
        }
        let client = clients.admit(transport, host: host, now: clock.monotonicNanos, wallMillis: clock.wallMillis, limits: limits)
        stats.connectionsAccepted += 1
        logger.debug("connection from \(host)", metadata: ["client": "\(client.id)"])
        return client
    }

    private func refuse(_ transport: ClientTransport, host: String, reason: String) {
        stats.connectionsRefused += 1
        logger.info("refused connection from \(host): \(reason.escapedForLog)")
        sendClosingLink(transport, host: host, reason: reason)
        transport.close(reason: reason, afterFlush: true)
    }

    /// The transport closed (peer gone, error, send queue). Idempotent.
    public func transportClosed(_ client: Client, reason: String) {
        // Quit with the other hang-ups of this moment (`Departures`).
        if client.state != .quitting { departures.add(client, reason: reason) }
    }
}
