/// MODE for channels (+o +v +t +n +m +i +k +l, and +b +e +I through
/// `ChannelListModes`) and users (+i, +w, +B, -o).
///
/// Thread-safety: loop thread only (handlers run inside `IRCServer.dispatch`).
enum ModeCommands {
    static let all: [CommandSpec] = [CommandSpec("MODE", minParams: 1, mode)]

    /// Modes taking a parameter per change; the MODES token advertises this cap.
    static let maxParamModes = 4

    static func mode(_ server: IRCServer, _ client: Client, _ message: IRCMessage) throws {
        let target = message.params[0]
        if target.hasPrefix("#") {
            // Outsiders of a +s channel learn nothing of it, not even its
            // modes or ban list (RFC 2811 §4.2.6; InspIRCd answers 403 too).
            guard let channel = server.channel(named: target), channel.isVisible(to: client) else {
                throw IRCError.noSuchChannel(target)
            }
            try channelMode(server, client, channel, Array(message.params.dropFirst()))
        } else {
            try userMode(server, client, target, Array(message.params.dropFirst()))
        }
    }

    static func userMode(_ server: IRCServer, _ client: Client, _ nick: String, _ args: [String]) throws {
        guard server.client(named: nick) != nil else { throw IRCError.noSuchNick(nick) }
        guard CaseMapping.fold(nick) == client.foldedNick else {
            throw IRCError(standard: .usersDontMatch)
        }
        guard let changes = args.first else {
            server.reply(client, .umodeIs, client.modeString)
            return
        }
        var adding = true
        var applied = ModeChangeList()
        var unknown = false
        for ch in changes {
            switch ch {
            case "+": adding = true
            case "-": adding = false
            case "i":
                guard client.isInvisible != adding else { continue }
                server.setUserModes(client, invisible: adding)
                applied.add(adding, "i", nil)
            case "w":
                // Receives WALLOPS; anyone may set it (RFC 2812 §3.1.5).
                guard client.receivesWallops != adding else { continue }
                client.receivesWallops = adding
                applied.add(adding, "w", nil)
            case "B":
                // Bot mode: the client says it is a bot (BOT=B).
                guard client.isBot != adding else { continue }
                client.isBot = adding
                applied.add(adding, "B", nil)
            case "o":
                // +o only comes from OPER; dropping it is always allowed.
                guard !adding, client.isOperator else { continue }
                server.setUserModes(client, operator: false)
                applied.add(false, "o", nil)
            default:
                unknown = true
            }
        }
        if unknown { server.reply(client, standard: .uModeUnknownFlag) }
        if !applied.isEmpty {
            server.send(client, IRCMessage(source: client.mask, command: "MODE", params: [client.nick] + applied.wire))
        }
    }

    static func channelMode(_ server: IRCServer, _ client: Client, _ channel: Channel, _ args: [String]) throws {
        guard let changes = args.first else {
            let isMember = channel.members[client.id] != nil
            server.reply(client, .channelModeIs, [channel.name] + channel.modeString(showParameters: isMember))
            server.reply(client, .creationTime, channel.name, String(channel.createdAtSeconds))
            return
        }
        var params = args.dropFirst().makeIterator()
        let mayChange = channel.isOp(client) || client.isOperator
        var adding = true
        var applied = ModeChangeList()
        var paramModes = 0
        var deniedReported = false
        func requireOp() -> Bool {
            if mayChange { return true }
            if !deniedReported {
                server.send(client, error: .chanOpPrivsNeeded(channel.name))
                deniedReported = true
            }
            return false
        }
        for ch in changes {
            switch ch {
            case "+": adding = true
            case "-": adding = false
            case "b", "e", "I":
                // The three mask lists live in Bans/ (ChannelListModes).
                let kind = ChannelAccessLists.Kind(rawValue: ch)!
                guard let mask = params.next() else {
                    ChannelListModes.sendList(server, client, channel, kind)
                    continue
                }
                guard requireOp(), paramModes < maxParamModes else { continue }
                paramModes += 1
                if let entry = ChannelListModes.change(server, client, channel, kind, adding: adding, mask: mask) {
                    applied.add(adding, ch, entry)
                }
            case "o", "v":
                // Like +k and +l (and InspIRCd): a missing nick is said, not skipped in silence.
                guard let nick = params.next(), !nick.isEmpty else {
                    server.reply(client, .invalidModeParam, channel.name, String(ch), "*",
                                 "You must specify a parameter for the \(ch == "o" ? "op" : "voice") mode")
                    continue
                }
                guard requireOp(), paramModes < maxParamModes else { continue }
                paramModes += 1
                guard let target = server.client(named: nick) else {
                    server.send(client, error: .noSuchNick(nick))
                    continue
                }
                guard channel.members[target.id] != nil else {
                    server.reply(client, standard: .userNotInChannel, target.nick, channel.name)
                    continue
                }
                guard channel.setPrivilege(ch == "o" ? .op : .voice, of: target, to: adding) else { continue }
                applied.add(adding, ch, target.nick)
            case "k":
                if adding {
                    guard let key = params.next(), !key.isEmpty else {
                        server.reply(client, .invalidModeParam, channel.name, "k", "*", "You must specify a parameter for the key mode")
                        continue
                    }
                    guard requireOp() else { continue }
                    guard channel.key == nil else {
                        server.reply(client, standard: .keySet, channel.name)
                        continue
                    }
                    guard !key.isEmpty, !key.contains(" "), !key.contains(","), key.utf8.count <= 23 else {
                        server.reply(client, standard: .invalidKey, channel.name)
                        continue
                    }
                    channel.key = key
                    applied.add(true, "k", key)
                } else {
                    _ = params.next()  // "-k" may carry the old key; it is not needed
                    guard requireOp(), channel.key != nil else { continue }
                    channel.key = nil
                    applied.add(false, "k", "*")
                }
            case "l":
                if adding {
                    guard let raw = params.next(), !raw.isEmpty else {
                        server.reply(client, .invalidModeParam, channel.name, "l", "*", "You must specify a parameter for the limit mode")
                        continue
                    }
                    guard requireOp() else { continue }
                    guard let limit = Int(raw), limit > 0 else {
                        server.reply(client, .invalidModeParam, channel.name, "l", raw, "Invalid limit")
                        continue
                    }
                    channel.userLimit = limit
                    applied.add(true, "l", String(limit))
                } else {
                    guard requireOp(), channel.userLimit != nil else { continue }
                    channel.userLimit = nil
                    applied.add(false, "l", nil)
                }
            case "C", "i", "m", "n", "s", "t":
                guard requireOp() else { continue }
                let changed: Bool
                switch ch {
                case "C": changed = channel.noCTCP != adding; channel.noCTCP = adding
                case "i": changed = channel.inviteOnly != adding; channel.inviteOnly = adding
                case "m": changed = channel.moderated != adding; channel.moderated = adding
                case "n": changed = channel.noExternalMessages != adding; channel.noExternalMessages = adding
                case "s": changed = channel.secret != adding; channel.secret = adding
                default: changed = channel.topicLocked != adding; channel.topicLocked = adding
                }
                if changed { applied.add(adding, ch, nil) }
            default:
                server.reply(client, .unknownMode, String(ch), "is unknown mode char to me for \(channel.name)")
            }
        }
        if !applied.isEmpty {
            server.broadcast(IRCMessage(source: client.mask, command: "MODE", params: [channel.name] + applied.wire), to: channel)
        }
    }
}
