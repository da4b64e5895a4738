import CoreLoop
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// The running server: the event loop, the listeners, the `IRCServer` and its
/// housekeeping timer, and orderly shutdown on SIGINT/SIGTERM.
///
/// Thread-safety: create it and call `run()` on the thread that is to own the
/// loop; `requestShutdown` may be called from any thread.
public final class ChatDaemon: ConsoleHost {
    /// What one console connection may have queued (a `users` listing of a
    /// full server); a client connection's limit is `limits.sendQueueBytes`.
    static let consoleSendQueueBytes = 256 * 1024 * 1024
    public let loop: EventLoop
    public let server: IRCServer
    public internal(set) var listeners: [StreamListener] = []
    /// The listeners that speak TLS (also in `listeners`).
    public internal(set) var tlsListeners: [StreamListener] = []
    /// The certificate for TLS listeners; nil when there are none.
    public internal(set) var tls: TLSCertificates?
    /// The web side (HTTP, IRC over WebSocket, metrics); nil when `http.listen` is empty.
    public internal(set) var web: WebFrontend?
    /// The web listeners (`http.listen`, `http.tlsListen`).
    public internal(set) var httpListeners: [StreamListener] = []
    /// Reloads the certificate off the loop (file reads).
    var tlsWorker: WorkerPool?
    var logger: Logger
    var signals: SignalSource?
    var shuttingDown = false
    /// Set when shutdown gives up on the storage writer (the timeout passed).
    var abandonWrites = false
    /// Hashers and readers (and, without storage, the thread reload reads
    /// files on, made on first use), stopped at exit; their queues are dropped.
    var pools: [WorkerPool] = []
    /// The storage writer, stopped last; it finishes its queue unless shutdown timed out.
    private var writerPool: WorkerPool?
    /// Where reload reads the configuration and MOTD files: never the loop thread.
    private var fileReader: Offloader?
    private(set) var consoleWorker: WorkerPool?
    public private(set) var console: StreamListener?
    /// History and topic pruning (nil without storage).
    var retention: HistoryRetention?
    public let startedAtMillis: Int64
    /// Who may use the console: this process's user and root, unless a test narrows it.
    public var consoleAllowedUIDs: Set<UInt32> = [getuid(), 0]
    public var loopStats: EventLoopStats { loop.stats }
    /// The file `reload` re-reads; nil when started on built-in defaults.
    public var configPath: String?

    /// Sets up everything and binds the listen addresses; nothing runs until `run()`.
    /// - Parameter storage: the database; nil runs without accounts and history.
    public init(config: ServerConfig, motdLines: [String]?, logger: Logger, storage: ChatStorage? = nil,
                handleSignals: Bool = true, withConsole: Bool = true) throws {
        self.logger = logger
        startedAtMillis = SystemClock().wallMillis
        loop = try EventLoop()
        // Signals first: the worker threads started below inherit the mask.
        if handleSignals {
            signals = try SignalSource(loop: loop) { _ in }  // handler set below, once self exists
        } else {
            SignalSource.ignoreSIGPIPE()
        }
        var services: ServerServices?
        if let storage {
            // The hashers and the writer run at idle priority (SCHED_IDLE):
            // the loop preempts them the moment it wakes, so they never hold
            // the core a whole time slice while chat waits. Hashing is bursty
            // and CPU-bound (a login storm); the writer commits a batch of
            // history rows every flush, which at nice 10 stretched the churn
            // cycle's p99 from ~1.8 to ~3 ms on a shared core
            // (docs/BENCHMARKS.md, section 9). They still run whenever the
            // loop waits, and on any other core. The reader stays at nice 10:
            // its reads are short, and a client waits for each answer
            // (CHATHISTORY holds its later lines), so it must not starve on a
            // busy core. Reads get their own pool so they do not queue
            // behind the hashes.
            let hashers = WorkerPool(loop: loop, threads: 2, priority: .idle)
            let readers = WorkerPool(loop: loop, threads: 1)
            let writer = WorkerPool(loop: loop, threads: 1, priority: .idle)
            pools = [hashers, readers]
            writerPool = writer
            fileReader = readers
            services = ServerServices(storage: storage, hashers: hashers, readers: readers, writer: writer)
        }
        server = IRCServer(config: config, motdLines: motdLines, logger: logger, services: services)
        try server.loadPersistentState()
        server.control = self
        if let services {
            let server = self.server
            retention = HistoryRetention(
                services: services, clock: server.clock, logger: logger,
                settings: { server.config.history },
                openChannels: { Set(server.channels.byName.keys) },
                topicDropped: { folded, topic in server.channels.forgetSavedTopic(topic, folded: folded) })
        }
        try ScoreBoard(server: server, config: config.scores).start(loop: loop)  // kept as server.scores
        signals?.handler = { [unowned self] signo in self.handleSignal(signo) }
        server.files.scheduler = { [loop] delay, work in _ = loop.schedule(after: delay, work) }
        server.pacedReplies.scheduler = server.files.scheduler
        server.departures.loop = loop
        let limits = config.connectionLimits
        if !config.tlsListen.isEmpty {
            // Before the loop runs: reading (or generating) the certificate blocks.
            tls = try TLSCertificates(settings: config.tls, dataDir: config.dataDir, serverName: config.serverName, logger: logger)
            let worker = WorkerPool(loop: loop, threads: 1)
            pools.append(worker)
            tlsWorker = worker
        }
        try bindListeners(config, limits: limits)
        try startWeb(config, reader: fileReader)
        updateSTSPolicy()
        if withConsole {
            let path = config.consoleSocketPath
            // A listing is the server's own state for a trusted local admin:
            // `users` with 20,000 users in many channels each is tens of
            // megabytes, past the 4 MiB a client connection may queue.
            var consoleLimits = ConnectionLimits()
            consoleLimits.outboundHardLimit = Self.consoleSendQueueBytes
            console = try StreamListener.unix(loop: loop, path: path, limits: consoleLimits) { [unowned self] connection in
                self.acceptConsole(connection)
            }
            logger.info("console socket at \(path)")
        }
        _ = loop.scheduleRepeating(every: .milliseconds(250)) { [unowned self] in self.server.tick() }
        if let retention {
            // At startup (the first turn) and once a minute, on the writer.
            loop.execute { retention.run() }
            loop.scheduleRepeating(every: .seconds(60)) { retention.run() }
        }
        if storage != nil {
            loop.scheduleRepeating(every: .milliseconds(UInt64(clamping: config.history.flushIntervalMillis))) { [unowned self] in
                self.server.history?.flush()
            }
        }
    }

