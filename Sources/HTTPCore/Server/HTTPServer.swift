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
    /// Of `live`, how many come from each address (`maxConnectionsPerAddress`).
    private var perAddress: [String: Int] = [:]
    /// Request bodies' share of memory (`maxBodyMemoryBytes`).
    var bodyBudget = BodyBudget()
    /// Bytes of request bodies reserved now.
    public var bodyBytesReserved: Int { bodyBudget.reserved }
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
    /// One past `maxConnections`, or `maxConnectionsPerAddress` from its
    /// address, gets 503 and is closed.
    public func accept(_ connection: StreamConnection) {
        let handler = HTTPConnection(connection: connection, server: self)
        connection.own(delegate: handler)
        let host = connection.peer?.host
        let busy = refusal(forNewConnectionFrom: host)
        // Counted before it starts: the close, also of a start that fails, takes it back (`forget`).
        live[connection.id] = handler
        stats.openConnections += 1
        if let host { perAddress[host, default: 0] += 1 }
        handler.addressKey = host
        do {
            try connection.start()
        } catch {
            connection.close(reason: .local("start failed"))
            return
        }
        stats.connectionsAccepted &+= 1
        guard let busy else { return handler.armIdleTimer() }
        stats.connectionsRefused &+= 1
        handler.answer(.text(.serviceUnavailable, busy, headers: HTTPHeaders([("Retry-After", "10")])),
                       head: HTTPRequestHead(method: "-", target: "-"), close: true)
    }

    private func refusal(forNewConnectionFrom host: String?) -> String? {
        if limits.maxConnections > 0 && live.count >= limits.maxConnections {
            return "The server has too many web connections open; try again shortly"
        }
        if limits.maxConnectionsPerAddress > 0, let host, perAddress[host, default: 0] >= limits.maxConnectionsPerAddress {
            return "Too many web connections from your address (at most \(limits.maxConnectionsPerAddress))"
        }
        return nil
    }

    /// `handler` stopped speaking HTTP (closed, or upgraded to another protocol).
    func forget(_ handler: HTTPConnection) {
        guard live.removeValue(forKey: handler.connection.id) != nil else { return }
        stats.openConnections -= 1
        if let host = handler.addressKey {
            let left = perAddress[host, default: 1] - 1
            perAddress[host] = left > 0 ? left : nil
        }
        handler.releaseBodyBudget()
    }
}
