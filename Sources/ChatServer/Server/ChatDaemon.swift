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
    public let loop: EventLoop
    public let server: IRCServer
    public private(set) var listeners: [StreamListener] = []
    private var logger: Logger
    private var signals: SignalSource?
    private var shuttingDown = false
    /// Hashers, readers and the writer, stopped in that order at exit.
    private var pools: [WorkerPool] = []
    public private(set) var console: StreamListener?
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
            // Password hashing is bursty and CPU-bound: idle priority keeps
            // a login storm from delaying chat on a shared core. Reads get
            // their own pool so they do not queue behind the hashes.
            let hashers = WorkerPool(loop: loop, threads: 2, priority: .idle)
            let readers = WorkerPool(loop: loop, threads: 1)
            let writer = WorkerPool(loop: loop, threads: 1)
            pools = [hashers, readers, writer]
            services = ServerServices(storage: storage, hashers: hashers, readers: readers, writer: writer)
        }
        server = IRCServer(config: config, motdLines: motdLines, logger: logger, services: services)
        try server.loadPersistentState()
        signals?.handler = { [unowned self] signo in self.handleSignal(signo) }
        server.files.scheduler = { [loop] delay, work in _ = loop.schedule(after: delay, work) }
        var limits = ConnectionLimits()
        limits.outboundHardLimit = config.limits.sendQueueBytes
        limits.outboundHighWater = config.limits.sendQueueBytes > 0 ? config.limits.sendQueueBytes / 2 : 1 << 30
        limits.outboundLowWater = limits.outboundHighWater / 4
        // The framer drops overlong lines itself; this bounds one partial line
        // plus whatever flood control holds back.
        limits.maxInboundBytes = max(config.limits.floodBacklogBytes, config.limits.maxLineLength + config.limits.maxTagsLength) * 2
        for text in config.listen {
            let address = try SocketAddress(parsing: text)
            let listener = try StreamListener.tcp(loop: loop, address: address, limits: limits) { [unowned self] connection in
                self.accept(connection)
            }
            listener.onAcceptError = { [logger] error in logger.warning("accept failed: \(error)") }
            listeners.append(listener)
            logger.info("listening on \(listener.address)")
        }
        if withConsole {
            let path = config.consoleSocketPath
            console = try StreamListener.unix(loop: loop, path: path) { [unowned self] connection in
                self.acceptConsole(connection)
            }
            logger.info("console socket at \(path)")
        }
        _ = loop.scheduleRepeating(every: .milliseconds(250)) { [unowned self] in self.server.tick() }
        if storage != nil {
            loop.scheduleRepeating(every: .milliseconds(UInt64(config.history.flushIntervalMillis))) { [unowned self] in
                self.server.history?.flush()
            }
        }
    }

    private func accept(_ connection: StreamConnection) {
        let transport = SocketClientTransport(connection: connection, server: server)
        connection.delegate = transport
        connection.context = transport  // the connection owns its transport
        do {
            try connection.start()
        } catch {
            logger.warning("could not start connection: \(error)")
            connection.close(reason: .local("start failed"))
            return
        }
        transport.client = server.accept(transport, host: connection.peer?.host ?? "unknown")
    }

    /// A console connection: only this user (or root) gets a session.
    private func acceptConsole(_ connection: StreamConnection) {
        let uid = (try? connection.peerCredentials())?.uid
        guard let uid, consoleAllowedUIDs.contains(uid) else {
            logger.warning("console connection refused for uid \(uid.map(String.init) ?? "unknown")")
            try? connection.start()
            connection.write(ConsoleReply.error(.failed("permission denied")).line.withUnsafeBytes { ByteChunk($0) })
            connection.close(reason: .local("permission denied"), afterFlush: true)
            return
        }
        let session = ConsoleSession(connection: connection, host: self, logger: logger)
        connection.delegate = session
        connection.context = session
        do {
            try connection.start()
        } catch {
            connection.close(reason: .local("start failed"))
        }
    }

    public func reloadConfiguration() throws -> [String] {
        guard let configPath else { throw ConsoleError.failed("chatd was started without a configuration file") }
        do {
            var fresh = try ConfigLoader.load(file: configPath)
            // Command-line overrides keep winning, as at startup.
            fresh.listen = server.config.listen
            fresh.dataDir = server.config.dataDir
            let motd = try fresh.loadMotd()
            return server.apply(fresh, motdLines: motd)
        } catch let error as ConfigError {
            logger.warning("reload refused: \(error)")
            throw ConsoleError.failed("reload refused, old configuration kept: \(error)")
        }
    }

    /// Runs until shutdown completes.
    public func run() throws {
        defer {
            pools.forEach { $0.shutdown() }
            do {
                try server.services?.storage.close()
            } catch {
                logger.error("closing the database failed: \(error)")
            }
        }
        try loop.run()
    }

    private func handleSignal(_ signo: Int32) {
        switch signo {
        case SIGHUP:
            logger.info("SIGHUP received (configuration reload arrives with the admin console)")
        default:
            logger.notice("signal \(signo) received: shutting down")
            shutdown(message: "Server shutting down", grace: .seconds(5))
        }
    }

    /// Any thread: starts a graceful shutdown on the loop.
    public func requestShutdown(message: String = "Server shutting down") {
        loop.execute { [weak self] in self?.shutdown(message: message, grace: .seconds(5)) }
    }

    /// Stops accepting, tells every client why, lets send queues drain for up
    /// to `grace`, then stops the loop.
    public func shutdown(message: String, grace: Nanoseconds) {
        guard !shuttingDown else { return }
        shuttingDown = true
        listeners.forEach { $0.close() }
        console?.close()
        server.disconnectAll(reason: message)
        let deadline = MonotonicClock.nanoseconds() + grace.value
        var historyWritten = server.history == nil
        server.history?.flushAll { [logger] in
            logger.info("history flushed")
            historyWritten = true
        }
        // Poll the drain on the loop's own timer: sockets close themselves as
        // their queues empty (or when the grace period ends).
        loop.scheduleRepeating(every: .milliseconds(20)) { [weak self] in
            guard let self else { return }
            let socketsDrained = self.loop.stats.registrations <= 1 + (self.signals == nil ? 0 : 1)
            if (socketsDrained && historyWritten) || MonotonicClock.nanoseconds() >= deadline {
                self.logger.info("shutdown complete")
                self.loop.stop()
            }
        }
    }
}
