/// Who is asking, for files over HTTP. In order:
///
/// 1. `Authorization: Basic account:token`, a live token from `FILE TOKEN`
///    issued to that account: the request acts through that connection;
/// 2. `Authorization: Basic account:password`: checked like a SASL PLAIN
///    log-in (yescrypt on the hashing workers, never on the loop; the same
///    throttle per address and per account); acts through every connection
///    logged in to the account;
/// 3. for downloads only, the `chatd_file_token` cookie the web page sets
///    (scoped to `/files/`, SameSite=Strict), so links and players work.
///
/// Thread-safety: loop thread only.
struct FileHTTPAuth {
    static let cookieName = "chatd_file_token"
    unowned let server: IRCServer

    func authenticate(authorization: String?, cookie: String?, peerHost: String, allowCookie: Bool,
                      done: @escaping (Result<FileHTTPIdentity, FileHTTPError>) -> Void) {
        let now = server.clock.monotonicNanos
        if let credentials = BasicCredentials(header: authorization) {
            if let grant = server.files.tokens.grant(credentials.password, now: now),
               CaseMapping.fold(grant.account) == CaseMapping.fold(credentials.user) {
                return done(identity(for: grant))
            }
            return checkPassword(credentials, peerHost: peerHost, done: done)
        }
        if allowCookie, let token = Self.cookie(Self.cookieName, in: cookie), let grant = server.files.tokens.grant(token, now: now) {
            return done(identity(for: grant))
        }
        done(.failure(FileHTTPError(401, "Log in: HTTP Basic with your account and password, or a token from FILE TOKEN")))
    }

    private func identity(for grant: FileTokenGrant) -> Result<FileHTTPIdentity, FileHTTPError> {
        guard let client = server.clients[grant.clientID], client.state != .quitting,
              client.account.map(CaseMapping.fold) == CaseMapping.fold(grant.account) else {
            return .failure(FileHTTPError(401, "That token's chat connection is gone; ask for a new one"))
        }
        return .success(FileHTTPIdentity(account: grant.account, clients: [client]))
    }

    private func checkPassword(_ credentials: BasicCredentials, peerHost: String,
                               done: @escaping (Result<FileHTTPIdentity, FileHTTPError>) -> Void) {
        guard let services = server.services else { return done(.failure(FileHTTPError(503, "No account database"))) }
        let keys = ["ip:" + peerHost, "account:" + CaseMapping.fold(credentials.user)]
        let wait = server.accounts.retryAfter(keys, now: server.clock.monotonicNanos)
        if wait > 0 { return done(.failure(FileHTTPError(429, "Too many failed log-ins; try again in \(wait) seconds"))) }
        server.accounts.checkStarted(keys)
        let storage = services.storage
        let (user, password) = (credentials.user, credentials.password)
        services.hashers.offload({ () -> AccountRecord? in
            let record = try storage.account(named: user)
            // Hash even when there is no such account, so both take as long.
            let ok = PasswordHasher.verify(password, against: record?.passwordHash ?? PasswordHasher.decoy)
            return ok ? record : nil
        }, completion: { [server] result in
            server.accounts.checkFinished(keys)
            switch result {
            case .success(let record?):
                server.accounts.recordSuccess(account: keys[1])
                let key = CaseMapping.fold(record.name)
                let clients = server.clients.all.filter { $0.isRegistered && $0.account.map(CaseMapping.fold) == key }
                done(.success(FileHTTPIdentity(account: record.name, clients: clients)))
            case .success(nil):
                server.accounts.recordFailure(keys, now: server.clock.monotonicNanos)
                server.logger.notice("failed HTTP log-in for \(user.escapedForLog) from \(peerHost)")
                done(.failure(FileHTTPError(401, "Wrong account, password or token (a FILE TOKEN lasts only while its chat connection does)")))
            case .failure(let error):
                server.logger.error("HTTP log-in check failed: \(error)")
                done(.failure(FileHTTPError(503, "Could not check the password; try again")))
            }
        })
    }

    /// One cookie's value from a `Cookie:` header.
    static func cookie(_ name: String, in header: String?) -> String? {
        guard let header else { return nil }
        for part in header.split(separator: ";") {
            let item = HeaderText.trim(part)
            guard let eq = item.firstIndex(of: "="), item[..<eq] == name else { continue }
            let value = String(item[item.index(after: eq)...])
            return value.isEmpty ? nil : value
        }
        return nil
    }
}
