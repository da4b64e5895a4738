import CoreLoop
import ScoreFeed

/// The live-score feature: every match and event (the ledger), the queue of
/// changes being written, and everyone told about new events: followers on
/// the chat connection, the `#match-<id>` rooms, and the UDP stream.
///
/// Changes are tried on a copy of the ledger, written by the storage writer,
/// and only then kept and announced (an event is on disk before anyone hears
/// of it); one write is in flight at a time, and whatever queued meanwhile
/// goes in the next one, together (group commit, `ScoreBatch`), so seqs stay
/// in order and a failed write leaves no gap. `IRCServer` reaches it as
/// `server.scores`.
///
/// Every submitted job is answered exactly once. Shutting down (`stop()`)
/// refuses new jobs at once (`shuttingDown`) and finishes the ones already
/// taken: the daemon waits for `unansweredJobs` as for its other storage
/// writes, and once the loop has stopped `abandon()` answers whatever is
/// left (a write that timed out, a job whose turn never ended).
///
/// Thread-safety: loop thread only.
public final class ScoreBoard: ServerObserver, BeforeSleepFlushable {
    public private(set) var ledger: ScoreLedger
    public let config: ScoresConfig
    unowned let server: IRCServer
    let followers = ScoreFollowers()
    let rooms: ScoreRooms
    var udp: UDPScoreFeed?
    var simulator: ScoreSimulator?

    public typealias Completion = (Result<ScoreJobResult, ScoreError>) -> Void
    private var queue: [(ScoreJob, Completion)] = []
    /// Jobs waiting for the next write (the console's status shows it).
    var queuedCount: Int { queue.count }
    private var writing = false
    /// The answers owed for the batch being written.
    private var inFlight: [Completion] = []
    /// Set by `stop()`: new jobs are refused.
    private var stopping = false
    /// Set by `abandon()`: a write that still reports back answers no one twice.
    private var abandoned = false
    /// Set by `start(loop:)`: jobs then wait for the end of the loop turn, so
    /// all submitted in one turn go in one transaction. Without it (tests
    /// without a loop) a job starts at once. Strong, not weak: a weak
    /// reference would give the loop a side table, and every retain and
    /// release of it (each connection holds it) the runtime's slow path.
    private(set) var loop: EventLoop?
    private var flushScheduled = false
    /// Jobs waiting behind the batch being written; more are refused.
    static let maxQueued = 1000
    /// The most events one transaction takes (a larger ingest still goes
    /// alone, whole): bounds how long one write holds the writer.
    static let maxEventsPerWrite = 1000

