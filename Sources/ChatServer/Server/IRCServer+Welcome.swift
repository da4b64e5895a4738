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
            verifyCredentials(client, account: account, password: password) { [weak self, weak client] result in
                guard let self, let client else { return }
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
        reply(client, .welcome, "Welcome to the \(config.networkName) Network, \(client.mask)")
        send(client, preEncoded: currentWelcomeTemplates().head)
        sendLusers(to: client)
        sendMotd(to: client)
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
            numeric(.myInfo, [serverName, "chatd-\(ChatServerVersion.string)", "Bio", "beIiklmnostv", "beIklov"]),
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
    func currentWelcomeTemplates() -> (head: WelcomeTemplate, motd: WelcomeTemplate) {
        if let templates = replies.welcome { return templates }
        let nick = WelcomeTemplate.nickPlaceholder
        let templates = (head: WelcomeTemplate(welcomeHeadMessages(nick: nick)),
                         motd: WelcomeTemplate(motdMessages(nick: nick)))
        replies.welcome = templates
        return templates
    }

    /// ISUPPORT tokens, at most 13 per line.
    func isupportLines() -> [[String]] {
        let l = limits
        let tokens = [
            "ACCOUNTEXTBAN=\(ExtBan.accountType)",
            "AWAYLEN=\(l.awayLength)",
            "BOT=B",
            "CASEMAPPING=\(CaseMapping.name)",
            "CHANLIMIT=#:\(l.maxChannelsPerUser)",
            "CHANMODES=beI,k,l,imnst",
            "CHANNELLEN=\(l.channelLength)",
            "CHANTYPES=#",
            "EXCEPTS=e",
            "EXTBAN=\(ExtBan.prefix),\(ExtBan.types)",
            "HOSTLEN=64",
            "INVEX=I",
            "KICKLEN=\(l.kickReasonLength)",
            "LINELEN=\(l.maxLineLength)",
            "MAXLIST=b:\(l.maxBans),e:\(l.maxBans),I:\(l.maxBans)",
            "MAXTARGETS=\(l.maxTargets)",
            "MONITOR=\(MonitorRegistry.defaultLimit)",
            "MODES=4",
            "NETWORK=\(config.networkName)",
            "NICKLEN=\(l.nickLength)",
            "PREFIX=(ov)@+",
            "SCORES",
            "STATUSMSG=@+",
            "TARGMAX=JOIN:\(l.maxTargets),KICK:\(l.maxTargets),NAMES:1,NOTICE:\(l.maxTargets),PART:\(l.maxTargets),PRIVMSG:\(l.maxTargets),TAGMSG:\(l.maxTargets),WHOIS:1",
            "TOPICLEN=\(l.topicLength)",
            "MSGREFTYPES=msgid,timestamp",
            "USERLEN=\(l.userLength)",
            "UTF8ONLY",
            "WHOX",
        ]
        var all = tokens
        if services != nil { all.insert("CHATHISTORY=\(config.history.maxChathistoryLimit)", at: 2) }
        if services != nil { all.insert("FILES=\(config.files.maxBytes)", at: 3) }
        if services != nil, let url = files.hostURL { all.append("draft/FILEHOST=\(url)") }
        return stride(from: 0, to: all.count, by: 13).map { Array(all[$0..<min($0 + 13, all.count)]) }
    }

    func sendLusers(to client: Client) {
        let users = stats.users, invisible = stats.invisibleUsers, peak = stats.peakUsers
        let unknown = clients.count - users
        reply(client, .luserClient, "There are \(users - invisible) users and \(invisible) invisible on 1 servers")
        reply(client, .luserOp, String(stats.operators), "operator(s) online")
        if unknown > 0 { reply(client, .luserUnknown, String(unknown), "unknown connection(s)") }
        reply(client, .luserChannels, String(channels.count), "channels formed")
        reply(client, .luserMe, "I have \(users) clients and 0 servers")
        reply(client, .localUsers, String(users), String(peak), "Current local users \(users), max \(peak)")
        reply(client, .globalUsers, String(users), String(peak), "Current global users \(users), max \(peak)")
    }
}
