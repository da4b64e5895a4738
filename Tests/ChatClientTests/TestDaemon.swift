@testable import ChatServer
import CoreLoop
import Foundation
import Logging
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A real chatd (`ChatDaemon`) on a loopback port, its loop on its own
/// thread, as ChatServerTests' DaemonThread does. The client under test runs
/// on the test thread's own loop.
final class TestDaemon {
    let daemon: ChatDaemon
    private let finished = DispatchSemaphore(value: 0)
    private var running = false

    init(storage: ChatStorage? = nil, port: Int = 0, _ configure: (inout ServerConfig) -> Void = { _ in }) throws {
        var config = ServerConfig()
        config.listen = ["127.0.0.1:\(port)"]
        config.http.listen = []  // no web listener (the default port 8080 would collide)
        config.limits.floodLinesPerSecond = 0
        config.limits.maxConnectionsPerIP = 0
        configure(&config)
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        var previous = sigset_t()
        pthread_sigmask(SIG_SETMASK, nil, &previous)
        SignalSource.blockStandardSignals()
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        daemon = try ChatDaemon(config: config, motdLines: nil, logger: logger, storage: storage,
                                handleSignals: false, withConsole: false)
    }

    var port: Int { daemon.listeners[0].address.port! }

    func start() {
        running = true
        let daemon = self.daemon, finished = self.finished
        var previous = sigset_t()
        pthread_sigmask(SIG_SETMASK, nil, &previous)
        SignalSource.blockStandardSignals()
        Thread { try? daemon.run(); finished.signal() }.start()
        pthread_sigmask(SIG_SETMASK, &previous, nil)
    }

    /// A graceful shutdown, as SIGTERM does: clients hear ERROR and are closed.
    func shutdown() {
        guard running else { return }
        daemon.requestShutdown(message: "restarting")
        _ = finished.wait(timeout: .now() + 30)
        running = false
    }

    func stop() {
        guard running else { return }
        daemon.loop.stop()
        _ = finished.wait(timeout: .now() + 30)
        running = false
    }

    /// Runs a score job on the daemon's loop and waits until it is written and announced.
    func submit(_ job: ScoreJob, file: StaticString = #filePath, line: UInt = #line) {
        let done = DispatchSemaphore(value: 0)
        let daemon = self.daemon
        daemon.loop.execute {
            daemon.server.scores!.submit(job) { result in
                if case .failure(let error) = result { XCTFail("\(error)", file: file, line: line) }
                done.signal()
            }
        }
        XCTAssertEqual(done.wait(timeout: .now() + 20), .success, "the score job did not finish", file: file, line: line)
    }

    /// A value read on the daemon's loop (its state belongs to that thread).
    func onLoop<T>(_ body: @escaping (IRCServer) -> T) -> T {
        let done = DispatchSemaphore(value: 0)
        var result: T?
        let daemon = self.daemon
        daemon.loop.execute { result = body(daemon.server); done.signal() }
        XCTAssertEqual(done.wait(timeout: .now() + 20), .success, "the loop did not answer")
        return result!
    }

    /// An in-memory database holding `account` with `password` (yescrypt at a low cost).
    static func storage(account: String, password: String) throws -> ChatStorage {
        let saved = PasswordHasher.cost
        PasswordHasher.cost = 1
        defer { PasswordHasher.cost = saved }
        let storage = try ChatStorage()
        try storage.createAccount(AccountRecord(name: account, email: nil, passwordHash: try PasswordHasher.hash(password), createdAtMillis: 0))
        return storage
    }
}
