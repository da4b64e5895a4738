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
    /// longest pause while a body arrives; 408 after it.
    public var headerTimeoutNanos: UInt64 = 10_000_000_000
    /// How long a keep-alive connection may sit between requests.
    public var idleTimeoutNanos: UInt64 = 60_000_000_000

    public init() {}
}
