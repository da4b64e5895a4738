import CoreLoop

/// Binding the listen addresses and accepting connections: plain and TLS
/// IRC, and the admin console.
///
/// Thread-safety: loop thread only (binding happens in `init`, before the loop runs).
extension ChatDaemon {
    /// Binds every `listen` and `tlsListen` address (before the loop runs).
    func bindListeners(_ config: ServerConfig, limits: ConnectionLimits) throws {
        for (text, secure) in config.listen.map({ ($0, false) }) + config.tlsListen.map({ ($0, true) }) {
            let address = try SocketAddress(parsing: text)
            let listener = try StreamListener.tcp(loop: loop, address: address, limits: limits) { [unowned self] connection in
                self.accept(connection, secure: secure)
            }
            listener.onAcceptError = { [logger] error in logger.warning("accept failed: \(error)") }
            listeners.append(listener)
            if secure { tlsListeners.append(listener) }
            logger.info("listening on \(listener.address)\(secure ? " (TLS)" : "")")
        }
    }

    func accept(_ connection: StreamConnection, secure: Bool) {
        if secure, !startTLS(on: connection) { return }
        let transport = SocketClientTransport(connection: connection, server: server)
        connection.own(delegate: transport)  // the connection owns its transport
        do {
            try connection.start()
        } catch {
            logger.warning("could not start connection: \(error)")
            connection.close(reason: .local("start failed"))
            return
        }
        transport.client = server.accept(transport, host: connection.peer?.host ?? "unknown")
    }

    /// A console connection: only this user (or root) gets a session.
    func acceptConsole(_ connection: StreamConnection) {
        let uid = (try? connection.peerCredentials())?.uid
        guard let uid, consoleAllowedUIDs.contains(uid) else {
            logger.warning("console connection refused for uid \(uid.map(String.init) ?? "unknown")")
            try? connection.start()
            connection.write(ConsoleReply.error(.failed("permission denied")).line.withUnsafeBytes { ByteChunk($0) })
            connection.close(reason: .local("permission denied"), afterFlush: true)
            return
        }
        let session = ConsoleSession(connection: connection, host: self, logger: logger)
        connection.own(delegate: session)
        do {
            try connection.start()
        } catch {
            connection.close(reason: .local("start failed"))
        }
    }
}