    /// Transactions that stored score changes (group commit: events stored
    /// per write is `eventsAnnounced / writes`, roughly).
    public private(set) var writes: UInt64 = 0

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
        // A finished match's room closes after a while (`finishedRoomSeconds`):
        // after a restart only the rooms of unfinished matches open again.
        for match in ledger.sortedMatches where match.status != .finished || config.finishedRoomSeconds == 0 {
            rooms.room(for: match)
        }
    }

    /// Starts what needs the loop: the UDP socket, the simulator's timer and
    /// the sweep of lapsed UDP tokens.
    public func start(loop: EventLoop) throws {
        self.loop = loop
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

    /// Shutting down: the UDP stream closes (nothing more is sent), the
    /// simulator stops, and jobs submitted from now on are refused with
    /// `shuttingDown`. Jobs already taken are still written and answered.
    public func stop() {
        stopping = true
        udp?.close()
        udp = nil
    }

    /// Jobs taken and not yet answered: queued, or in the write in flight.
    /// Shutdown waits for these before it stops the loop.
    public var unansweredJobs: Int { queue.count + inFlight.count }

    /// The loop has stopped (or shutdown gave up waiting): every job still
    /// unanswered is answered now with `shuttingDown`, since no loop turn
    /// will bring its write's result. A write in flight may still reach the
    /// disk; its answer says it was not confirmed.
    public func abandon() {
        stopping = true
        abandoned = true
        let owed = inFlight + queue.map(\.1)
        inFlight = []
        queue = []
        for completion in owed { completion(.failure(.shuttingDown)) }
    }

    /// The UDP port, when the stream is on.
    public var udpPort: Int? { udp?.port }
    public var udpDatagramsSent: UInt64 { udp?.datagramsSent ?? 0 }
    public var udpSubscribers: Int { udp?.subscriptions.count ?? 0 }
    public var followerCount: Int { followers.total }

    /// One simulator step; skipped while a write is in flight, so the
    /// simulator always plans from the state everyone has seen.
    func simulate() {
        guard !stopping, !writing, queue.isEmpty, var sim = simulator, let job = sim.next(ledger) else { return }
        simulator = sim
        submit(job) { [server] result in
            if case .failure(let error) = result { server.logger.warning("simulated score change refused: \(error)") }
        }
    }

    // MARK: Changes

    /// Queues `job`; `completion` runs on the loop once it is written and
    /// announced, or refused. Past `maxQueued` waiting jobs it is refused at
    /// once with `queueFull`: the feed is faster than the disk.
    public func submit(_ job: ScoreJob, completion: @escaping Completion) {
        // Not queued: the loop may stop before the turn that would write it.
        guard !stopping else { return completion(.failure(.shuttingDown)) }
        guard queue.count < Self.maxQueued else { return completion(.failure(.queueFull(Self.maxQueued))) }
        queue.append((job, completion))
        guard let loop else { return runQueue() }
        if !flushScheduled && !writing {
            flushScheduled = true
            loop.scheduleFlush(self)
        }
    }

    /// The loop turn is over: what it submitted goes to disk together.
    public func flushBeforeSleep() {
        flushScheduled = false
        runQueue()
    }

    /// Group commit: everything queued while the last write was in flight
    /// (up to `maxEventsPerWrite` events) is tried on one trial ledger and
    /// written in one transaction, fsynced before any of it is announced.
    /// One write is in flight at a time, so seqs stay in order, and a failed
    /// write changes nothing (its seqs were never announced, so none is
    /// reused).
    private func runQueue() {
        while !writing, !queue.isEmpty {
            var taken = 0, drafts = 0
            for (job, _) in queue {
                let size = job.draftCount
                if taken > 0 && drafts + size > Self.maxEventsPerWrite { break }
                taken += 1
                drafts += size
            }
            let jobs = queue.prefix(taken)
            queue.removeFirst(taken)
            var batch = ScoreBatch(ledger: ledger, config: config)
            let now = server.clock.wallMillis
            for (job, _) in jobs { batch.add(job, nowMillis: now) }
            let completions = jobs.map(\.1)
            guard batch.accepted > 0, let services = server.services else {
                // Nothing to write, or no database: settle at once.
                commit(batch, completions)
                continue
            }
            writing = true
            inFlight = completions
            let (matches, events, retired) = (batch.matchRows, batch.events, batch.retired)
            let storage = services.storage
            services.writer.offload({ try storage.saveScores(matches: matches, events: events, retired: retired) }) { [weak self] written in
                guard let self, !self.abandoned else { return }
                self.writing = false
                self.inFlight = []
                switch written {
                case .success:
                    self.writes &+= 1
                    self.commit(batch, completions)
                case .failure(let error):
                    self.server.logger.error("saving \(events.count) score events failed: \(error)")
                    for (entry, completion) in zip(batch.entries, completions) {
                        if case .failure(let refused) = entry.outcome { completion(.failure(refused)) } else {
                            completion(.failure(.storageFailed("\(error)")))
                        }
                    }
                }
                self.runQueue()
            }
        }
    }

    /// The batch is on disk: keep its ledger, then announce and answer job by
    /// job in queue order (each event with the match as it stood after it).
    private func commit(_ batch: ScoreBatch, _ completions: [Completion]) {
        if batch.accepted > 0 { ledger = batch.trial }
        for id in batch.retired { forget(retiredMatch: id) }
        for (entry, completion) in zip(batch.entries, completions) {
            switch entry.outcome {
            case .success(.created(let match)):
                rooms.room(for: match)
            case .success(.events(let events)):
                for (event, match) in zip(events, entry.matchAfter) { announce(event, match: match) }
            case .failure:
                break
            }
            completion(entry.outcome)
        }
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

    /// A score event's msgid: the same whenever the event is sent (live, in
    /// a `since=` replay, to a room's newcomer, after a restart), so a client
    /// can tell a repeat. The room's PRIVMSG is another message, `room`.
    /// The match's start time keeps ids apart should match numbers ever
    /// start over (a new database).
    static func msgid(_ event: ScoreEvent, match: Match, room: Bool) -> String {
        "sc\(event.matchID)-\(String(match.startMillis, radix: 36))-\(event.seq)" + (room ? "r" : "")
    }

    private func announce(_ event: ScoreEvent, match: Match) {
        eventsAnnounced &+= 1
        let json = datagram(event, match: match).encoded()
        let tags = [IRCTag("msgid", Self.msgid(event, match: match, room: false)),
                    IRCTag(Self.eventTag, String(decoding: json, as: UTF8.self))]
        if let following = followers.byMatch[event.matchID] {
            var fanout = Fanout(Self.eventMessage(event, source: server.serverName), tags: tags,
                                time: ServerTime.format(millis: event.timeMillis))
            for client in following.values { client.transport.send(fanout.chunk(for: client.caps)) }
            server.stats.linesOut &+= UInt64(following.count)
        }
        rooms.announce(event, match: match, tags: [IRCTag("msgid", Self.msgid(event, match: match, room: true)), tags[1]])
        udp?.publish(json, match: event.matchID)
        if event.type == .fullTime { closeRoomLater(match) }
    }

    /// A finished match's room closes `finishedRoomSeconds` from now (at
    /// once without a loop: handler tests); 0 keeps it.
    func closeRoomLater(_ match: Match) {
        guard config.finishedRoomSeconds > 0 else { return }
        let close = { [weak self] in
            guard let self, let now = self.ledger.matches[match.id] else { return }
            self.rooms.close(now)
        }
        guard let loop else { return close() }
        _ = loop.schedule(after: .seconds(UInt64(config.finishedRoomSeconds)), close)
    }
}
