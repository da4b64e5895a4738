import CoreLoop
import Logging

/// The chat protocol engine: every client, channel and nick, and the
/// dispatch of each line through the command table.
///
/// It knows nothing of sockets: bytes arrive through `receive` and leave
/// through each client's `ClientTransport`, so tests drive it in memory with
/// a manual clock, and the daemon drives it from the event loop.
///
/// Its stored properties and those of `Client` and `Channel` are internal even where other
/// modules could use them: see `StreamConnection.descriptor` for why.
///
/// Nothing refers to it weakly: its components hold it `unowned` and
/// worker completions capture it strongly (a completion runs once and is
/// dropped). One weak reference would give it a side table for life, and
/// then every retain and release of it (one per read of every connection)
/// takes the runtime's slow path.
///
/// Thread-safety: loop thread only.
public final class IRCServer {
    var config: ServerConfig
    public let clock: ServerClock
    var logger: Logger
    let commands: CommandTable
    /// The 003 text, formatted once.
    let createdText: String
    var motdLines: [String]?

    /// Who is connected: ids, nicks, per-address counts, WHOWAS.
    public let clients: ClientRegistry
    /// Channels and their membership, and topics kept from earlier runs.
    public let channels: ChannelRegistry
    /// Registered names, the log-in throttle, server bans.
    let accounts: AccountDirectory
    /// Password checks and account creation on the workers; nil without a database.
    private(set) lazy var vault = services.map { AccountVault(services: $0, directory: accounts, logger: logger) }
    /// MONITOR lists and who watches each nick (kept in step by `MonitorNotifier`).
    let monitors = MonitorRegistry()
    /// Buffers and pre-encoded forms the reply path reuses.
    let replies = ReplyCache()
    /// Set when the daemon shuts down: connections closed from then on are
    /// the server going away (a WebSocket close says 1001, not 1000).
    public internal(set) var isGoingAway = false
    var msgids: MessageIDGenerator
    /// Flood control's paused clients, and when timeouts were last swept.
    var housekeeping = Housekeeping()
    /// Features told about lifecycle events (see `ServerObserver`).
    private(set) var observers: [ServerObserver] = []

    /// The database and workers; nil runs without accounts and history.
    public let services: ServerServices?
    var history: HistoryRecorder?
    /// Live football scores (Scores/); nil when not set up.
    var scores: ScoreBoard?
    /// Text-file sharing (FILE): its own state, store and rules (Files/).
    private(set) var files: FileSharing!
    /// draft/metadata-2: users' keys, subscriptions, persistence (Metadata/).
    private(set) var metadata: MetadataService!
    /// Reading channel and private history back (History/).
    private(set) lazy var historyReads = HistoryReads(server: self)
    /// Private-message history and CHATHISTORY TARGETS (PrivateHistory/).
    private(set) lazy var privateHistory = PrivateHistory(server: self)
    /// draft/read-marker: the last read time per account and target (ReadMarkers/).
    private(set) lazy var readMarkers = ReadMarkers(server: self)
    /// draft/multiline: batches being received, and their delivery (Multiline/).
    private(set) lazy var multiline = MultilineBatches(server: self)
    /// Long answers (WHO, LIST, TRACE) sent as the asker's socket drains (PacedReplies/).
    private(set) var pacedReplies: PacedReplies!
    /// Clients whose connections ended, quit together (Departures.swift).
    private(set) lazy var departures = Departures(server: self)

    var stats = ServerStats()
    /// Calls per command (its own storage: see `CommandCallCounts`).
    let commandCalls: CommandCallCounts
    /// The `sts` capability's policy; set by the daemon when a TLS port exists.
    var stsPolicy: STSPolicy?
    /// Who re-reads the configuration on REHASH and shuts down on DIE (the daemon); nil in tests.
    public weak var control: DaemonControl?
    /// When the server started, on the monotonic clock (STATS u).
    let startedAtNanos: UInt64

