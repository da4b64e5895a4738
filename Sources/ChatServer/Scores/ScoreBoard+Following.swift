/// Following a match (FOLLOW, UDP tokens), and what the board hears of
/// clients leaving and joining a `#match-N` room.
///
/// Thread-safety: loop thread only (as `ScoreBoard`).
extension ScoreBoard {
    /// Follows `match`; first sends the events after `since` (if given).
    func follow(_ client: Client, match id: Int64, since: Int64?) throws {
        guard ledger.matches[id] != nil else { throw ScoreError.noSuchMatch(id) }
        _ = try followers.follow(client, match: id, perConnection: config.maxFollowsPerConnection, maxTotal: config.maxFollowers)
        if let since {
            for event in ledger.events(of: id) where event.seq > since {
                server.send(client, Self.eventMessage(event, source: server.serverName).tagged(eventTags(event)))
            }
        }
    }

    /// The room a JOIN to `name` should find, if `name` is the room of a
    /// match whose room has closed (after full time, or not reopened after
    /// a restart): opened again with ScoreBot as its operator rather than
    /// handed to whoever joins first; a finished match's closes again later.
    func reopenRoom(named name: String) -> Channel? {
        let folded = CaseMapping.fold(name)
        guard folded.hasPrefix("#match-"), let id = Int64(folded.dropFirst(7)), let match = ledger.matches[id],
              CaseMapping.fold(match.roomName) == folded else { return nil }
        let channel = rooms.room(for: match)
        // (Handler tests have no loop: there the room simply stays.)
        if match.status == .finished && loop != nil { closeRoomLater(match) }
        return channel
    }

    /// A finished match retired to make room (`ScoreBatch`): its followers
    /// are told (a standard-replies NOTE) and stop following it, its UDP
    /// tokens stop working, and its room, if still open, closes.
    func forget(retiredMatch id: Int64) {
        for client in followers.forget(match: id) {
            server.send(client, IRCMessage(source: server.serverName, command: "NOTE",
                                           params: ["SCORES", "MATCH_RETIRED", String(id),
                                                    "Match \(id) is archived to make room; it is no longer followed"]))
        }
        udp?.drop(match: id)
        rooms.close(roomOf: id, reason: "Match \(id) is archived")
    }

    func eventTags(_ event: ScoreEvent) -> [IRCTag] {
        guard let match = ledger.matches[event.matchID] else { return [] }
        return [IRCTag("time", ServerTime.format(millis: event.timeMillis)),
                IRCTag("msgid", Self.msgid(event, match: match, room: false)),
                IRCTag(Self.eventTag, String(decoding: datagram(event, match: match).encoded(), as: UTF8.self))]
    }

    func unfollow(_ client: Client, match id: Int64) throws {
        guard ledger.matches[id] != nil else { throw ScoreError.noSuchMatch(id) }
        guard followers.unfollow(client, match: id) else { throw ScoreError.notFollowing(id) }
    }

    /// A UDP token for `match`, and the port to send it to.
    func udpToken(_ client: Client, match id: Int64) throws -> (token: String, port: Int) {
        guard let udp else { throw ScoreError.udpUnavailable }
        guard ledger.matches[id] != nil else { throw ScoreError.noSuchMatch(id) }
        return (try udp.issue(match: id, client: client), udp.port)
    }

    func udpStop(_ client: Client, token: String) throws {
        guard let udp else { throw ScoreError.udpUnavailable }
        guard udp.revoke(token, client: client) else { throw ScoreError.badToken(token) }
    }

    // MARK: ServerObserver (declared on the class)

    public func clientQuit(_ client: Client, reason: String) {
        followers.drop(client)
        udp?.drop(client)
    }

    public func clientJoined(_ client: Client, channel: Channel) {
        guard channel.isMember(rooms.service), let id = Self.matchID(ofRoom: channel.name), let match = ledger.matches[id] else { return }
        rooms.replay(to: client, channel: channel, match: match, events: ledger.events(of: id))
    }

    /// 7 for `#match-7`.
    static func matchID(ofRoom name: String) -> Int64? {
        let prefix = "#match-"
        guard name.lowercased().hasPrefix(prefix) else { return nil }
        return ScoreCommands.matchID(String(name.dropFirst(prefix.count)))
    }
}
