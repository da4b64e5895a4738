import CoreLoop
import Logging

/// The chat protocol engine: every client, channel and nick, and the
/// dispatch of each line through the command table.
///
/// It knows nothing of sockets: bytes arrive through `receive` and leave
/// through each client's `ClientTransport`, so tests drive it in memory with
/// a manual clock, and the daemon drives it from the event loop.
///
/// Thread-safety: loop thread only.
public final class IRCServer {
    public internal(set) var config: ServerConfig
    public let clock: ServerClock
    public var logger: Logger
    let commands: CommandTable
    let createdAtMillis: Int64
    /// The 003 text, formatted once.
    let createdText: String
    public internal(set) var motdLines: [String]?

    public internal(set) var clients: [UInt64: Client] = [:]
    var nicks: [String: Client] = [:]
    public internal(set) var channels: [String: Channel] = [:]
    var whowas: WhowasHistory
    var connectionsPerHost: [String: Int] = [:]
    private var nextClientID: UInt64 = 1
    var msgids: MessageIDGenerator
    /// Clients whose input is paused by flood control.
    var throttled: Set<UInt64> = []
    private var lastTimeoutSweepNanos: UInt64 = 0
    /// Scratch space for encoding one reply (see `send(_:_:)`).
    var replyBuffer: [UInt8] = []
    /// Pre-encoded welcome replies; nil until first needed and after a reload.
    var welcomeTemplates: (head: WelcomeTemplate, motd: WelcomeTemplate)?
    /// The last formatted server-time (see `currentTime()`).
    var timeCache: (millis: Int64, text: String) = (Int64.min, "")

    /// The database and workers; nil runs without accounts and history.
    public let services: ServerServices?
    var history: HistoryRecorder?
    /// Registered account names (folded → display form): these nicks are reserved.
    var registeredAccounts: [String: String] = [:]
    /// Topics kept from earlier runs, applied when a channel is created again.
    var persistedTopics: [String: ChatStorage.StoredTopic] = [:]
    var loginThrottle: LoginThrottle
    /// Server bans (persisted through the console).
    public internal(set) var serverBans: [ServerBan] = []

    public var stats = ServerStats()

    public init(config: ServerConfig, motdLines: [String]?, clock: ServerClock = SystemClock(),
                logger: Logger = Logger(label: "chatd"), commands: CommandTable = .standard,
                services: ServerServices? = nil) {
        self.config = config
        self.services = services
        loginThrottle = LoginThrottle(maxFailures: config.accounts.loginMaxFailures,
                                      windowSeconds: config.accounts.loginFailureWindowSeconds)
        self.clock = clock
        self.logger = logger
        self.commands = commands
        self.motdLines = motdLines
        createdAtMillis = clock.wallMillis
        createdText = "This server was created \(ServerTime.format(millis: createdAtMillis))"
        whowas = WhowasHistory(capacity: config.limits.whowasEntries)
        msgids = MessageIDGenerator(seed: UInt64(clock.wallMillis))
    }

    /// Reads what the database knows (accounts, topics, the last message
    /// number). Blocking: call once at startup, before the loop runs.
    public func loadPersistentState() throws {
        guard let services else { return }
        for name in try services.storage.accountNames() { registeredAccounts[CaseMapping.fold(name)] = name }
        persistedTopics = try services.storage.topics()
        serverBans = try services.storage.bans()
        history = HistoryRecorder(services: services, lastSeq: try services.storage.lastMessageSeq(),
                                  batchSize: config.history.flushBatchSize, logger: logger)
    }

    var serverName: String { config.serverName }
    var limits: ServerConfig.Limits { config.limits }

    // MARK: Connections