    public init(config: ServerConfig, motdLines: [String]?, clock: ServerClock = SystemClock(),
                logger: Logger = Logger(label: "chatd"), commands: CommandTable = .standard,
                services: ServerServices? = nil) {
        self.config = config
        self.services = services
        accounts = AccountDirectory(maxFailures: config.accounts.loginMaxFailures,
                                    failureWindowSeconds: config.accounts.loginFailureWindowSeconds,
                                    registrationsPerAddress: config.accounts.registrationsPerAddressPerHour,
                                    registrationsTotal: config.accounts.registrationsPerHour)
        clients = ClientRegistry(whowasCapacity: config.limits.whowasEntries)
        channels = ChannelRegistry()
        self.clock = clock
        self.logger = logger
        self.commands = commands
        self.motdLines = motdLines
        createdText = "This server was created \(ServerTime.format(millis: clock.wallMillis))"
        startedAtNanos = clock.monotonicNanos
        msgids = MessageIDGenerator(seed: UInt64(clock.wallMillis))
        commandCalls = CommandCallCounts(commandCount: commands.count)
        addObserver(MonitorNotifier(server: self, registry: monitors))
        files = FileSharing(server: self)
        addObserver(files)
        metadata = MetadataService(server: self)
        addObserver(metadata)
        addObserver(multiline)
        pacedReplies = PacedReplies(server: self)
        addObserver(pacedReplies)
    }

    /// Reads what the database knows (accounts, topics, the last message
    /// number). Blocking: call once at startup, before the loop runs.
    public func loadPersistentState() throws {
        guard let services else { return }
        accounts.load(names: try services.storage.accountNames(), bans: try services.storage.bans())
        channels.loadSavedTopics(try services.storage.topics())
        history = HistoryRecorder(services: services, lastSeq: try services.storage.lastMessageSeq(),
                                  batchSize: config.history.flushBatchSize, logger: logger)
        try files.load(services)
        try readMarkers.load(services.storage)
    }

    /// `observer` hears about registrations, nick changes, quits and emptied
    /// channels from now on. The server keeps it alive.
    public func addObserver(_ observer: ServerObserver) { observers.append(observer) }

    var serverName: String { config.serverName }
    var limits: ServerConfig.Limits { config.limits }

    // MARK: Input

    /// Handles the complete lines at the start of `bytes`; returns how many
    /// bytes were used. Stops early when flood control throttles the client:
    /// the rest waits, unread, until `tick` lets it continue.
    public func receive(_ bytes: UnsafeRawBufferPointer, from client: Client) -> Int {
        var consumed = 0
        let now = clock.monotonicNanos
        client.lastInputNanos = now
        client.pingOutstanding = false
        while client.state != .quitting && consumed < bytes.count {
            // An answer still to come from a worker holds later lines back
            // (AnswerOrder/LaterAnswers); before registration, so does a log-in
            // being checked (CAP END, JOIN… wait for its answer).
            if client.pendingAnswers > 0 || (client.authInFlight && !client.isRegistered) {
                client.transport.pauseReading()
                break
            }
            let rest = UnsafeRawBufferPointer(rebasing: bytes[consumed...])
            // Stepped on a copy and stored back (an Int and a Bool): a
            // mutating call on `client.framer` spans the framer's byte scan,
            // which the optimizer cannot see through, and would keep a
            // runtime exclusivity check on every access to it.
            var framer = client.framer
            let (frame, used) = framer.next(in: rest)
            client.framer = framer
            guard let frame else {
                if used == 0 { break }
                consumed += used
                continue
            }
            // Every frame costs a token, overlong (it earns a 417) and empty
            // ones too; only PONG and QUIT may pass an empty bucket.
            if !client.flood.take(now: now) {
                var exempt = false
                if case .line(let line) = frame, !line.isEmpty { exempt = isExempt(line) }
                if !exempt {
                    throttle(client)
                    break
                }
            }
            consumed += used
            switch frame {
            case .tooLong:
                reply(client, standard: .inputTooLong)
            case .line(let line):
                if !line.isEmpty { handleLine(line, from: client) }
            }
        }
        return consumed
    }

