/// draft/read-marker: per account and target (a channel or a nick), the time
/// of the last message the user read. `MARKREAD <target> timestamp=…` moves
/// it forward (never back, and never past now), and every connection of the
/// account that has the capability hears the new value; `MARKREAD <target>`
/// asks for it; a JOIN by a client with the capability is followed by the
/// channel's marker before 366.
///
/// All markers are read at startup (like topics), so a JOIN can answer at
/// once without a database read; changes are written through the storage
/// writer, retried like topics, and the table never moves a marker back.
/// An account keeps at most `maxPerAccount` targets.
///
/// Thread-safety: loop thread only.
final class ReadMarkers {
    private unowned let server: IRCServer
    /// Folded account → folded target → milliseconds.
    private var markers: [String: [String: Int64]] = [:]
    /// Targets one account may keep a marker for (each costs memory for as long as the server runs).
    static let maxPerAccount = 1000
    /// Attempts at saving one change before giving up (logged).
    static let saveAttempts = 12

    init(server: IRCServer) { self.server = server }

    /// Blocking: at startup, before the loop runs.
    func load(_ storage: ChatStorage) throws { markers = try storage.readMarkers() }

    /// The marker of `account` (any case) for `target` (any case).
    func marker(account: String, target: String) -> Int64? {
        markers[CaseMapping.fold(account)]?[CaseMapping.fold(target)]
    }

    /// After `client`'s JOIN of `channel`: its marker, or `*`.
    func sendAfterJoin(_ client: Client, channel: Channel) {
        guard client.caps.contains(.readMarker) else { return }
        let millis = client.account.flatMap { marker(account: $0, target: channel.name) }
        server.send(client, Self.line(server, target: channel.name, millis: millis))
    }

    /// MARKREAD <target> [timestamp=…]
    func handle(_ client: Client, _ message: IRCMessage) {
        do {
            try markRead(client, message)
        } catch let failure as ReadMarkerFailure {
            server.send(client, IRCMessage(source: server.serverName, command: "FAIL", params: failure.params))
        } catch {
            server.send(client, IRCMessage(source: server.serverName, command: "FAIL",
                                           params: ReadMarkerFailure(.internalError, [], "\(error)").params))
        }
    }

    private func markRead(_ client: Client, _ message: IRCMessage) throws {
        guard let target = message.params.first, !target.isEmpty else {
            throw ReadMarkerFailure(.needMoreParams, [], "Missing parameters")
        }
        let limits = server.limits
        guard NameRules.isValidChannel(target, maxLength: limits.channelLength)
                || NameRules.isValidNick(target, maxLength: limits.nickLength) else {
            throw ReadMarkerFailure(.invalidParams, [target], "Invalid target")
        }
        guard let account = client.account.map(CaseMapping.fold) else {
            throw ReadMarkerFailure(.accountRequired, [target], "Log in to keep read markers")
        }
        let key = CaseMapping.fold(target)
        let current = markers[account]?[key]
        guard message.params.count > 1 else {
            return server.send(client, Self.line(server, target: target, millis: current))
        }
        let text = message.params[1]
        guard text.hasPrefix("timestamp="), let asked = ServerTime.parse(String(text.dropFirst(10))) else {
            throw ReadMarkerFailure(.invalidParams, [target, text], "Expected timestamp=YYYY-MM-DDThh:mm:ss.sssZ")
        }
        // Clamped to now: a client's clock ahead of ours must not hide messages still to come.
        let millis = min(asked, server.clock.wallMillis)
        if let current, millis <= current {
            // Never backwards: the client learns the newer value instead.
            return server.send(client, Self.line(server, target: target, millis: current))
        }
        if current == nil && markers[account, default: [:]].count >= Self.maxPerAccount {
            throw ReadMarkerFailure(.internalError, [target], "Too many read markers (at most \(Self.maxPerAccount))")
        }
        markers[account, default: [:]][key] = millis
        // The answer (and the account's other connections) once it is on
        // disk: a marker the client was told of survives a crash.
        let clientID = client.id, server = self.server
        save(account: account, target: key, millis: millis, attemptsLeft: Self.saveAttempts,
             done: LaterAnswers.wrap(client, on: server) { stored in
            let asker = server.clients[clientID]
            guard stored else {
                if let asker {
                    server.send(asker, IRCMessage(source: server.serverName, command: "FAIL",
                                                  params: ["MARKREAD", "INTERNAL_ERROR", target, "The read marker could not be saved"]))
                }
                return
            }
            let line = Self.line(server, target: target, millis: millis)
            if let asker { server.send(asker, line) }
            // The account's other connections. A scan of every client:
            // MARKREAD is a person's action, far rarer than messages.
            for other in server.clients.all where other.id != clientID && other.isRegistered && other.caps.contains(.readMarker) {
                if let otherAccount = other.account, CaseMapping.fold(otherAccount) == account { server.send(other, line) }
            }
        })
    }

    /// Stores the marker (retried a few times, as topics are); `done` hears
    /// whether it was written (at once, true, without storage).
    private func save(account: String, target: String, millis: Int64, attemptsLeft: Int, done: @escaping (Bool) -> Void) {
        guard let services = server.services else { return done(true) }
        let storage = services.storage
        services.writer.offload({ try storage.saveReadMarker(account: account, target: target, timeMillis: millis) },
                                completion: { [weak self] result in
            guard let self else { return done(false) }
            guard case .failure(let error) = result else { return done(true) }
            if attemptsLeft > 1 {
                self.server.logger.warning("saving read marker of \(account) for \(target) failed, retrying: \(error)")
                self.save(account: account, target: target, millis: millis, attemptsLeft: attemptsLeft - 1, done: done)
            } else {
                self.server.logger.error("saving read marker of \(account) for \(target) failed, giving up: \(error)")
                done(false)
            }
        })
    }

    /// `:server MARKREAD <target> timestamp=…` (or `*` when none is known).
    static func line(_ server: IRCServer, target: String, millis: Int64?) -> IRCMessage {
        IRCMessage(source: server.serverName, command: "MARKREAD",
                   params: [target, millis.map { "timestamp=" + ServerTime.format(millis: $0) } ?? "*"])
    }
}
