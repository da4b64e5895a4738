import Foundation

/// SASL SCRAM-SHA-256 (RFC 5802, RFC 7677) beside PLAIN: the password never
/// crosses the wire, and the server stores only a verifier (`ScramVerifier`).
///
///     C: AUTHENTICATE SCRAM-SHA-256        S: AUTHENTICATE +
///     C: AUTHENTICATE <n,,n=user,r=cnonce> S: AUTHENTICATE <r=cnonce+snonce,s=salt,i=4096>
///     C: AUTHENTICATE <c=biws,r=…,p=proof> S: AUTHENTICATE <v=signature>
///     C: AUTHENTICATE +                    S: 900, 903
///
/// The verifier is read on the reader worker; checking the proof is two
/// HMACs and a hash, done on the loop. An unknown account, or one without a
/// verifier yet (created before SCRAM, until its next PLAIN log-in), gets a
/// decoy salt that is the same on every try, so the answer does not tell
/// which names exist. The log-in throttle counts SCRAM like PLAIN.
///
/// Thread-safety: loop thread only (called from the AUTHENTICATE handler).
enum SASLScram {
    static let mechanism = "SCRAM-SHA-256"

    /// Keys decoy salts; random per run.
    static let decoySecret = ScramCrypto.randomBytes(32)

    static func fail(_ client: Client, _ text: String = "SASL authentication failed") -> IRCError {
        client.saslScram = nil
        return IRCError(.saslFail, text)
    }

    /// A complete client message (base64 already joined from its pieces).
    static func step(_ server: IRCServer, _ client: Client, _ exchange: ScramExchange, base64 buffer: String) throws {
        guard let data = buffer.isEmpty ? Data() : Data(base64Encoded: buffer),
              let text = String(data: data, encoding: .utf8) else {
            throw fail(client, "SASL authentication failed: malformed SCRAM message")
        }
        switch exchange.stage {
        case .awaitingClientFirst:
            try start(server, client, exchange, text)
        case .lookingUp:
            throw fail(client, "A log-in is already being checked")
        case .awaitingClientFinal(let first, let serverFirst, let nonce, let credentials):
            try finish(server, client, exchange, text, first: first, serverFirst: serverFirst, nonce: nonce, credentials: credentials)
        case .awaitingAcknowledgement(let record):
            client.saslScram = nil
            server.logIn(client, as: record)
            if client.state != .quitting { server.reply(client, standard: .saslSuccess) }
        }
    }

    private static func start(_ server: IRCServer, _ client: Client, _ exchange: ScramExchange, _ text: String) throws {
        guard let first = ScramClientFirst(text) else {
            throw fail(client, "SASL authentication failed: malformed SCRAM client-first message")
        }
        if let authzid = first.authorizationID, CaseMapping.fold(authzid) != CaseMapping.fold(first.username) {
            throw fail(client)
        }
        guard let services = server.services else { throw fail(client, LoginFailure.unavailable.text) }
        let keys = ["ip:" + client.host, "account:" + CaseMapping.fold(first.username)]
        let wait = server.accounts.retryAfter(keys, now: server.clock.monotonicNanos)
        if wait > 0 {
            server.logger.notice("SCRAM log-in throttled for \(first.username.escapedForLog) from \(client.host)")
            throw fail(client, LoginFailure.throttled(seconds: wait).text)
        }
        let accounts = server.accounts
        exchange.ticket = ThrottleTicket(start: { accounts.checkStarted(keys) }, finish: { [weak accounts] in accounts?.checkFinished(keys) })
        exchange.stage = .lookingUp
        client.authInFlight = true
        let storage = services.storage, name = first.username
        services.readers.offload({ try storage.scramCredentials(ofAccount: name) }, completion: LaterAnswers.wrap(client, on: server) {
            [clientID = client.id] result in
            guard let client = server.clients[clientID] else { return }
            defer { server.authFinished(client) }
            guard client.state != .quitting, client.saslScram === exchange else { return }
            let found: (AccountRecord, ScramVerifier?)?
            switch result {
            case .success(let value): found = value
            case .failure(let error):
                server.logger.error("SCRAM verifier lookup failed: \(error)")
                client.saslScram = nil
                server.reply(client, .saslFail, LoginFailure.unavailable.text)
                return
            }
            let credentials = Credentials(found: found, name: name)
            let nonce = first.nonce + Base64.encode(ScramCrypto.randomBytes(18))
            let serverFirst = "r=\(nonce),s=\(Base64.encode(credentials.verifier.salt)),i=\(credentials.verifier.iterations)"
            exchange.stage = .awaitingClientFinal(first, serverFirst: serverFirst, nonce: nonce, credentials: credentials)
            client.saslBuffer = ""
            sendChallenge(server, client, serverFirst)
        })
    }

