/// REDACT <target> <msgid> [:<reason>] (draft/message-redaction): deletes a
/// stored channel or private message. Its author may (the same account, or
/// for a guest the same `nick!user@host`), and in a channel so may the
/// channel's operators and server operators; in a channel, only members
/// (and server operators) may ask at all. The message leaves history at
/// once (CHATHISTORY and the replay on JOIN no longer return it: the
/// specification's first choice) and the REDACT goes to the target's
/// members that negotiated the capability, and to the redactor as its
/// answer; other clients are not told (the specification's fallback is
/// optional, and a notice per deletion is noise).
///
/// Finding the message may need a read on the storage reader; the answer
/// then comes in order with the client's other replies (`LaterAnswers`).
///
/// Thread-safety: loop thread only (handlers run inside `IRCServer.dispatch`).
enum RedactCommands {
    static let all: [CommandSpec] = [
        CommandSpec("REDACT", minParams: 2, redact),
    ]

    static func redact(_ server: IRCServer, _ client: Client, _ message: IRCMessage) throws {
        let target = message.params[0], msgid = message.params[1]
        // An empty target or msgid would also encode as a broken FAIL line.
        guard !target.isEmpty, !msgid.isEmpty else { throw IRCError.needMoreParams("REDACT") }
        let reason = message.params.count > 2 ? NameRules.truncate(message.params[2], maxBytes: server.limits.kickReasonLength) : nil
        guard let services = server.services, let history = server.history else {
            return server.send(client, RedactFailure.invalidTarget(target, "History is off on this server: there is nothing to redact")
                .message(from: server.serverName))
        }
        let key: String
        if NameRules.hasPrefix(Substring(target), ascii: UInt8(ascii: "#")) {
            // Only members (and server operators) may try: msgids are
            // sequential, so answers to anyone else would tell which exist.
            guard let channel = server.channel(named: target), channel.isMember(client) || client.isOperator else {
                return server.send(client, RedactFailure.invalidTarget(target).message(from: server.serverName))
            }
            key = channel.folded
        } else {
            guard NameRules.isValidNick(target, maxLength: server.limits.nickLength) else {
                return server.send(client, RedactFailure.invalidTarget(target).message(from: server.serverName))
            }
            // The conversation between the redactor and `target`, keyed as PrivateHistory keys it.
            // (a guest's own side too, unlike CHATHISTORY: a guest may take back what it sent).
            key = PrivateHistory.key(PrivateHistory.party(client).folded, server.privateHistory.peer(named: target))
        }
        let request = RedactRequest(target: target, key: key, msgid: msgid, reason: reason)
        if let unwritten = history.unwritten(where: { $0.msgid == msgid && $0.channel == key }).first {
            return request.decide(unwritten, by: client, on: server)
        }
        let storage = services.storage
        services.readers.offload({ try storage.storedMessage(msgid: msgid, key: key) },
                                 completion: LaterAnswers.wrap(client, on: server) { [clientID = client.id] result in
            guard let client = server.clients[clientID] else { return }
            if case .failure(let error) = result { server.logger.error("REDACT: reading \(msgid.escapedForLog) failed: \(error)") }
            request.decide((try? result.get()) ?? nil, by: client, on: server)
        })
    }
}
