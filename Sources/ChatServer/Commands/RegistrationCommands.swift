/// Connection registration and liveness: CAP, PASS, NICK, USER, PING, PONG, QUIT.
///
/// Thread-safety: loop thread only (handlers run inside `IRCServer.dispatch`).
enum RegistrationCommands {
    static let all: [CommandSpec] = [
        CommandSpec("CAP", .always, minParams: 1, cap),
        CommandSpec("PASS", .registrationOnly, minParams: 1, pass),
        CommandSpec("NICK", .always, nick),
        CommandSpec("USER", .registrationOnly, minParams: 4, user),
        CommandSpec("PING", .always, ping),
        CommandSpec("PONG", .always, costsFlood: false, { _, _, _ in }),  // any input resets the ping timer
        CommandSpec("QUIT", .always, costsFlood: false, quit),
    ]

    /// The longest capability list one CAP line carries: the values of
    /// 302 (metadata, multiline, account registration, sasl) pass 512 bytes
    /// together, so longer lists are cut into lines marked with `*`.
    static let capListBytesPerLine = 380

    /// Sends `tokens` as one CAP LS/LIST line, or, for clients that speak
    /// 302, as several: every line but the last carries `*` before the list
    /// (IRCv3 capability negotiation, "multiline replies").
    static func sendCapList(_ server: IRCServer, _ client: Client, _ sub: String, _ tokens: [String], continuationAllowed: Bool) {
        var lines: [String] = []
        var current = ""
        for token in tokens {
            if continuationAllowed, !current.isEmpty, current.utf8.count + 1 + token.utf8.count > capListBytesPerLine {
                lines.append(current)
                current = ""
            }
            current += current.isEmpty ? token : " " + token
        }
        lines.append(current)
        for (index, list) in lines.enumerated() {
            let params = index < lines.count - 1 ? [client.nick, sub, "*", list] : [client.nick, sub, list]
            server.send(client, IRCMessage(source: server.serverName, command: "CAP", params: params))
        }
    }

    static func cap(_ server: IRCServer, _ client: Client, _ message: IRCMessage) throws {
        let sub = message.params[0].uppercased()
        let nick = client.nick
        switch sub {
        case "LS":
            if !client.isRegistered { client.capNegotiating = true }
            let version = message.params.count > 1 ? Int(message.params[1]) ?? 0 : 0
            // Asking for 302 implies cap-notify.
            if version >= 302 {
                client.caps.insert(.capNotify)
                client.saidCapLS302 = true
            }
            let offered = CapabilitySet.all.filter { server.services != nil || !CapabilitySet.needStorage.contains($0.cap) }
            var tokens = offered.map { entry in
                version >= 302 ? CapabilitySet.value(of: entry.cap, config: server.config).map { "\(entry.name)=\($0)" } ?? entry.name : entry.name
            }
            // STS needs a value, so only CAP LS 302 shows it.
            // Not over WebSocket: the policy's port speaks raw IRC over TLS.
            if version >= 302, client.connection.takesSTSPolicy, let sts = server.stsPolicy {
                tokens.append(sts.capabilityToken(secure: client.connection.isSecure))
            }
            sendCapList(server, client, "LS", tokens, continuationAllowed: version >= 302)
        case "LIST":
            let enabled = CapabilitySet.all.filter { client.caps.contains($0.cap) }.map(\.name)
            sendCapList(server, client, "LIST", enabled, continuationAllowed: client.caps.contains(.capNotify))
        case "REQ":
            guard message.params.count > 1 else { throw IRCError.needMoreParams("CAP") }
            if !client.isRegistered { client.capNegotiating = true }
            let requested = message.params[1]
            var add: CapabilitySet = [], remove: CapabilitySet = []
            var valid = true
            for word in requested.split(separator: " ") {
                let removing = word.hasPrefix("-")
                guard let cap = CapabilitySet.named(String(removing ? word.dropFirst() : word)),
                      server.services != nil || !CapabilitySet.needStorage.contains(cap) else {
                    valid = false
                    break
                }
                // Capability negotiation 3.2: cap-notify stays on for a client that asked 302.
                if removing && cap == .capNotify && client.saidCapLS302 {
                    valid = false
                    break
                }
                if removing { remove.insert(cap) } else { add.insert(cap) }
            }
            // All or nothing, as the specification requires.
            guard valid else {
                server.send(client, IRCMessage(source: server.serverName, command: "CAP", params: [nick, "NAK", requested]))
                return
            }
            client.caps.formUnion(add)
            client.caps.subtract(remove)
            let tagRoom = client.caps.contains(.messageTags) ? server.limits.maxTagsLength + 1 : 0
            client.framer.maxLineBytes = server.limits.maxLineLength - 2 + tagRoom
            server.send(client, IRCMessage(source: server.serverName, command: "CAP", params: [nick, "ACK", requested]))
        case "END":
            guard client.capNegotiating else { return }
            client.capNegotiating = false
            if client.saslBuffer != nil && !client.isRegistered {
                // sasl-3.1: registration ending mid-exchange aborts it (906)
                // and the client registers without an account.
                AccountCommands.abortSASL(client)
                server.reply(client, standard: .saslAborted)
            }
            server.completeRegistrationIfReady(client)
        default:
            throw IRCError(.invalidCapCmd, sub, "Invalid CAP command")
        }
    }

