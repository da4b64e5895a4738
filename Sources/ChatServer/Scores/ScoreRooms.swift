import ScoreFeed

/// The `#match-<id>` rooms: created with the match, moderated (+m) with the
/// score service as their only operator, so only it speaks unless an
/// operator changes the mode; the topic is the live score; each event is
/// announced by the service; a joining user is replayed the events so far.
///
/// The service user is a `Client` outside the client registry (it has no
/// connection, so it must not be pinged or timed out); the registry does
/// not see its nick, so `ReservedNicks` keeps users from taking it.
///
/// Thread-safety: loop thread only.
final class ScoreRooms {
    static let serviceNick = "ScoreBot"
    /// Replay on join stops here; the rest is one `SCORES SHOW` away.
    static let maxReplay = 200

    private unowned let server: IRCServer
    let service: Client

    init(server: IRCServer) {
        self.server = server
        service = Client(id: UInt64.max, transport: ServiceTransport(), host: server.config.serverName,
                         now: server.clock.monotonicNanos, wallMillis: server.clock.wallMillis, limits: server.config.limits)
        service.setNick(Self.serviceNick)
        service.user = "scores"
        service.realName = "Live football scores"
        service.isBot = true
        service.state = .registered
    }

    /// The room of `match`, created (moderated, with the live score as
    /// topic) if it does not exist.
    @discardableResult
    func room(for match: Match) -> Channel {
        if let channel = server.channels.named(match.roomName) {
            if !channel.isMember(service) { server.channels.addMember(service, to: channel, membership: .op) }
            return channel
        }
        let channel = server.channels.create(match.roomName, founder: service, createdAtSeconds: server.clock.wallMillis / 1000)
        channel.moderated = true
        channel.topicLocked = true
        setTopic(channel, match.scoreline, announce: false)
        return channel
    }

    /// Closes a finished match's room: ScoreBot leaves it, and the channel
    /// goes when its last user does. Users still in it find an ordinary
    /// channel (moderation and the topic lock lifted first, so they can talk).
    func close(_ match: Match) {
        close(roomOf: match.id, reason: "Full time: \(match.scoreline)")
    }

    func close(roomOf id: Int64, reason: String) {
        guard let channel = server.channels.named(Match.roomName(id)), channel.isMember(service) else { return }
        if channel.members.count > 1 {
            server.broadcast(IRCMessage(source: service.mask, command: "MODE", params: [channel.name, "-mt"]), to: channel)
            channel.moderated = false
            channel.topicLocked = false
        }
        server.partChannel(service, channel, reason: reason)
    }

    /// Says the event in the room and updates the topic.
    func announce(_ event: ScoreEvent, match: Match, tags: [IRCTag]) {
        let channel = room(for: match)
        server.broadcast(IRCMessage(source: service.mask, command: "PRIVMSG", params: [channel.name, Self.text(event)]),
                         to: channel, except: service, tags: tags)
        if channel.topic != match.scoreline { setTopic(channel, match.scoreline, announce: true) }
    }

    /// The events so far, to a user who just joined a room.
    func replay(to client: Client, channel: Channel, match: Match, events: [ScoreEvent]) {
        let shown = events.suffix(Self.maxReplay)
        if shown.count < events.count {
            server.send(client, IRCMessage(source: service.mask, command: "NOTICE", params: [
                channel.name, "\(events.count - shown.count) earlier events: SCORES SHOW \(events[0].matchID)"]))
        }
        for event in shown {
            let time = ServerTime.format(millis: event.timeMillis)
            let tags = [IRCTag("time", time), IRCTag("msgid", ScoreBoard.msgid(event, match: match, room: true))]
            server.send(client, IRCMessage(tags: tags, source: service.mask, command: "PRIVMSG",
                                           params: [channel.name, Self.text(event)]))
        }
    }

    /// `67' GOAL! N. Name scores for Home FC. Home FC 2–1 Away United.`
    static func text(_ event: ScoreEvent) -> String { "\(event.minute)' \(event.text)" }

    private func setTopic(_ channel: Channel, _ text: String, announce: Bool) {
        channel.topic = text
        channel.topicSetBy = service.nick
        channel.topicSetAtSeconds = server.clock.wallMillis / 1000
        if announce {
            server.broadcast(IRCMessage(source: service.mask, command: "TOPIC", params: [channel.name, text]), to: channel, except: service)
        }
    }
}
