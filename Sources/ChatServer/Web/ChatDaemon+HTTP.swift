import CoreLoop
import HTTPCore

/// The web listener: `http.listen` (plain) and `http.tlsListen` (HTTPS/WSS,
/// with the IRC listeners' certificate), served by `WebFrontend` on the
/// daemon's loop.
///
/// Thread-safety: loop thread only (set up in `init`, before the loop runs).
extension ChatDaemon {
    /// Creates the web side and binds its addresses; nothing when `http.listen` and `http.tlsListen` are empty.
    func startWeb(_ config: ServerConfig, reader: Offloader?) throws {
        let http = config.http
        guard !http.listen.isEmpty || !http.tlsListen.isEmpty else { return }
        let reader = reader ?? {
            let pool = WorkerPool(loop: loop, threads: 1)
            pools.append(pool)
            return pool
        }()
        let web = WebFrontend(server: server, loop: loop, settings: http, reader: reader, logger: logger)
        web.router.add(path: "/metrics", MetricsResponder(daemon: self, allow: { [unowned web] in AddressAllowList(web.settings.metricsAllow) }))
        self.web = web
        var limits = config.connectionLimits
        // Room for a whole request head as well as a partial WebSocket frame.
        limits.maxInboundBytes = max(limits.maxInboundBytes, http.maxHeaderBytes + 4096)
        if !http.tlsListen.isEmpty && tls == nil {
            tls = try TLSCertificates(settings: config.tls, dataDir: config.dataDir, serverName: config.serverName, logger: logger)
            // The reload's worker, as for IRC TLS listeners: without it `chatctl reload`
            // and SIGHUP would skip the certificate when only HTTPS listens.
            let worker = WorkerPool(loop: loop, threads: 1)
            pools.append(worker)
            tlsWorker = worker
        }
        for (text, secure) in http.listen.map({ ($0, false) }) + http.tlsListen.map({ ($0, true) }) {
            let address = try SocketAddress(parsing: text)
            let listener = try StreamListener.tcp(loop: loop, address: address, limits: limits) { [unowned self] connection in
                self.acceptHTTP(connection, secure: secure)
            }
            listener.onAcceptError = { [logger] error in logger.warning("accept failed: \(error)") }
            httpListeners.append(listener)
            logger.info("HTTP listening on \(listener.address)\(secure ? " (TLS)" : "")")
        }
        startFileHost(web)  // files over HTTP (FileHost/): /files and draft/FILEHOST
    }

    private func acceptHTTP(_ connection: StreamConnection, secure: Bool) {
        guard let web else { return connection.close(reason: .local("no web side")) }
        if secure, !startTLS(on: connection) { return }
        web.http.accept(connection)
    }
}
