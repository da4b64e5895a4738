import CoreLoop

/// One HTTP service on a loop: the responder (usually an `HTTPRouter`), the
/// limits, the access log and counters shared by all its connections. A
/// listener hands each accepted connection to `accept`.
///
/// Thread-safety: loop thread only.
public final class HTTPServer {
    public let loop: EventLoop
    public var limits: HTTPLimits
    public let responder: HTTPResponder
    /// Called once per request (see `HTTPAccessLogEntry`); the daemon writes it to the server log.
    public var accessLog: (HTTPAccessLogEntry) -> Void
    /// The `Server` header's value.
    public var serverHeader = "chatd"
    public internal(set) var stats = HTTPServerStats()
    /// Connections speaking HTTP now, so shutdown can close them.
    var live: [UInt64: HTTPConnection] = [:]
    let date = HTTPDate()

    public init(loop: EventLoop, limits: HTTPLimits = HTTPLimits(), responder: HTTPResponder,
                accessLog: @escaping (HTTPAccessLogEntry) -> Void = { _ in }) {
        self.loop = loop
        self.limits = limits
        self.responder = responder
        self.accessLog = accessLog
    }

    /// Closes every HTTP connection (upgraded ones belong to their protocol
    /// now), after what is queued: for shutdown. Responses still being made are cut.
    public func closeAll(reason: String) {
        for handler in Array(live.values) { handler.connection.close(reason: .local(reason), afterFlush: true) }
    }

    /// Serves HTTP on `connection` (accepted, not started; TLS, if any, enabled).
    /// The connection owns its handler; it closes when the peer is done.
    public func accept(_ connection: StreamConnection) {
        let handler = HTTPConnection(connection: connection, server: self)
        connection.own(delegate: handler)
        stats.openConnections += 1  // the close, also of a start that fails, takes it back
        do {
            try connection.start()
        } catch {
            connection.close(reason: .local("start failed"))
            return
        }
        stats.connectionsAccepted &+= 1
        live[connection.id] = handler
        handler.armIdleTimer()
    }
}