    private static func finish(_ server: IRCServer, _ client: Client, _ exchange: ScramExchange, _ text: String,
                               first: ScramClientFirst, serverFirst: String, nonce: String, credentials: Credentials) throws {
        let keys = ["ip:" + client.host, "account:" + CaseMapping.fold(first.username)]
        defer { exchange.ticket?.end() }
        guard let final = ScramClientFinal(text), final.nonce == nonce,
              final.channelBinding == Base64.encode(Array(first.gs2Header.utf8)) else {
            server.accounts.recordFailure(keys, now: server.clock.monotonicNanos)
            throw fail(client, "SASL authentication failed: malformed SCRAM client-final message")
        }
        let authMessage = Array("\(first.bare),\(serverFirst),\(final.withoutProof)".utf8)
        let verifier = credentials.verifier
        let clientSignature = ScramCrypto.hmac(key: verifier.storedKey, authMessage)
        let clientKey = ScramCrypto.xor(final.proof, clientSignature)
        let proofOK = ScramCrypto.equal(ScramCrypto.sha256(clientKey), verifier.storedKey)
        guard proofOK, let record = credentials.account else {
            server.accounts.recordFailure(keys, now: server.clock.monotonicNanos)
            server.logger.notice("failed SCRAM log-in for \(first.username.escapedForLog) from \(client.host)")
            throw fail(client)
        }
        server.accounts.recordSuccess(account: keys[1])
        let serverSignature = ScramCrypto.hmac(key: verifier.serverKey, authMessage)
        exchange.stage = .awaitingAcknowledgement(record)
        client.saslBuffer = ""
        sendChallenge(server, client, "v=" + Base64.encode(serverSignature))
    }

    /// `AUTHENTICATE <base64>` in 400-byte pieces; a piece of exactly 400
    /// is followed by `+` so the client knows the message ended.
    static func sendChallenge(_ server: IRCServer, _ client: Client, _ text: String) {
        let encoded = Array(Base64.encode(Array(text.utf8)).utf8)
        var offset = 0
        repeat {
            let end = min(offset + 400, encoded.count)
            server.send(client, IRCMessage(command: "AUTHENTICATE", params: [String(decoding: encoded[offset..<end], as: UTF8.self)]))
            offset = end
        } while offset < encoded.count
        if encoded.count % 400 == 0 { server.send(client, IRCMessage(command: "AUTHENTICATE", params: ["+"])) }
    }

    typealias Credentials = ScramExchange.Credentials
}

extension ScramExchange.Credentials {
    /// The real verifier, or a decoy: the salt is keyed on the name, so
    /// asking twice gives the same salt, and the keys match no proof.
    init(found: (AccountRecord, ScramVerifier?)?, name: String) {
        if case let (record, verifier?)? = found {
            self.init(account: record, verifier: verifier)
            return
        }
        let salt = Array(ScramCrypto.hmac(key: SASLScram.decoySecret, Array(CaseMapping.fold(name).utf8)).prefix(16))
        self.init(account: nil, verifier: ScramVerifier(salt: salt, iterations: ScramVerifier.defaultIterations,
                                                         storedKey: ScramCrypto.randomBytes(32), serverKey: ScramCrypto.randomBytes(32)))
    }
}
