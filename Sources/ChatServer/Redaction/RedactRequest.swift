/// One REDACT once its message has been looked up: who may, and what
/// happens (history, relay, log).
///
/// Thread-safety: a value type; `decide` runs on the loop thread.
struct RedactRequest {
    let target: String
    /// The history key the message must be under (channel or conversation).
    let key: String
    let msgid: String
    let reason: String?

    func decide(_ stored: StoredMessage?, by client: Client, on server: IRCServer) {
        do {
            try apply(stored, by: client, on: server)
        } catch let failure as RedactFailure {
            server.send(client, failure.message(from: server.serverName))
        } catch {
            server.logger.error("REDACT failed: \(error)")
        }
    }

    private func apply(_ stored: StoredMessage?, by client: Client, on server: IRCServer) throws {
        guard let stored, stored.command == "PRIVMSG" || stored.command == "NOTICE" else {
            throw RedactFailure.unknownMsgid(target, msgid)
        }
        // Looked up again: the channel may have emptied during the read.
        let channel = key.hasPrefix(PrivateHistory.keyPrefix) ? nil : server.channel(named: target)
        let mayModerate = channel.map { $0.isOp(client) || client.isOperator } ?? false
        guard Self.isAuthor(of: stored, client) || mayModerate else {
            throw RedactFailure.forbidden(target, msgid)
        }
        server.history?.forget(msgid: msgid, key: key)
        guard let services = server.services else { return relayed(in: channel, by: client, on: server) }
        // Relayed once the row is gone from disk: a deletion people were told
        // of must not come back after a crash. (The client and channel are
        // held until then; a redactor who left meanwhile still has the
        // others told.)
        let storage = services.storage, msgid = msgid, key = key, target = target
        services.writer.offload({ try storage.deleteMessage(msgid: msgid, key: key) },
                                completion: LaterAnswers.wrap(client, on: server) { result in
            guard case .failure(let error) = result else { return self.relayed(in: channel, by: client, on: server) }
            server.logger.error("REDACT: deleting \(msgid.escapedForLog) failed: \(error)")
            server.send(client, IRCMessage(source: server.serverName, command: "FAIL",
                                           params: ["REDACT", "INTERNAL_ERROR", target, msgid, "The message could not be deleted; try again"]))
        })
    }

    private func relayed(in channel: Channel?, by client: Client, on server: IRCServer) {
        server.logger.notice("\(client.nick) redacted \(msgid.escapedForLog) in \(target.escapedForLog)\(reason.map { ": \($0.escapedForLog)" } ?? "")")
        relay(in: channel, by: client, on: server)
    }

    /// The same account when the message was sent logged in; otherwise the
    /// same `nick!user@host` (a guest has nothing better to prove who it is).
    static func isAuthor(of stored: StoredMessage, _ client: Client) -> Bool {
        if let account = stored.account {
            return client.account.map { CaseMapping.fold($0) == CaseMapping.fold(account) } ?? false
        }
        return stored.source == client.mask
    }

    private func relay(in channel: Channel?, by client: Client, on server: IRCServer) {
        let shownTarget = channel?.name ?? server.client(named: target)?.nick ?? target
        let redact = IRCMessage(source: client.mask, command: "REDACT", params: [shownTarget, msgid] + (reason.map { [$0] } ?? []))
        let tags = [IRCTag("msgid", server.msgids.next())]
        if let channel {
            server.broadcast(redact, to: channel, except: client, tags: tags, requiring: .messageRedaction)
        } else if let other = server.client(named: target), other !== client, other.caps.contains(.messageRedaction) {
            var fanout = Fanout(redact, tags: tags, time: server.currentTime())
            other.transport.send(fanout.chunk(for: other.caps))
        }
        // The redactor's answer, inside its label if it sent one.
        if client.caps.contains(.messageRedaction) {
            var answer = redact
            answer.tags = tags
            server.send(client, answer)
        }
    }
}
