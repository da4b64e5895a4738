/// Accounts: REGISTER (IRCv3 draft account-registration) and AUTHENTICATE
/// (SASL PLAIN, EXTERNAL in TLS/, SCRAM-SHA-256 in Accounts/SCRAM/).
/// `PASS account:password` is handled at registration.
///
/// Thread-safety: loop thread only (handlers run inside `IRCServer.dispatch`).
enum AccountCommands {
    static let all: [CommandSpec] = [
        CommandSpec("REGISTER", .always, minParams: 3, register),
        CommandSpec("AUTHENTICATE", .always, minParams: 1, authenticate),
    ]

    /// `FAIL REGISTER <code> <account> :text`
    static func fail(_ server: IRCServer, _ client: Client, _ code: String, _ account: String, _ text: String) {
        server.send(client, IRCMessage(source: server.serverName, command: "FAIL", params: ["REGISTER", code, account, text]))
    }

    static func register(_ server: IRCServer, _ client: Client, _ message: IRCMessage) throws {
        let requested = message.params[0], emailParam = message.params[1], password = message.params[2]
        guard server.services != nil, server.config.accounts.allowRegistration else {
            return fail(server, client, "TEMPORARILY_UNAVAILABLE", requested, "Account registration is disabled")
        }
        if let account = client.account {
            return fail(server, client, "ALREADY_AUTHENTICATED", account, "You are already logged in")
        }
        guard !client.authInFlight else {
            return fail(server, client, "TEMPORARILY_UNAVAILABLE", requested, "Another log-in or registration is in progress")
        }
        guard client.isRegistered || server.config.accounts.registerBeforeConnect else {
            return fail(server, client, "COMPLETE_CONNECTION_REQUIRED", requested, "Register your account after connecting")
        }
        let name = requested == "*" ? client.nick : requested
        guard name != "*" else { return fail(server, client, "NEED_NICK", "*", "Choose a nickname before registering") }
        guard NameRules.isValidNick(name, maxLength: server.limits.nickLength) else {
            return fail(server, client, "BAD_ACCOUNT_NAME", name, "Account names follow the nickname rules")
        }
        guard !ReservedNicks.isReserved(name) else {
            return fail(server, client, "BAD_ACCOUNT_NAME", name, ReservedNicks.reason)
        }
        // Someone else online under that nick keeps it.
        if server.clients.isNickTaken(name, by: client) {
            return fail(server, client, "ACCOUNT_EXISTS", name, "That name is in use")
        }
        let email: String? = emailParam == "*" ? nil : emailParam
        if email == nil && server.config.accounts.requireEmail {
            return fail(server, client, "INVALID_EMAIL", name, "An email address is required to register")
        }
        if let email, !(email.contains("@") && email.contains(".") && !email.contains(" ")) {
            return fail(server, client, "INVALID_EMAIL", name, "That email address is not valid")
        }
        guard password.utf8.count >= server.config.accounts.minPasswordLength else {
            return fail(server, client, "WEAK_PASSWORD", name, "Passwords need at least \(server.config.accounts.minPasswordLength) characters")
        }
        guard server.registrationAllowed(from: client.host) else {
            return fail(server, client, "TEMPORARILY_UNAVAILABLE", name, "Too many accounts registered recently; try again later")
        }
        server.registerAccount(client, name: name, email: email, password: password) { [clientID = client.id] result in
            guard let client = server.clients[clientID], client.state != .quitting else { return }
            switch result {
            case .success(let record):
                server.send(client, IRCMessage(source: server.serverName, command: "REGISTER",
                                               params: ["SUCCESS", record.name, "Account \(record.name) registered"]))
                server.logIn(client, as: record, byRegistering: true)
            case .failure(.exists):
                fail(server, client, "ACCOUNT_EXISTS", name, "Account already exists")
            case .failure(.unavailable):
                fail(server, client, "TEMPORARILY_UNAVAILABLE", name, "Could not register the account; try again later")
            }
        }
    }

    /// What CAP LS (`sasl=`) and 908 offer.
    static let saslMechanisms = "PLAIN,EXTERNAL,\(SASLScram.mechanism)"

    /// Ends an open exchange (nothing checked is undone: a log-in in flight finishes).
    static func abortSASL(_ client: Client) {
        client.saslBuffer = nil
        client.saslScram = nil
        client.saslExternal = false
    }

    /// Longest SASL payload accepted, in base64 characters (PLAIN needs far less).
    static let maxSASLBytes = 1600

    static func authenticate(_ server: IRCServer, _ client: Client, _ message: IRCMessage) throws {
        let param = message.params[0]
        guard server.services != nil else { throw IRCError(.saslFail, "SASL authentication is not available") }
        if param == "*" {
            // sasl-3.1: `*` is answered 906, whether or not an exchange was open.
            abortSASL(client)
            throw IRCError(standard: .saslAborted)
        }
        // Logged in already: a new exchange re-authenticates (sasl-3.2); a
        // failure leaves the account as it was.
        guard !client.authInFlight else { throw IRCError(.saslFail, "A log-in is already being checked") }
        guard var buffer = client.saslBuffer else {
            let mechanism = param.uppercased()
            guard mechanism == "PLAIN" || mechanism == "EXTERNAL" || mechanism == SASLScram.mechanism else {
                server.reply(client, .saslMechs, saslMechanisms, "are available SASL mechanisms")
                throw IRCError(.saslFail, "SASL authentication failed")
            }
            if mechanism == "EXTERNAL" {
                // Fail at once rather than after a round trip: without a
                // certificate there is nothing the client could send.
                guard client.connection.peerCertificateFingerprint != nil else {
                    throw IRCError(.saslFail, "SASL EXTERNAL needs a TLS connection with a client certificate")
                }
            }
            client.saslExternal = mechanism == "EXTERNAL"
            client.saslScram = mechanism == SASLScram.mechanism ? ScramExchange() : nil
            client.saslBuffer = ""
            server.send(client, IRCMessage(command: "AUTHENTICATE", params: ["+"]))
            return
        }
        // Base64 comes in 400-byte pieces; a shorter piece (or "+") ends it.
        guard param.utf8.count <= 400 else {
            client.saslBuffer = nil
            client.saslScram = nil
            throw IRCError(.saslTooLong, "SASL message too long")
        }
        if param != "+" { buffer += param }
        guard buffer.utf8.count <= maxSASLBytes else {
            client.saslBuffer = nil
            client.saslScram = nil
            throw IRCError(.saslTooLong, "SASL message too long")
        }
        if param.utf8.count == 400 {
            client.saslBuffer = buffer
            return
        }
        client.saslBuffer = nil
        if client.saslExternal {
            client.saslExternal = false
            return try SASLExternal.finish(server, client, base64: buffer)
        }
        if let exchange = client.saslScram {
            return try SASLScram.step(server, client, exchange, base64: buffer)
        }
        guard let plain = SASLPlainMessage(base64: buffer),
              plain.authorizationID.isEmpty || CaseMapping.fold(plain.authorizationID) == CaseMapping.fold(plain.account) else {
            throw IRCError(.saslFail, "SASL authentication failed: malformed PLAIN message")
        }
        server.verifyCredentials(client, account: plain.account, password: plain.password) { [clientID = client.id] result in
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
}
