import CoreLoop

/// The daemon's TLS duties beside the listeners: reloading the certificate
/// and keeping the STS policy in step with the configuration.
///
/// Thread-safety: loop thread only.
extension ChatDaemon {
    /// Re-reads the TLS certificate on a worker; new connections get it,
    /// open ones keep theirs. `done` gets notes for the console.
    public func reloadCertificates(_ done: @escaping ([String]) -> Void) {
        guard let tls, let worker = tlsWorker else { return done([]) }
        let config = server.config
        tls.reload(settings: config.tls, dataDir: config.dataDir, serverName: config.serverName, worker: worker) { result in
            switch result {
            case .success(let fingerprint): done(["TLS certificate loaded, SHA-256 \(fingerprint)"])
            case .failure(let error): done(["TLS certificate not reloaded, the old one stays: \(error)"])
            }
        }
    }

    /// `sts` is offered when a TLS listener exists and `tls.stsDurationSeconds` is set.
    func updateSTSPolicy() {
        let duration = server.config.tls.stsDurationSeconds
        guard duration > 0, let port = tlsListeners.first?.address.port else {
            server.stsPolicy = nil
            return
        }
        server.stsPolicy = STSPolicy(port: port, durationSeconds: duration)
    }

    /// Starts the server side of TLS on a freshly accepted connection (IRC
    /// or HTTP listener alike); false when it could not, the connection
    /// then being closed with the reason.
    func startTLS(on connection: StreamConnection) -> Bool {
        guard let tls else {
            connection.close(reason: .local("no TLS certificate"))
            return false
        }
        do {
            let timeout = Nanoseconds.seconds(UInt64(server.config.tls.handshakeTimeoutSeconds))
            try connection.enableTLS(tls.context, handshakeTimeout: timeout)
            return true
        } catch {
            logger.warning("could not start TLS: \(error)")
            connection.close(reason: .local("TLS setup failed"))
            return false
        }
    }
}
