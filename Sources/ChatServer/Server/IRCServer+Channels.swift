/// Channel operations shared by several commands (and later by the console).
extension IRCServer {
    func joinChannel(_ client: Client, name: String, key: String?) throws {
        guard NameRules.isValidChannel(name, maxLength: limits.channelLength) else {
            throw IRCError(standard: .badChanMask, name)
        }
        // A match's closed room opens again with its ScoreBot, not as a new channel.
        let existing = channels.named(name) ?? scores?.reopenRoom(named: name)
        if let existing, existing.members[client.id] != nil { return }
        if client.channels.count >= limits.maxChannelsPerUser {
            throw IRCError(.tooManyChannels, name, "You have joined too many channels")
        }
        let channel: Channel
        if let existing {
            let invited = existing.isInvited(client, now: clock.monotonicNanos)
            if let required = existing.key, key != required, !invited {
                throw IRCError(standard: .badChannelKey, existing.name)
            }
            if let limit = existing.userLimit, existing.members.count >= limit, !invited {
                throw IRCError(standard: .channelIsFull, existing.name)
            }
            // +I: a matching entry opens +i as an INVITE would (Bans/).
            if existing.inviteOnly && !invited && !existing.accessLists.letsIn(client) {
                throw IRCError(standard: .inviteOnlyChan, existing.name)
            }
            // Mutes ($m:) do not bar joining; +e entries lift a ban.
            if existing.accessLists.barsJoining(client) && !invited {
                throw IRCError(standard: .bannedFromChan, existing.name)
            }
            channel = existing
            channels.addMember(client, to: channel, membership: [])
        } else {
            channel = channels.create(name, founder: client, createdAtSeconds: clock.wallMillis / 1000)
        }
        broadcastJoin(client, channel)
        sendTopic(channel, to: client, whenEmpty: false)
        readMarkers.sendAfterJoin(client, channel: channel)  // draft/read-marker: before 366
        // draft/no-implicit-names: a client that asks for member lists itself
        // (a bot in many channels, a bouncer reconnecting) is spared them.
        if !client.caps.contains(.noImplicitNames) { sendNames(channel, to: client) }
        historyReads.replay(channel, to: client)
        notifyObservers { $0.clientJoined(client, channel: channel) }
    }

    /// JOIN to every member; extended-join clients also get account and real name.
    private func broadcastJoin(_ client: Client, _ channel: Channel) {
        let time = currentTime()
        // Through the roster, as a channel message goes (no member retained,
        // no transport existential per member); the long form is built only
        // if some member has extended-join.
        let entries = channel.roster.entries
        var plain = Fanout(IRCMessage(source: client.mask, command: "JOIN", params: [channel.name]), time: time)
        _ = plain.deliver(to: entries, except: Fanout.nobody, minimum: [], excluding: .extendedJoin)
        if entries.contains(where: { $0.client._withUnsafeGuaranteedRef { $0.caps.contains(.extendedJoin) } }) {
            var extended = Fanout(IRCMessage(source: client.mask, command: "JOIN",
                                             params: [channel.name, client.account ?? "*", client.realName]), time: time)
            _ = extended.deliver(to: entries, except: Fanout.nobody, minimum: [], requiring: .extendedJoin)
        }
        // away-notify: members learn at once that the newcomer is away.
        if let away = client.away {
            var notice = Fanout(IRCMessage(source: client.mask, command: "AWAY", params: [away]), time: time)
            for member in channel.members.values where member.client !== client && member.client.caps.contains(.awayNotify) {
                member.client.transport.send(notice.chunk(for: member.client.caps))
            }
        }
    }

    /// How long an INVITE lets its target past +i/+k/+l/+b. An invite also
    /// dies with its channel and is used up by joining.
    static let inviteLifetimeNanos: UInt64 = 3_600 * 1_000_000_000

    func invite(_ target: Client, to channel: Channel) {
        let now = clock.monotonicNanos
        channel.invite(target, expiresAtNanos: now &+ IRCServer.inviteLifetimeNanos, now: now)
    }