    /// PONG and QUIT are never held back: a throttled client must still be
    /// able to answer a ping or leave.
    private func isExempt(_ line: UnsafeRawBufferPointer) -> Bool {
        guard let message = try? IRCMessage(parsing: line), let spec = commands[message.command] else { return false }
        return !spec.costsFlood
    }

    func handleLine(_ line: UnsafeRawBufferPointer, from client: Client) {
        stats.linesIn += 1
        // Tag data (between '@' and the space) is capped at 4094 bytes (417
        // beyond); the rest is the message's, at most `maxLineLength` with
        // CR LF, tags or not (the framer lets a message-tags client's line
        // run to the tag room). Tags from a client without message-tags are
        // parsed and ignored, as modern servers do, not refused.
        let tagsEnd = line.first == UInt8(ascii: "@") ? line.firstIndex(of: 0x20) ?? line.count : -1
        if tagsEnd - 1 > min(limits.maxTagsLength, IRCServer.clientTagDataLimit) || line.count - tagsEnd - 1 > limits.maxLineLength - 2 {
            reply(client, standard: .inputTooLong)
            return
        }
        // UTF8ONLY: nothing that is not UTF-8 gets parsed or relayed (UTF8Only/).
        guard UTF8Only.isValid(line) else { return refuseInvalidUTF8(line, from: client) }
        let message: IRCMessage
        do {
            message = try IRCMessage(parsing: line)
        } catch let error as IRCParseError {
            return ParseErrorAnswer.send(error, in: line, to: client, on: self)
        } catch { return }
        dispatch(message, from: client)
    }

    /// Validates `message` against the command table and runs its handler.
    public func dispatch(_ message: IRCMessage, from client: Client) {
        // labeled-response (IRCServer+Labels.swift); untagged lines skip it.
        if !message.tags.isEmpty, let label = LabeledResponse.label(of: message, from: client) {
            return LabeledResponse.dispatch(message, from: client, label: label, on: self)
        }
        guard let spec = commands[message.command] else {
            if client.isRegistered {
                reply(client, standard: .unknownCommand, message.command)
            } else {
                reply(client, standard: .notRegistered)
            }
            return
        }
        switch spec.availability {
        case .registered where !client.isRegistered:
            reply(client, standard: .notRegistered)
            return
        case .registrationOnly where client.isRegistered:
            reply(client, standard: .alreadyRegistered)
            return
        default:
            break
        }
        if message.params.count < spec.minParams {
            send(client, error: .needMoreParams(message.command))
            return
        }
        commandCalls.bump(spec.slot)
        do {
            try spec.handler(self, client, message)
        } catch let error as IRCError {
            send(client, error: error)
        } catch {
            // A bug or an unforeseen failure, not the client's mistake: it
            // still gets an answer, and the operator a log line and a count.
            stats.handlerFailures &+= 1
            logger.error("command \(message.command) failed: \(String(describing: error))",
                         metadata: ["client": "\(client.id)"])
            if client.state != .quitting {
                reply(client, .unknownError, message.command, "Internal error; the command was not completed")
            }
        }
    }

    /// Changes user modes, keeping the LUSERS counters right.
    func setUserModes(_ client: Client, invisible: Bool? = nil, operator: Bool? = nil) {
        if let invisible, invisible != client.isInvisible {
            client.isInvisible = invisible
            stats.invisibleUsers += invisible ? 1 : -1
        }
        if let op = `operator`, op != client.isOperator {
            client.isOperator = op
            stats.operators += op ? 1 : -1
        }
        if `operator` == false { client.operatorByAccount = false }
    }

    /// The most tag data (bytes between '@' and the space) a client may send (IRCv3 message-tags).
    static let clientTagDataLimit = 4094

    // MARK: Lookup

    /// The registered user with this nick.
    public func client(named nick: String) -> Client? { clients.registered(named: nick) }

    public func channel(named name: String) -> Channel? { channels.named(name) }
}
