import ChatServer
import CoreLoop

/// A one-shot session for scripts (`chat send`, `chat files`, …): its own
/// loop on the calling thread, one connection without reconnects, an
/// operation started once registered, and a deadline. `run` returns when the
/// operation succeeds or fails, the connection fails, or time is up.
///
/// Thread-safety: loop thread only (the thread that calls `run`).
public final class ScriptSession {
    public let loop: EventLoop
    public let connection: ChatConnection
    /// Every message received, for the operation to watch.
    public var onMessage: (IRCMessage) -> Void = { _ in }
    /// Other events, for operations that need them (joined, history…).
    public var onEvent: (ClientEvent) -> Void = { _ in }
    private var outcome: Result<Void, ClientFailure>?
    private let timeoutMillis: Int

    public init(config: ClientConfig, timeoutSeconds: Double) throws {
        var config = config
        config.reconnect = false
        loop = try EventLoop()
        connection = ChatConnection(loop: loop, config: config)
        timeoutMillis = max(1, Int(timeoutSeconds * 1000))
    }

    /// Runs until done; `operation` starts after registration.
    public func run(_ operation: @escaping (ScriptSession) -> Void) -> Result<Void, ClientFailure> {
        connection.onEvent = { [unowned self] event in
            switch event {
            case .registered:
                operation(self)
            case .message(let m):
                self.onMessage(m)
            case .failure(let f):
                self.finish(.failure(f))
            case .status(.closed(let reason)):
                if self.outcome == nil { self.outcome = .failure(.disconnected(reason)) }
                self.loop.stop()
            default:
                self.onEvent(event)
            }
        }
        let deadline = loop.schedule(after: .milliseconds(UInt64(timeoutMillis))) { [unowned self] in
            self.finish(.failure(.timedOut("no answer within \(self.timeoutMillis) ms")))
        }
        connection.start()
        try? loop.run()
        _ = loop.cancel(deadline)
        loop.close()
        return outcome ?? .failure(.disconnected("loop ended"))
    }

    public func succeed() { finish(.success(())) }
    public func fail(_ failure: ClientFailure) { finish(.failure(failure)) }

    /// Records the first outcome, says QUIT, and stops once the connection
    /// has closed (or after a second, if the server does not close it).
    private func finish(_ result: Result<Void, ClientFailure>) {
        guard outcome == nil else { return }
        outcome = result
        if case .closed = connection.status { loop.stop(); return }
        connection.quit("done")
        _ = loop.schedule(after: .seconds(1)) { [weak self] in self?.loop.stop() }
    }
}