    /// A transport connected from `host`. Returns the new client, or nil when a
    /// connection limit refused it (the transport got ERROR and is closing).
    @discardableResult
    public func accept(_ transport: ClientTransport, host: String) -> Client? {
        let limits = config.limits
        if limits.maxConnections > 0 && clients.count >= limits.maxConnections {
            refuse(transport, host: host, reason: "Server is full")
            return nil
        }
        if let ban = activeBan(address: host) {
            refuse(transport, host: host, reason: "You are banned from this server: \(ban.reason)")
            return nil
        }
        if limits.maxConnectionsPerIP > 0 && connectionsPerHost[host, default: 0] >= limits.maxConnectionsPerIP {
            refuse(transport, host: host, reason: "Too many connections from your IP address")
            return nil
        }
        let client = Client(id: nextClientID, transport: transport, host: host, now: clock.monotonicNanos,
                            wallMillis: clock.wallMillis, limits: limits)
        nextClientID += 1
        clients[client.id] = client
        connectionsPerHost[host, default: 0] += 1
        stats.connectionsAccepted += 1
        logger.debug("connection from \(host)", metadata: ["client": "\(client.id)"])
        return client
    }

    private func refuse(_ transport: ClientTransport, host: String, reason: String) {
        stats.connectionsRefused += 1
        logger.info("refused connection from \(host): \(reason)")
        transport.send(ByteChunk("ERROR :Closing Link: \(host) (\(reason))\r\n"))
        transport.close(reason: reason, afterFlush: true)
    }

    /// The transport closed (peer gone, error, send queue). Idempotent.
    public func transportClosed(_ client: Client, reason: String) {
        if client.state != .quitting {
            quit(client, reason: reason, tellClient: false)
        }
    }

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
            // Before registration, a log-in being checked holds later lines
            // back (CAP END, JOIN…) until its answer is in.
            if client.authInFlight && !client.isRegistered {
                client.transport.pauseReading()
                break
            }
            let rest = UnsafeRawBufferPointer(rebasing: bytes[consumed...])
            let (frame, used) = client.framer.next(in: rest)
            guard let frame else {
                if used == 0 { break }
                consumed += used
                continue
            }
            if case .line(let line) = frame, !line.isEmpty, !client.flood.take(now: now) {
                if !isExempt(line) {
                    throttle(client)
                    break
                }
            }
            consumed += used
            switch frame {
            case .tooLong:
                reply(client, .inputTooLong, "Input line was too long")
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
        if line.first == UInt8(ascii: "@") {
            let tagsEnd = line.firstIndex(of: 0x20) ?? line.count
            let tagLimit = client.caps.contains(.messageTags) ? limits.maxTagsLength : 0
            if tagsEnd > tagLimit || line.count - tagsEnd - 1 > limits.maxLineLength - 2 {
                reply(client, .inputTooLong, "Input line was too long")
                return
            }
        }
        let message: IRCMessage
        do {
            message = try IRCMessage(parsing: line)
        } catch let error as IRCParseError {
            if case .forbiddenByte = error { reply(client, .unknownError, "*", error.description) }
            return
        } catch { return }
        dispatch(message, from: client)
    }

    /// Validates `message` against the command table and runs its handler.
    public func dispatch(_ message: IRCMessage, from client: Client) {
        guard let spec = commands[message.command] else {
            if client.isRegistered {
                reply(client, .unknownCommand, message.command, "Unknown command")
            } else {
                reply(client, .notRegistered, "You have not registered")
            }
            return
        }
        switch spec.availability {
        case .registered where !client.isRegistered:
            reply(client, .notRegistered, "You have not registered")
            return
        case .registrationOnly where client.isRegistered:
            reply(client, .alreadyRegistered, "You may not reregister")
            return
        default:
            break
        }
        if message.params.count < spec.minParams {
            send(client, error: .needMoreParams(message.command))
            return
        }
        do {
            try spec.handler(self, client, message)
        } catch let error as IRCError {
            send(client, error: error)
        } catch {
            logger.error("command \(message.command) failed: \(error)")
        }
    }

    // MARK: Flood control and timeouts

    private func throttle(_ client: Client) {
        guard throttled.insert(client.id).inserted else { return }
        client.transport.pauseReading()
        checkFloodBacklog(client)
    }

    private func checkFloodBacklog(_ client: Client) {
        if client.transport.pendingInputBytes > limits.floodBacklogBytes {
            quit(client, reason: "Excess Flood")
        }
    }

