/// Accounts: checking credentials off the loop, logging in, creating
/// accounts, and the nick reservation that registered names get.
extension IRCServer {
    /// Whether `nick` belongs to an account other than the one `client` is logged in to.
    func isNickReserved(_ nick: String, against client: Client) -> Bool {
        accounts.isNickReserved(nick, loggedInAs: client.account)
    }

    /// Checks `account`/`password` on a worker, in time that does not reveal
    /// whether the account exists, with per-address and per-account
    /// throttling. `done` runs on the loop with the account, or an error text;
    /// then held input flows again (`authFinished`), whoever the caller was.
    func verifyCredentials(_ client: Client, account: String, password: String,
                           done answer: @escaping (Result<AccountRecord, LoginFailure>) -> Void) {
        let done: (Result<AccountRecord, LoginFailure>) -> Void = LaterAnswers.wrap(client, on: self) { [clientID = client.id] result in
            answer(result)
            if let client = self.clients[clientID] { self.authFinished(client) }
        }
        guard let vault else { return done(.failure(.unavailable)) }
        let keys = ["ip:" + client.host, "account:" + CaseMapping.fold(account)]
        let wait = accounts.retryAfter(keys, now: clock.monotonicNanos)
        if wait > 0 {
            logger.notice("log-in throttled for \(account.escapedForLog) from \(client.host)")
            return done(.failure(.throttled(seconds: wait)))
        }
        client.authInFlight = true
        accounts.checkStarted(keys)
        vault.check(account: account, password: password) { [clientID = client.id] result in
            self.accounts.checkFinished(keys)
            // A failure counts even when the client left before the answer.
            if case .success(nil) = result {
                self.accounts.recordFailure(keys, now: self.clock.monotonicNanos)
                self.stats.loginsFailed &+= 1
            }
            guard let client = self.clients[clientID], client.state != .quitting else { return }
            switch result {
            case .success(let record?):
                self.accounts.recordSuccess(account: keys[1])
                self.stats.loginsSucceeded &+= 1
                done(.success(record))
            case .success(nil):
                self.logger.notice("failed log-in for \(account.escapedForLog) from \(client.host)")
                done(.failure(.badCredentials))
            case .failure(let error):
                self.logger.error("log-in check failed: \(error)")
                done(.failure(.unavailable))
            }
        }
    }

    /// After a log-in check or an account registration, once its answer is
    /// sent: let held input flow again and finish registering if everything
    /// else was already there. The functions that set `authInFlight` call it.
    func authFinished(_ client: Client) {
        client.authInFlight = false
        guard client.state != .quitting else { return }
        if !isThrottled(client) { client.transport.resumeReading() }
        completeRegistrationIfReady(client)
    }

    /// An account was deleted: its name is free again, and anyone logged in to it is logged out.
    func accountDeleted(_ name: String) {
        let folded = CaseMapping.fold(name)
        accounts.release(name)
        for client in clients.all where client.account.map(CaseMapping.fold) == folded {
            client.account = nil
            // Rights that came with the account go with it (not those of an OPER).
            if client.operatorByAccount { dropAccountOperator(client) }
            reply(client, standard: .loggedOut, client.mask)
        }
        logger.notice("account \(name.escapedForLog) deleted")
    }

    /// Takes away the +o an operator account gave.
    private func dropAccountOperator(_ client: Client) {
        client.operatorByAccount = false
        setUserModes(client, operator: false)
        if client.isRegistered { send(client, IRCMessage(source: client.mask, command: "MODE", params: [client.nick, "-o"])) }
    }

    /// Deletes (on the writer) accounts never logged in to within
    /// `unusedAccountExpiryDays`, at most 100 per run, and frees their names.
    func expireUnusedAccounts() {
        let days = config.accounts.unusedAccountExpiryDays
        guard days > 0, let services else { return }
        let cutoff = clock.wallMillis &- Int64(days) &* 86_400_000
        let storage = services.storage
        services.writer.offload({ try storage.deleteUnusedAccounts(createdBefore: cutoff, limit: 100) },
                                completion: { result in
            switch result {
            case .success(let names):
                for name in names { self.accountDeleted(name) }
                if !names.isEmpty { self.logger.notice("expired \(names.count) account(s) never logged in to for \(days) days") }
            case .failure(let error):
                self.logger.error("expiring unused accounts failed: \(error)")
            }
        })
    }