    /// The console's `reload`: `reload(done:)`, whose answer comes back on
    /// the loop once a worker has read the files.
    public func reloadConfiguration(done: @escaping (Result<[String], Error>) -> Void) {
        reload(done: done)
    }

    /// Reads the configuration and MOTD files on a worker, then applies them
    /// on the loop, as `chatctl reload` does; `done` gets the notes or the
    /// reason the file was refused (the running configuration is kept).
    /// The readers pool, or without storage a thread of its own made on
    /// first use: configuration files.
    var offLoopWorker: Offloader {
        if let fileReader { return fileReader }
        let pool = WorkerPool(loop: loop, threads: 1)
        pools.append(pool)
        fileReader = pool
        return pool
    }

    /// Console replies are encoded off the loop (`ConsoleSession.answer`),
    /// on a thread of their own made at the first request: a big listing
    /// must not hold up clients' history reads on the readers pool.
    public var consoleEncoder: Offloader? {
        if let consoleWorker { return consoleWorker }
        let pool = WorkerPool(loop: loop, threads: 1)
        pools.append(pool)
        consoleWorker = pool
        return pool
    }

    public func reload(done: @escaping (Result<[String], Error>) -> Void = { _ in }) {
        guard let configPath else {
            return done(.failure(ConsoleError.failed("chatd was started without a configuration file")))
        }
        let fileReader = offLoopWorker
        let listen = server.config.listen, tlsListen = server.config.tlsListen, dataDir = server.config.dataDir
        fileReader.offload({ Self.readConfiguration(path: configPath, listen: listen, tlsListen: tlsListen, dataDir: dataDir) }) { [weak self] read in
            guard let self else { return }
            done(read.flatMap { files in Result { try self.applyReloaded(files) } })
        }
    }

    /// Blocking file reads, any thread: the configuration (with the
    /// command line's `listen` and `dataDir` still winning) and its MOTD.
    private static func readConfiguration(path: String, listen: [String], tlsListen: [String], dataDir: String) -> Result<(ServerConfig, [String]?), ConfigError> {
        do {
            var fresh = try ConfigLoader.load(file: path)
            // Command-line overrides keep winning, as at startup.
            fresh.listen = listen
            fresh.tlsListen = tlsListen
            fresh.dataDir = dataDir
            return .success((fresh, try fresh.loadMotd()))
        } catch let error as ConfigError {
            return .failure(error)
        } catch {
            return .failure(.unreadable(file: path, reason: "\(error)"))
        }
    }

    /// Loop thread: applies what `readConfiguration` read, or refuses it.
    private func applyReloaded(_ files: Result<(ServerConfig, [String]?), ConfigError>) throws -> [String] {
        switch files {
        case .success(let (config, motd)):
            // The web addresses, like `listen`, change only on restart (`ReloadPlan`).
            let notes = server.apply(config, motdLines: motd)
            web?.apply(server.config.http)
            updateSTSPolicy()
            return notes
        case .failure(let error):
            logger.warning("reload refused: \(error)")
            throw ConsoleError.failed("reload refused, old configuration kept: \(error)")
        }
    }

    /// Runs until shutdown completes.
    public func run() throws {
        defer { stopWorkers() }
        try loop.run()
    }

    /// After the loop: score jobs still unanswered are refused
    /// (`ScoreBoard.abandon`); the hashers and readers drop what waits (nobody is
    /// left to answer); the writer finishes its queue unless shutdown gave
    /// up on it at `shutdownTimeoutSeconds` (then what it drops was logged).
    private func stopWorkers() {
        // No turn will bring a write's answer now: every score job still owed one gets it.
        server.scores?.abandon()
        if let services = server.services {
            let unconfirmed = services.pendingWrites, unwritten = server.history?.unwrittenCount ?? 0
            if unconfirmed > 0 || unwritten > 0 {
                logger.warning("loop stopped with \(unconfirmed) storage writes unconfirmed and \(unwritten) history messages not handed to the writer")
            }
        }
        pools.forEach { $0.shutdown() }
        writerPool?.shutdown(discardQueued: abandonWrites)
        do {
            try server.services?.storage.close()
        } catch {
            logger.error("closing the database failed: \(error)")
        }
    }

    private func handleSignal(_ signo: Int32) {
        switch signo {
        case SIGHUP:
            // As `chatctl reload`: the configuration file (read on a worker), then the certificate.
            logger.notice("SIGHUP received: reloading the configuration")
            rehash { [weak self] configuration, certificate in
                self?.logRehash(configuration, certificate, by: "SIGHUP")
            }
        default:
            logger.notice("signal \(signo) received: shutting down")
            shutdown(message: "Server shutting down", grace: .seconds(5))
        }
    }
}
