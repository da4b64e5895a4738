import CoreLoop
import ScoreFeed

/// The live-score feature: every match and event (the ledger), the queue of
/// changes being written, and everyone told about new events: followers on
/// the chat connection, the `#match-<id>` rooms, and the UDP stream.
///
/// A change is tried on a copy of the ledger, written by the storage writer,
/// and only then kept and announced (an event is on disk before anyone hears
/// of it); one write is in flight at a time, so seqs stay in order and a
/// failed write leaves no gap. `IRCServer` reaches it as `server.scores`.
///
/// Thread-safety: loop thread only.
public final class ScoreBoard: ServerObserver {
    public private(set) var ledger: ScoreLedger
    public let config: ScoresConfig
    private unowned let server: IRCServer
    let followers = ScoreFollowers()
    let rooms: ScoreRooms
    var udp: UDPScoreFeed?
    var simulator: ScoreSimulator?

    public typealias Completion = (Result<ScoreJobResult, ScoreError>) -> Void
    private var queue: [(ScoreJob, Completion)] = []
    private var writing = false
    /// Jobs waiting behind the one being written; more are refused.
    static let maxQueued = 1000

    /// Counters for the console's status and the benchmark.
    public private(set) var eventsAnnounced: UInt64 = 0

    /// Sets the board up on `server` with what storage holds (blocking: call
    /// before the loop runs), and opens the rooms of the stored matches.
    public init(server: IRCServer, config: ScoresConfig) throws {
        self.server = server
        self.config = config
        ledger = try server.services?.storage.loadScores() ?? ScoreLedger()
        rooms = ScoreRooms(server: server)
        server.scores = self
        server.addObserver(self)
        for match in ledger.sortedMatches { rooms.room(for: match) }
    }

    /// Starts what needs the loop: the UDP socket, the simulator's timer and
    /// the sweep of lapsed UDP tokens.
    public func start(loop: EventLoop) throws {
        if let text = config.udpListen {
            udp = try UDPScoreFeed(loop: loop, address: try SocketAddress(parsing: text), clock: server.clock, config: config)
            server.logger.info("score stream on udp \(text) (port \(udp?.port ?? 0))")
        }
        loop.scheduleRepeating(every: .seconds(1)) { [unowned self] in self.udp?.sweep() }
        if config.simulator {
            let seed = config.seed != 0 ? UInt64(config.seed) : UInt64(truncatingIfNeeded: server.clock.wallMillis)
            simulator = ScoreSimulator(seed: seed, matches: config.simulatorMatches, maxMatches: config.maxMatches)
            loop.scheduleRepeating(every: .milliseconds(UInt64(config.intervalMillis))) { [unowned self] in self.simulate() }
        }
    }

    /// Shutting down: the UDP stream closes (nothing more is sent).
    public func stop() {
        udp?.close()
        udp = nil
    }

    /// The UDP port, when the stream is on.
    public var udpPort: Int? { udp?.port }
    public var udpDatagramsSent: UInt64 { udp?.datagramsSent ?? 0 }
    public var udpSubscribers: Int { udp?.subscriptions.count ?? 0 }
    public var followerCount: Int { followers.total }

    /// One simulator step; skipped while a write is in flight, so the
    /// simulator always plans from the state everyone has seen.
    func simulate() {
        guard !writing, queue.isEmpty, var sim = simulator, let job = sim.next(ledger) else { return }
        simulator = sim
        submit(job) { [server] result in
            if case .failure(let error) = result { server.logger.warning("simulated score change refused: \(error)") }
        }
    }

    // MARK: Changes

    /// Queues `job`; `completion` runs on the loop once it is written and
    /// announced, or refused.
    public func submit(_ job: ScoreJob, completion: @escaping Completion) {
        guard queue.count < Self.maxQueued else { return completion(.failure(.tooMany("queued score changes"))) }
        queue.append((job, completion))
        runQueue()
    }

    private func runQueue() {
        while !writing, !queue.isEmpty {
            let (job, completion) = queue.removeFirst()
            var trial = ledger
            let result: ScoreJobResult
            do {
                result = try apply(job, to: &trial)
            } catch let error as ScoreError {
                completion(.failure(error))
                continue
            } catch {
                completion(.failure(.invalidEvent("\(error)")))
                continue
            }
            guard let services = server.services else {
                commit(trial, result, completion)
                continue
            }
            writing = true
            let (matches, events) = Self.rows(of: result, in: trial)
            let storage = services.storage
            services.writer.offload({ try storage.saveScores(matches: matches, events: events) }) { [weak self] written in
                guard let self else { return }
                self.writing = false
                switch written {
                case .success:
                    self.commit(trial, result, completion)
                case .failure(let error):
                    self.server.logger.error("saving scores failed: \(error)")
                    completion(.failure(.storageFailed("\(error)")))
                }
                self.runQueue()
            }
        }
    }

    private func apply(_ job: ScoreJob, to trial: inout ScoreLedger) throws -> ScoreJobResult {
        let now = server.clock.wallMillis
        switch job {
        case .create(let home, let away):
            guard trial.matches.count < config.maxMatches else { throw ScoreError.tooMany("matches (max \(config.maxMatches))") }
            return .created(try trial.createMatch(home: home, away: away, nowMillis: now))
        case .events(let drafts):
            guard !drafts.isEmpty else { throw ScoreError.invalidEvent("no events") }
            var events: [ScoreEvent] = []
            for draft in drafts {
                guard trial.events(of: draft.matchID).count < config.maxEventsPerMatch else {
                    throw ScoreError.tooMany("events in match \(draft.matchID) (max \(config.maxEventsPerMatch))")
                }
                events.append(try trial.apply(draft, nowMillis: now))
            }
            return .events(events)
        }
    }