    /// Marks `client` as logged in and tells it (900) and its peers (account-notify).
    /// A banned account is refused and disconnected instead. A log-in by
    /// SASL or PASS (not the one REGISTER makes) is recorded, so the account
    /// does not expire as unused.
    func logIn(_ client: Client, as record: AccountRecord, byRegistering: Bool = false) {
        if let ban = activeBan(account: record.name) {
            logger.notice("banned account \(record.name) refused from \(client.host)")
            quit(client, reason: "You are banned from this server: \(ban.reason)")
            return
        }
        if !byRegistering { vault?.recordLogin(account: record.name, atMillis: clock.wallMillis) }
        let previous = client.account
        client.account = record.name
        let folded = record.folded
        // SASL re-authentication (sasl-3.2) to the account it has: told, nothing else changes.
        if let previous, CaseMapping.fold(previous) == folded {
            return reply(client, .loggedIn, client.mask, record.name, "You are now logged in as \(record.name)")
        }
        let was = previous.map { " (was \($0))" } ?? ""
        logger.info("\(client.nick) from \(client.host) logged in as \(record.name)\(was)")
        let grantsOperator = record.isOperator || config.accounts.operatorAccounts.contains(where: { CaseMapping.fold($0) == folded })
        reply(client, .loggedIn, client.mask, record.name, "You are now logged in as \(record.name)")
        if grantsOperator && !client.isOperator {
            setUserModes(client, operator: true)
            client.operatorByAccount = true
            logger.notice("\(client.nick) logged in as operator account \(record.name)")
            if client.isRegistered { send(client, IRCMessage(source: client.mask, command: "MODE", params: [client.nick, "+o"])) }
        } else if !grantsOperator && client.operatorByAccount {
            // Re-authenticated away from an operator account: its rights stay with it.
            dropAccountOperator(client)
        }
        notifyObservers { $0.clientLoggedIn(client, newAccount: byRegistering) }
        guard client.isRegistered else { return }
        files.accountLoggedIn(client)  // private shares that waited for this account
        // The nick stays as it is: a client that logs in (or registers an
        // account) after connecting keeps the name its user chose.
        broadcastToPeers(of: client, IRCMessage(source: client.mask, command: "ACCOUNT", params: [record.name]),
                         includeSelf: false, requiring: .accountNotify)
    }

    /// REGISTER's hourly limits, per address and in total; a creation that
    /// passes is counted at once (before the hash), so a burst cannot slip by.
    func registrationAllowed(from host: String) -> Bool {
        let ok = accounts.admitRegistration(from: host, now: clock.monotonicNanos)
        if !ok { logger.notice("account registration refused from \(host): hourly limit reached") }
        return ok
    }

    /// Creates an account (hash on a worker, insert through the writer) and
    /// logs the client in once it is on disk.
    func registerAccount(_ client: Client, name: String, email: String?, password: String,
                         done answer: @escaping (Result<AccountRecord, AccountRegistrationFailure>) -> Void) {
        client.authInFlight = true
        createAccount(name: name, email: email, password: password, by: client.host, done: LaterAnswers.wrap(client, on: self) {
            [clientID = client.id] result in
            answer(result)
            if let client = self.clients[clientID] { self.authFinished(client) }
        })
    }

    /// Creates an account (REGISTER, or the console); see `AccountVault.create`.
    func createAccount(name: String, email: String?, password: String, by origin: String,
                       done: @escaping (Result<AccountRecord, AccountRegistrationFailure>) -> Void) {
        guard let vault else { return done(.failure(.unavailable)) }
        vault.create(name: name, email: email, password: password, createdAtMillis: clock.wallMillis, by: origin, done: done)
    }
}