    /// Periodic housekeeping; the daemon calls it a few times per second.
    /// Resumes throttled clients whose tokens refilled, pings the silent, and
    /// drops the unregistered and unresponsive.
    public func tick() {
        let now = clock.monotonicNanos
        if now &- stats.rateSample.nanos >= 1_000_000_000 {
            let seconds = Double(now &- stats.rateSample.nanos) / 1e9
            if stats.rateSample.nanos > 0 {
                stats.linesInPerSecond = Double(stats.linesIn &- stats.rateSample.linesIn) / seconds
                stats.linesOutPerSecond = Double(stats.linesOut &- stats.rateSample.linesOut) / seconds
            }
            stats.rateSample = (now, stats.linesIn, stats.linesOut)
        }
        for id in throttled {
            guard let client = clients[id] else { throttled.remove(id); continue }
            client.flood.refill(now: now)
            if client.flood.tokens >= 1 {
                throttled.remove(id)
                client.transport.resumeReading()
            } else {
                checkFloodBacklog(client)
            }
        }
        // Timeouts are whole seconds: walking every client once a second is
        // enough (flood resumption above runs on every tick).
        guard now &- lastTimeoutSweepNanos >= 1_000_000_000 else { return }
        lastTimeoutSweepNanos = now
        loginThrottle.sweep(now: now)
        let registrationTimeout = UInt64(limits.registrationTimeoutSeconds) * 1_000_000_000
        let pingInterval = UInt64(limits.pingIntervalSeconds) * 1_000_000_000
        let pingTimeout = UInt64(limits.pingTimeoutSeconds) * 1_000_000_000
        for client in Array(clients.values) {
            let silent = now &- client.lastInputNanos
            if !client.isRegistered {
                if now &- client.connectedAtNanos > registrationTimeout {
                    quit(client, reason: "Registration timed out")
                }
            } else if client.pingOutstanding {
                if silent > pingInterval + pingTimeout {
                    quit(client, reason: "Ping timeout: \(limits.pingIntervalSeconds + limits.pingTimeoutSeconds) seconds")
                }
            } else if silent > pingInterval {
                client.pingOutstanding = true
                send(client, IRCMessage(command: "PING", params: [serverName]))
            }
        }
    }

    // MARK: Leaving

    /// Removes `client`: one QUIT to each user sharing a channel, then (if
    /// `tellClient`) `ERROR :Closing Link` and a close after the queue drains.
    public func quit(_ client: Client, reason: String, tellClient: Bool = true) {
        guard client.state != .quitting else { return }
        let wasRegistered = client.isRegistered
        client.state = .quitting
        if wasRegistered {
            let quitLine = IRCMessage(source: client.mask, command: "QUIT", params: [reason])
            broadcastToPeers(of: client, quitLine, includeSelf: false)
            for channel in client.channels.values { removeMember(client, from: channel) }
            whowas.record(client, serverName: serverName, atMillis: clock.wallMillis)
            nicks[client.foldedNick] = nil
            setUserModes(client, invisible: false, operator: false)
            stats.users -= 1
        } else if client.nick != "*", nicks[client.foldedNick] === client {
            nicks[client.foldedNick] = nil
        }
        clients[client.id] = nil
        throttled.remove(client.id)
        if let count = connectionsPerHost[client.host] {
            connectionsPerHost[client.host] = count > 1 ? count - 1 : nil
        }
        logger.debug("client left: \(reason)", metadata: ["client": "\(client.id)", "nick": "\(client.nick)"])
        if tellClient {
            client.transport.send(ByteChunk("ERROR :Closing Link: \(client.host) (\(reason))\r\n"))
            client.transport.close(reason: reason, afterFlush: true)
        }
    }

    /// Ends every connection (shutdown): each client gets its ERROR line, and
    /// nobody is told of the others leaving, since everyone is; QUIT to every
    /// peer would be N² lines queued to sockets about to close.
    public func disconnectAll(reason: String) {
        for client in clients.values { client.channels = [:] }
        channels = [:]
        for client in Array(clients.values) { quit(client, reason: reason) }
    }

    func removeMember(_ client: Client, from channel: Channel) {
        channel.members[client.id] = nil
        client.channels[channel.folded] = nil
        if channel.members.isEmpty { channels[channel.folded] = nil }
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
    }

    // MARK: Lookup

    public func client(named nick: String) -> Client? {
        guard let c = nicks[CaseMapping.fold(nick)], c.isRegistered else { return nil }
        return c
    }

    public func channel(named name: String) -> Channel? { channels[CaseMapping.fold(name)] }
}