    func partChannel(_ client: Client, _ channel: Channel, reason: String?) {
        broadcast(IRCMessage(source: client.mask, command: "PART", params: [channel.name] + (reason.map { [$0] } ?? [])), to: channel)
        removeMember(client, from: channel)
    }

    /// Removes `target`; every member, the target included, sees the KICK.
    public func kick(_ target: Client, from channel: Channel, by source: String, reason: String) {
        broadcast(IRCMessage(source: source, command: "KICK", params: [channel.name, target.nick, reason]), to: channel)
        removeMember(target, from: channel)
        logger.info("\(source) kicked \(target.nick) from \(channel.name): \(reason.escapedForLog)")
    }

    /// Sets `channel`'s topic now and stores it; `stored` runs once it is on
    /// disk (at once without storage), with false if it could not be
    /// written, when the topic goes back to what it was (unless changed again
    /// meanwhile). The caller announces the topic from `stored`: nobody
    /// hears of a topic a crash could take back.
    func setTopic(_ channel: Channel, text: String, by setter: String, stored: @escaping (Bool) -> Void) {
        let before = (channel.topic, channel.topicSetBy, channel.topicSetAtSeconds)
        channel.topic = text.isEmpty ? nil : text
        channel.topicSetBy = setter
        channel.topicSetAtSeconds = clock.wallMillis / 1000
        let saved = ChatStorage.StoredTopic(name: channel.name, topic: channel.topic, setBy: setter, setAtSeconds: channel.topicSetAtSeconds)
        channels.saveTopic(saved, folded: channel.folded)
        guard let services else { return stored(true) }
        // Strong captures: a weak one would give the channel a side table.
        TopicWriter.persist(saved, folded: channel.folded, services: services, logger: logger) { ok in
            if !ok, channel.topic == saved.topic, channel.topicSetBy == setter {
                (channel.topic, channel.topicSetBy, channel.topicSetAtSeconds) = before
                self.channels.saveTopic(ChatStorage.StoredTopic(name: channel.name, topic: before.0, setBy: before.1,
                                                                setAtSeconds: before.2), folded: channel.folded)
            }
            stored(ok)
        }
    }

    func sendTopic(_ channel: Channel, to client: Client, whenEmpty: Bool) {
        if let topic = channel.topic {
            reply(client, .topic, channel.name, topic)
            reply(client, .topicWhoTime, channel.name, channel.topicSetBy, String(channel.topicSetAtSeconds))
        } else if whenEmpty {
            reply(client, .noTopic, channel.name, "No topic is set")
        }
    }

    /// 353 lines (split to stay under the line limit) and 366, in one copy (`NamesReply`).
    func sendNames(_ channel: Channel, to client: Client, endOfNames: Bool = true) {
        let prefix = timePrefix(for: client)
        replies.buffer.removeAll(keepingCapacity: true)
        replies.pendingLines = NamesReply.write(channel, to: client, source: serverName, prefix: prefix,
                                                endOfNames: endOfNames, into: &replies.buffer)
        flushReplies(to: client)
    }
}

/// Renaming, and removing a user by force (KILL, and later the admin console).
extension IRCServer {
    /// Renames `client` (checks done by the caller); a registered client's
    /// peers each see one NICK line.
    func changeNick(_ client: Client, to wanted: String) {
        if client.isRegistered {
            clients.rememberForWhowas(client, serverName: serverName, atMillis: clock.wallMillis)
            broadcastToPeers(of: client, IRCMessage(source: client.mask, command: "NICK", params: [wanted]), includeSelf: true)
        }
        let old = client.nick
        clients.rename(client, to: wanted)
        if client.isRegistered { notifyObservers { $0.clientRenamed(client, from: old) } }
    }

    public func kill(_ target: Client, by killer: String, source: String, reason: String) {
        send(target, IRCMessage(source: source, command: "KILL", params: [target.nick, reason]))
        logger.notice("\(killer) killed \(target.nick): \(reason.escapedForLog)")
        quit(target, reason: "Killed (\(killer) (\(reason)))")
    }
}
