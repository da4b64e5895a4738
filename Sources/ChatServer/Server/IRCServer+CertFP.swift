/// Log-in by client certificate (SASL EXTERNAL): the lookup reads the
/// database, so it runs on the reader worker, and the client's input is
/// held meanwhile as for a password check.
extension IRCServer {
    func verifyCertificate(_ client: Client, fingerprint: CertificateFingerprint, authorizationID: String,
                           done answer: @escaping (Result<AccountRecord, LoginFailure>) -> Void) {
        let done: (Result<AccountRecord, LoginFailure>) -> Void = { [weak self, weak client] result in
            answer(result)
            if let client { self?.authFinished(client) }
        }
        guard let services else { return done(.failure(.unavailable)) }
        client.authInFlight = true
        let storage = services.storage
        services.readers.offload({ try storage.account(forCertificateFingerprint: fingerprint) },
                                 completion: { [weak self, weak client] result in
            guard let self, let client, client.state != .quitting else { return }
            switch result {
            case .success(let record?) where authorizationID.isEmpty || CaseMapping.fold(authorizationID) == record.folded:
                done(.success(record))
            case .success:
                self.logger.notice("SASL EXTERNAL refused for certificate \(fingerprint) from \(client.host)")
                done(.failure(.badCredentials))
            case .failure(let error):
                self.logger.error("certificate log-in check failed: \(error)")
                done(.failure(.unavailable))
            }
        })
    }
}
