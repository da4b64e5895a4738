@testable import ChatServer
import CoreLoop
import Foundation
import Logging
#if canImport(Glibc)
import Glibc
#endif

/// A `ChatDaemon` set up for a test (loopback port 0, quiet logs, no signal
/// handling), whose loop runs on its own thread once `start()` is called.
final class DaemonThread {
    let daemon: ChatDaemon
    private let finished = DispatchSemaphore(value: 0)
    private var running = false

    init(storage: ChatStorage? = nil, withConsole: Bool = false, _ configure: (inout ServerConfig) -> Void = { _ in }) throws {
        var config = ServerConfig()
        config.listen = ["127.0.0.1:0"]
        config.http.listen = []  // no web listener unless a test asks (the default port 8080 would collide)
        configure(&config)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        daemon = try Self.withStandardSignalsBlocked {
            try ChatDaemon(config: config, motdLines: nil, logger: logger, storage: storage,
                           handleSignals: false, withConsole: withConsole)
        }
    }

    var port: Int { daemon.listeners[0].address.port! }

    func start() {
        running = true
        let daemon = self.daemon, finished = self.finished
        Self.withStandardSignalsBlocked { Thread { try? daemon.run(); finished.signal() }.start() }
    }

    /// Threads started in `body` inherit a mask that blocks the process
    /// signals (a daemon thread must not take one meant for a test's
    /// signalfd); the calling test thread gets its own mask back.
    static func withStandardSignalsBlocked<T>(_ body: () throws -> T) rethrows -> T {
        var previous = sigset_t()
        pthread_sigmask(SIG_SETMASK, nil, &previous)
        SignalSource.blockStandardSignals()
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        return try body()
    }

    func stop() {
        daemon.loop.stop()
        if running { _ = finished.wait(timeout: .now() + 30) }
    }
}
