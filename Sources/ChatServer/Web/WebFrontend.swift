import CoreLoop
import HTTPCore
import Logging

/// The web side of chatd (issue #15): one `HTTPServer` on the daemon's loop
/// with its `router`, where each feature adds its routes. Built in:
///
/// | route | responder |
/// |---|---|
/// | `GET /irc`, `GET /` with `Upgrade: websocket` | IRC over WebSocket (`IRCWebSocketResponder`) |
/// | `GET /`, `/static/…`, `/<file>` | the page from `http.webRoot` (`StaticFileResponder`) |
/// | `GET /metrics` | Prometheus text, for `http.metricsAllow` (`MetricsResponder`) |
/// | `GET /healthz` | `ok` while the loop turns (`HealthResponder`) |
///
/// Other features add theirs with `router.add(prefix:_:)` or
/// `router.add(path:_:)` before the listener serves, e.g.
/// `daemon.web?.router.add(prefix: "/files", FileHTTPResponder(…))`.
///
/// Thread-safety: loop thread only.
public final class WebFrontend {
    public let http: HTTPServer
    public let router = HTTPRouter()
    public private(set) var settings: HTTPSettings
    unowned let server: IRCServer
    /// WebSocket handshakes completed.
    public internal(set) var webSocketUpgrades: UInt64 = 0

    /// - Parameter reader: where page files are read (a worker pool).
    public init(server: IRCServer, loop: EventLoop, settings: HTTPSettings, reader: Offloader, logger: Logger) {
        self.server = server
        self.settings = settings
        let router = self.router
        http = HTTPServer(loop: loop, limits: Self.limits(settings), responder: router) { entry in
            logger.info("\(entry.description)")
        }
        let page = StaticFileResponder(root: settings.webRoot, reader: reader)
        let irc = IRCWebSocketResponder(server: server, origins: { [unowned self] in OriginPolicy(allowed: self.settings.allowedOrigins) },
                                        onUpgrade: { [unowned self] in self.webSocketUpgrades &+= 1 })
        router.add(path: "/irc", irc)
        router.add(path: "/", PageOrSocketResponder(page: page, socket: irc))
        router.add(prefix: "/static/", page)
        router.add(path: "/healthz", HealthResponder())
        router.fallback = page
    }

    /// Applies settings a reload may change (origins, metrics addresses, limits for new requests).
    public func apply(_ new: HTTPSettings) {
        settings.allowedOrigins = new.allowedOrigins
        settings.metricsAllow = new.metricsAllow
        settings.maxHeaderBytes = new.maxHeaderBytes
        settings.maxBodyBytes = new.maxBodyBytes
        settings.headerTimeoutSeconds = new.headerTimeoutSeconds
        settings.idleTimeoutSeconds = new.idleTimeoutSeconds
        settings.minBodyBytesPerSecond = new.minBodyBytesPerSecond
        settings.maxBodyMemoryBytes = new.maxBodyMemoryBytes
        settings.maxConnections = new.maxConnections
        settings.maxConnectionsPerIP = new.maxConnectionsPerIP
        http.limits = Self.limits(settings)
    }

    static func limits(_ s: HTTPSettings) -> HTTPLimits {
        var l = HTTPLimits()
        l.maxHeaderBytes = s.maxHeaderBytes
        l.maxRequestLineBytes = min(8 * 1024, s.maxHeaderBytes)
        l.maxBodyBytes = s.maxBodyBytes
        l.headerTimeoutNanos = UInt64(s.headerTimeoutSeconds) * 1_000_000_000
        l.idleTimeoutNanos = UInt64(s.idleTimeoutSeconds) * 1_000_000_000
        l.minBodyBytesPerSecond = s.minBodyBytesPerSecond
        l.maxBodyMemoryBytes = s.maxBodyMemoryBytes
        l.maxConnections = s.maxConnections
        l.maxConnectionsPerAddress = s.maxConnectionsPerIP
        return l
    }
}
