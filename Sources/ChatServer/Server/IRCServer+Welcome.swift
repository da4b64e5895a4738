/// Completing registration: the welcome burst (001-005), LUSERS and MOTD.
extension IRCServer {
    func completeRegistrationIfReady(_ client: Client) {
        guard client.state == .registering, client.nick != "*", client.user != nil, !client.capNegotiating,
              !client.authInFlight else { return }
        if let password = config.serverPassword {
            guard constantTimeEqual(client.passwordGiven ?? "", password) else {
                reply(client, standard: .passwdMismatch)
                quit(client, reason: "Bad password")
                return
            }
        } else if let given = client.passwordGiven, client.account == nil, services != nil {
            // PASS account:password, for clients without SASL.
            client.passwordGiven = nil
            let parts = given.split(separator: ":", maxSplits: 1).map(String.init)
            let (account, password) = parts.count == 2 ? (parts[0], parts[1]) : (client.nick, given)
            verifyCredentials(client, account: account, password: password) { [clientID = client.id] result in
                guard let client = self.clients[clientID] else { return }
                switch result {
                case .success(let record):
                    self.logIn(client, as: record)  // registration completes once the check is over
                case .failure(let failure):
                    self.reply(client, .passwdMismatch, failure == .badCredentials ? "Password incorrect" : failure.text)
                    self.quit(client, reason: "Bad password")
                }
            }
            return
        }
        client.passwordGiven = nil
        if isNickReserved(client.nick, against: client) {
            let wanted = client.nick
            clients.releaseNick(of: client)
            reply(client, .nicknameInUse, wanted,
                  "Nickname is registered to an account; log in (SASL, or PASS account:password) or choose another nick")
            return
        }
        client.state = .registered
        stats.users += 1
        stats.peakUsers = max(stats.peakUsers, stats.users)
        logger.info("registered \(client.nick)!\(client.user ?? "")@\(client.host)")
        // The whole burst (001, 002–005, LUSERS, MOTD) encoded into the reply
        // buffer and copied into the queue once: the same bytes as a reply each.
        let prefix = timePrefix(for: client), templates = currentWelcomeTemplates()
        replies.buffer.removeAll(keepingCapacity: true)
        replies.buffer += prefix
        // 001: the text before the mask is the same for everyone (cached
        // with the templates), so only the mask is encoded per client.
        NumericReply.beginLine(source: serverName, .welcome, nick: client.nick, hasMore: true, into: &replies.buffer)
        replies.buffer += templates.welcomeLead
        IRCMessage.appendOneLine(client.mask, into: &replies.buffer)
        NumericReply.endLine(into: &replies.buffer)
        replies.pendingLines = 1
        write(templates.head, nick: client.nick, prefix: prefix)
        writeLusers(nick: client.nick, prefix: prefix)
        write(templates.motd, nick: client.nick, prefix: prefix)
        flushReplies(to: client)
        stats.registrations &+= 1
        notifyObservers { $0.clientRegistered(client) }
    }

    func sendMotd(to client: Client) {
        send(client, preEncoded: currentWelcomeTemplates().motd)
    }

    /// 002–005: the same for every client but for the nick.
    func welcomeHeadMessages(nick: String) -> [IRCMessage] {
        func numeric(_ n: Numeric, _ params: [String]) -> IRCMessage {
            IRCMessage(source: serverName, command: n.rawValue, params: [nick] + params)
        }
        return [
            numeric(.yourHost, ["Your host is \(serverName), running version chatd-\(ChatServerVersion.string)"]),
            numeric(.created, [createdText]),
            numeric(.myInfo, [serverName, "chatd-\(ChatServerVersion.string)", "Biow", "CbeIiklmnostv", "beIklov"]),
        ] + isupportLines().map { numeric(.isupport, $0 + ["are supported by this server"]) }
    }

    /// The MOTD replies (375, 372…, 376), or 422 without one.
    func motdMessages(nick: String) -> [IRCMessage] {
        func numeric(_ n: Numeric, _ text: String) -> IRCMessage {
            IRCMessage(source: serverName, command: n.rawValue, params: [nick, text])
        }
        guard let lines = motdLines, !lines.isEmpty else { return [numeric(.noMotd, "MOTD File is missing")] }
        return [numeric(.motdStart, "- \(serverName) Message of the day - ")]
            + lines.map { numeric(.motd, "- " + $0) }
            + [numeric(.endOfMotd, "End of /MOTD command.")]
    }

    /// The pre-encoded forms, built on first use and after each reload.
    func currentWelcomeTemplates() -> (head: WelcomeTemplate, motd: WelcomeTemplate, welcomeLead: [UInt8]) {
        if let templates = replies.welcome { return templates }
        let nick = WelcomeTemplate.nickPlaceholder
        var lead: [UInt8] = [0x20, UInt8(ascii: ":")]
        IRCMessage.appendOneLine("Welcome to the \(config.networkName) Network, ", into: &lead)
        let templates = (head: WelcomeTemplate(welcomeHeadMessages(nick: nick)),
                         motd: WelcomeTemplate(motdMessages(nick: nick)), welcomeLead: lead)
        replies.welcome = templates
        return templates
    }

    /// ISUPPORT tokens, at most 13 per line (`IsupportTokens`).
    func isupportLines() -> [[String]] {
        IsupportTokens.lines(config: config, services: services != nil, fileHostURL: files.hostURL)
    }

    func sendLusers(to client: Client) {
        let prefix = timePrefix(for: client)
        replies.buffer.removeAll(keepingCapacity: true)
        writeLusers(nick: client.nick, prefix: prefix)
        flushReplies(to: client)
    }

    /// The LUSERS lines for `nick` appended to the reply buffer.
    func writeLusers(nick: String, prefix: [UInt8]) {
        let lusers = LusersReply(users: stats.users, invisible: stats.invisibleUsers, operators: stats.operators,
                                 unknown: clients.count - stats.users, channels: channels.count, peak: stats.peakUsers)
        lusers.write(source: serverName, nick: nick, prefix: prefix, into: &replies.buffer)
        replies.pendingLines += lusers.lineCount
    }
}