    static func pass(_ server: IRCServer, _ client: Client, _ message: IRCMessage) throws {
        client.passwordGiven = message.params[0]
        // NICK and USER may have come first (e.g. after a 433 for a registered nick).
        server.completeRegistrationIfReady(client)
    }

    static func nick(_ server: IRCServer, _ client: Client, _ message: IRCMessage) throws {
        guard let wanted = message.params.first, !wanted.isEmpty else {
            throw IRCError(standard: .noNicknameGiven)
        }
        guard NameRules.isValidNick(wanted, maxLength: server.limits.nickLength) else {
            throw IRCError(standard: .erroneousNickname, wanted)
        }
        // 432 (as a server's Q-line does), not 433: no connection "uses" the name.
        guard !ReservedNicks.isReserved(wanted) else {
            throw IRCError(.erroneousNickname, wanted, ReservedNicks.reason)
        }
        if server.clients.isNickTaken(wanted, by: client) {
            throw IRCError(standard: .nicknameInUse, wanted)
        }
        guard wanted != client.nick else { return }
        if client.isRegistered && server.isNickReserved(wanted, against: client) {
            throw IRCError(.nicknameInUse, wanted, "Nickname is registered to an account; log in to use it")
        }
        server.changeNick(client, to: wanted)
        if !client.isRegistered { server.completeRegistrationIfReady(client) }
    }

    static func user(_ server: IRCServer, _ client: Client, _ message: IRCMessage) throws {
        guard client.user == nil else {
            throw IRCError(standard: .alreadyRegistered)
        }
        // Bytes that were not UTF-8 arrive as U+FFFD and are dropped with
        // everything else outside the ident alphabet; an empty real name is a
        // missing parameter, as other servers answer.
        let given = message.params[0]
        let raw: String
        if given.utf8.allSatisfy({ $0 < 0x80 }) {
            // All ASCII (every registration in practice): the same filter on
            // bytes. `Character.isLetter`/`isNumber` cost ~13k instructions
            // per USER; for ASCII they mean A–Z, a–z and 0–9.
            raw = String(decoding: given.utf8.filter { b in
                let l = b | 0x20
                return (l >= 0x61 && l <= 0x7A) || (b >= 0x30 && b <= 0x39)
                    || b == UInt8(ascii: "-") || b == UInt8(ascii: "_") || b == UInt8(ascii: ".")
            }, as: UTF8.self)
        } else {
            raw = String(given.filter { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) })
        }
        guard !message.params[3].isEmpty else { throw IRCError.needMoreParams("USER") }
        // Nothing left of it (emoji, say): refused with the numeric made for
        // it, which says what is allowed; the client may send USER again.
        guard !raw.isEmpty else {
            throw IRCError(.invalidUsername, "Your username is invalid: use letters, digits, '-', '_' or '.'")
        }
        // No ident lookup: '~' marks the name as client-supplied, as is customary.
        client.user = "~" + NameRules.truncate(String(raw), maxBytes: server.limits.userLength - 1)
        client.realName = NameRules.truncate(message.params[3], maxBytes: server.limits.realNameLength)
        server.completeRegistrationIfReady(client)
    }

    static func ping(_ server: IRCServer, _ client: Client, _ message: IRCMessage) throws {
        guard let token = message.params.first else { throw IRCError(standard: .noOrigin) }
        server.send(client, IRCMessage(source: server.serverName, command: "PONG", params: [server.serverName, token]))
    }

    static func quit(_ server: IRCServer, _ client: Client, _ message: IRCMessage) throws {
        let text = message.params.first.map { "Quit: " + NameRules.truncate($0, maxBytes: server.limits.awayLength) } ?? "Quit"
        server.quit(client, reason: text)
    }
}
