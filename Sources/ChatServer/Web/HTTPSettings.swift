/// The `http` section of `config.json`: the web listener (pages, IRC over
/// WebSocket, metrics) and its limits.
///
/// Thread-safety: a value type; any thread.
public struct HTTPSettings: Equatable {
    /// Plain HTTP addresses, `HOST:PORT`; empty turns the web side off (`--http-listen` replaces it).
    public var listen = ["127.0.0.1:8080"]
    /// HTTPS/WSS addresses, served with the `tls` section's certificate.
    public var tlsListen: [String] = []
    /// The folder the page is served from (`GET /` → `index.html`, `/static/…`), relative to the working directory.
    public var webRoot = "web"
    /// Origins (`scheme://host[:port]`) whose pages may open `/irc`; nil: only
    /// the page's own origin (the request's `Host`). `"*"` allows any.
    public var allowedOrigins: [String]?
    /// Client addresses allowed to read `/metrics` (exact addresses, or `*`).
    public var metricsAllow = ["127.0.0.1", "::1"]
    /// Longest request head (request line and header fields), in bytes; 431 beyond.
    public var maxHeaderBytes = 16_384
    /// Largest request body, in bytes, unless a route sets its own; 413 beyond.
    public var maxBodyBytes = 1_048_576
    /// Seconds a client has to send a request's head once it started, and the
    /// window over which a body's pace is measured; 408 after it.
    public var headerTimeoutSeconds = 10
    /// The slowest a request body may arrive (bytes a second, averaged over
    /// each `headerTimeoutSeconds`); 408 below it. 0: one byte per window.
    public var minBodyBytesPerSecond = 1_024
    /// Bytes of request bodies held at once over all connections; 503 with
    /// `Retry-After` beyond. 0: no limit.
    public var maxBodyMemoryBytes = 64 * 1_048_576
    /// Connections speaking HTTP at once, and from one address; one past
    /// either gets 503 and is closed. 0: no limit. (A connection upgraded to
    /// WebSocket counts as a chat connection from then on: `limits`.)
    public var maxConnections = 1_024
    public var maxConnectionsPerIP = 64
    /// Seconds a keep-alive connection may sit idle between requests.
    public var idleTimeoutSeconds = 60

    public init() {}
}
