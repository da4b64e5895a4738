/// Bounds on what one HTTP peer can make the server hold or wait for.
///
/// Thread-safety: a value type; any thread.
public struct HTTPLimits: Equatable {
    /// Longest request line (method, target, version), CR LF included; 414 beyond.
    public var maxRequestLineBytes = 8 * 1024
    /// Longest head (request line and all header fields); 431 beyond.
    public var maxHeaderBytes = 16 * 1024
    /// Most header fields in one request; 431 beyond.
    public var maxHeaderCount = 100
    /// Longest chunk-size line of a chunked body (size and extensions,
    /// which are ignored), CR LF not counted; 400 beyond.
    public var maxChunkLineBytes = 1024
    /// Largest body a responder accepts unless it says otherwise; 413 beyond.
    public var maxBodyBytes = 1024 * 1024
    /// Time from a request's first byte until its head is complete, and the
    /// window over which a body's pace is measured (`minBodyBytesPerSecond`);
    /// 408 after it.
    public var headerTimeoutNanos: UInt64 = 10_000_000_000
    /// The slowest a body may arrive, averaged over each `headerTimeoutNanos`
    /// (the last window needs only what was left); 408 below it. 0: at least
    /// one byte per window.
    public var minBodyBytesPerSecond = 0
    /// Most bytes of request bodies held at once over all connections (each
    /// reserves its `Content-Length`, or its limit if chunked, before it is
    /// read); 503 with `Retry-After` beyond. 0: no limit.
    public var maxBodyMemoryBytes = 0
    /// Most connections speaking HTTP at once, and from one address (0: no
    /// limit); one past either gets 503 and is closed.
    public var maxConnections = 0
    public var maxConnectionsPerAddress = 0
    /// How long a keep-alive connection may sit between requests.
    public var idleTimeoutNanos: UInt64 = 60_000_000_000

    public init() {}
}