    /// The rows a result writes: its events and the matches they changed.
    private static func rows(of result: ScoreJobResult, in ledger: ScoreLedger) -> ([Match], [ScoreEvent]) {
        switch result {
        case .created(let match):
            return ([match], [])
        case .events(let events):
            let ids = Set(events.map(\.matchID))
            return (ids.sorted().compactMap { ledger.matches[$0] }, events)
        }
    }

    private func commit(_ trial: ScoreLedger, _ result: ScoreJobResult, _ completion: Completion) {
        ledger = trial
        switch result {
        case .created(let match):
            rooms.room(for: match)
        case .events(let events):
            for event in events { announce(event) }
        }
        completion(.success(result))
    }

    // MARK: Announcing

    /// The event as a UDP datagram and in the `chatd.dev/score` tag.
    func datagram(_ event: ScoreEvent, match: Match) -> ScoreDatagram {
        ScoreDatagram(match: event.matchID, seq: event.seq, type: event.type.rawValue, minute: event.minute,
                      home: event.homeGoals, away: event.awayGoals, text: event.text, ts: event.timeMillis,
                      team: event.team.map { match.teamName($0) }, player: event.player)
    }

    /// `SCORES EVENT <id> <seq> <type> <minute> <home-goals> <away-goals> :<sentence>`
    static func eventMessage(_ e: ScoreEvent, source: String) -> IRCMessage {
        IRCMessage(source: source, command: "SCORES", params: [
            "EVENT", String(e.matchID), String(e.seq), e.type.rawValue, String(e.minute),
            String(e.homeGoals), String(e.awayGoals), e.text])
    }

    /// The vendor tag carrying the event (the datagram's JSON).
    static let eventTag = "chatd.dev/score"

    private func announce(_ event: ScoreEvent) {
        guard let match = ledger.matches[event.matchID] else { return }
        eventsAnnounced &+= 1
        let json = datagram(event, match: match).encoded()
        let tags = [IRCTag("msgid", server.msgids.next()), IRCTag(Self.eventTag, String(decoding: json, as: UTF8.self))]
        if let following = followers.byMatch[event.matchID] {
            var fanout = Fanout(Self.eventMessage(event, source: server.serverName), tags: tags,
                                time: ServerTime.format(millis: event.timeMillis))
            for client in following.values { client.transport.send(fanout.chunk(for: client.caps)) }
            server.stats.linesOut &+= UInt64(following.count)
        }
        rooms.announce(event, match: match, tags: [IRCTag("msgid", server.msgids.next()), tags[1]])
        udp?.publish(json, match: event.matchID)
    }

    // MARK: Following

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

    func eventTags(_ event: ScoreEvent) -> [IRCTag] {
        guard let match = ledger.matches[event.matchID] else { return [] }
        return [IRCTag("time", ServerTime.format(millis: event.timeMillis)),
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

    // MARK: ServerObserver

    public func clientQuit(_ client: Client, reason: String) {
        followers.drop(client)
        udp?.drop(client)
    }

    public func clientJoined(_ client: Client, channel: Channel) {
        guard channel.isMember(rooms.service), let id = Self.matchID(ofRoom: channel.name), ledger.matches[id] != nil else { return }
        rooms.replay(to: client, channel: channel, events: ledger.events(of: id))
    }

    /// 7 for `#match-7`.
    static func matchID(ofRoom name: String) -> Int64? {
        let prefix = "#match-"
        guard name.lowercased().hasPrefix(prefix) else { return nil }
        return ScoreCommands.matchID(String(name.dropFirst(prefix.count)))
    }
}

extension IRCMessage {
    /// The same message with `tags`.
    func tagged(_ tags: [IRCTag]) -> IRCMessage {
        var copy = self
        copy.tags = tags
        return copy
    }
}

extension ScoreBoard {
    /// Every draft that would fail after the ones before it (each numbered
    /// by `lines`, or 1, 2, … without); nil when all would apply.
    func check(_ drafts: [ScoreEventDraft], lines: [Int]? = nil) -> ScoreIngestError? {
        var trial = ledger
        var problems: [ScoreIngestError.Problem] = []
        for (index, draft) in drafts.enumerated() {
            do {
                _ = try trial.apply(draft, nowMillis: 0)
            } catch {
                problems.append(.init(line: lines?[index] ?? index + 1, reason: "\(error)"))
            }
        }
        return problems.isEmpty ? nil : ScoreIngestError(problems: problems)
    }
}

extension ScoreBoard {
    /// The `scores` object in the console's `status` reply.
    public var statusFields: [String: Any] {
        ["matches": ledger.matches.count, "eventsAnnounced": eventsAnnounced, "followers": followers.total,
         "udpSubscribers": udpSubscribers, "udpDatagramsSent": udpDatagramsSent,
         "udpDatagramsDropped": udp?.datagramsDropped ?? 0, "queuedChanges": queue.count]
    }
}
