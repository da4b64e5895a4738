import Foundation

/// SASL EXTERNAL: the client's TLS certificate is its credential. The
/// fingerprint (SHA-256) is looked up among those linked to accounts with
/// `chatctl accounts add-certfp`; the optional authorization identity must
/// then name that same account.
///
/// Thread-safety: loop thread only (called from the AUTHENTICATE handler).
enum SASLExternal {
    /// The client's response arrived (`+` for none, or a base64 authzid).
    static func finish(_ server: IRCServer, _ client: Client, base64 buffer: String) throws {
        var authorizationID = ""
        if !buffer.isEmpty {
            guard let data = Data(base64Encoded: buffer) else {
                throw IRCError(.saslFail, "SASL authentication failed: malformed EXTERNAL response")
            }
            authorizationID = String(decoding: data, as: UTF8.self)
        }
        guard let text = client.connection.peerCertificateFingerprint, let fingerprint = CertificateFingerprint(text) else {
            throw IRCError(.saslFail, "SASL EXTERNAL needs a TLS connection with a client certificate")
        }
        verifyCertificate(server, client, fingerprint: fingerprint, authorizationID: authorizationID) { [clientID = client.id] result in
            guard let client = server.clients[clientID] else { return }
            switch result {
            case .success(let record):
                server.logIn(client, as: record)
                server.reply(client, standard: .saslSuccess)
            case .failure(let failure):
                server.reply(client, .saslFail, failure.text)
            }
        }
    }

    /// Looks the certificate up on the reader worker, holding the client's
    /// input meanwhile as a password check does.
    static func verifyCertificate(_ server: IRCServer, _ client: Client, fingerprint: CertificateFingerprint, authorizationID: String,
                           done answer: @escaping (Result<AccountRecord, LoginFailure>) -> Void) {
        let done: (Result<AccountRecord, LoginFailure>) -> Void = LaterAnswers.wrap(client, on: server) { [clientID = client.id] result in
            answer(result)
            if let client = server.clients[clientID] { server.authFinished(client) }
        }
        guard let services = server.services else { return done(.failure(.unavailable)) }
        client.authInFlight = true
        let storage = services.storage
        services.readers.offload({ try storage.account(forCertificateFingerprint: fingerprint) },
                                 completion: { [clientID = client.id] result in
            guard let client = server.clients[clientID], client.state != .quitting else { return }
            switch result {
            case .success(let record?) where authorizationID.isEmpty || CaseMapping.fold(authorizationID) == record.folded:
                done(.success(record))
            case .success:
                server.logger.notice("SASL EXTERNAL refused for certificate \(fingerprint) from \(client.host)")
                done(.failure(.badCredentials))
            case .failure(let error):
                server.logger.error("certificate log-in check failed: \(error)")
                done(.failure(.unavailable))
            }
        })
    }
}
