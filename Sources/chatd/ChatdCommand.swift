import ArgumentParser
import ChatServer
import CoreLoop
import Foundation
import Logging

/// `chatd`: loads the configuration, prepares the data folder, and runs the
/// server until SIGINT/SIGTERM.
///
/// Thread-safety: runs on the main thread, which becomes the loop thread.
@main
struct ChatdCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chatd",
        abstract: "An IRC-compatible chat server.",
        discussion: "Settings come from config.json; the flags below override it.")

    @Option(name: .long, help: "The configuration file. Missing default file: built-in defaults.")
    var config: String?

    @Option(name: .long, help: "Address to listen on, HOST:PORT (repeatable; replaces the file's list).")
    var listen: [String] = []

    @Option(name: .long, help: "Address to listen on with TLS, HOST:PORT (repeatable; replaces the file's TLS addresses).")
    var tlsListen: [String] = []

    @Option(name: .long, help: "Address for the web listener (page, IRC over WebSocket, metrics), HOST:PORT (repeatable; replaces http.listen).")
    var httpListen: [String] = []

    @Option(name: .long, help: "Folder for the database and the console socket.")
    var dataDir: String?

    @Option(name: .long, help: "Seconds between simulated score events (0.01 to 3600; scores.intervalMillis).")
    var scoreInterval: Double?

    @Option(name: .long, help: "The score simulator's random seed: the same seed plays the same matches (scores.seed).")
    var scoreSeed: Int?

    /// Exit codes from sysexits.h, so scripts can tell failures apart.
    enum Exit {
        static let config: Int32 = 78      // EX_CONFIG
        static let cantCreate: Int32 = 73  // EX_CANTCREAT
        static let osError: Int32 = 71     // EX_OSERR
        static let ioError: Int32 = 74     // EX_IOERR
    }

    func run() throws {
        // Before any thread exists (GRDB's, the workers'), so all inherit the mask.
        SignalSource.blockStandardSignals()
        var settings: ServerConfig
        let path = config ?? "config.json"
        do {
            if config == nil && !FileManager.default.fileExists(atPath: path) {
                settings = ServerConfig()
            } else {
                settings = try ConfigLoader.load(file: path)
            }
            if !listen.isEmpty { settings.listen = listen }
            if !tlsListen.isEmpty { settings.tlsListen = tlsListen }
            if !httpListen.isEmpty {
                for address in httpListen { _ = try SocketAddress(parsing: address) }
                settings.http.listen = httpListen
            }
            if let dataDir { settings.dataDir = dataDir }
            try ScoresFlags.apply(interval: scoreInterval, seed: scoreSeed, to: &settings.scores)
        } catch {
            fail("\(error)", code: Exit.config)
        }

        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = Logger.Level(rawValue: settings.logLevel) ?? .info
            return handler
        }
        let logger = Logger(label: "chatd")

        let motd: [String]?
        do {
            motd = try settings.loadMotd()
        } catch {
            fail("\(error)", code: Exit.config)
        }

        DescriptorLimit.raise(forConnections: settings.limits.maxConnections, logger: logger)

        do {
            try DataDirectory.prepare(settings.dataDir)
        } catch {
            fail("\(error)", code: Exit.cantCreate)
        }

        let storage: ChatStorage
        do {
            storage = try ChatStorage(path: settings.dataDir + "/chatd.sqlite")
        } catch {
            fail("\(error)", code: Exit.ioError)
        }

        let daemon: ChatDaemon
        do {
            daemon = try ChatDaemon(config: settings, motdLines: motd, logger: logger, storage: storage)
        } catch {
            fail("cannot start: \(error)", code: Exit.osError)
        }
        if config != nil || FileManager.default.fileExists(atPath: path) {
            daemon.configPath = path
        }
        logger.info("chatd \(ChatServerVersion.string) started as \(settings.serverName), data in \(settings.dataDir)")
        try daemon.run()
        logger.info("chatd stopped")
    }

    func fail(_ message: String, code: Int32) -> Never {
        FileHandle.standardError.write(Data("chatd: \(message)\n".utf8))
        Foundation.exit(code)
    }
}
