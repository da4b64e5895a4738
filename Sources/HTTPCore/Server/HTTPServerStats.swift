/// Counters of one `HTTPServer`, for metrics and status.
///
/// Thread-safety: a value; loop thread only.
public struct HTTPServerStats: Equatable {
    public var connectionsAccepted: UInt64 = 0
    /// Connections answered 503 and closed at once (`maxConnections`, `maxConnectionsPerAddress`).
    public var connectionsRefused: UInt64 = 0
    /// Connections speaking HTTP now (upgraded ones have left).
    public var openConnections = 0
    public var requests: UInt64 = 0
    /// Responses by status class: index 1 = 1xx … 5 = 5xx.
    public var responsesByClass: [UInt64] = [0, 0, 0, 0, 0, 0]
    /// Requests refused while being read (400, 408, 413, 414, 431, 501, 505).
    public var malformedRequests: UInt64 = 0
    public var upgrades: UInt64 = 0
    /// Body bytes sent.
    public var bodyBytesSent: UInt64 = 0

    public init() {}

    mutating func count(status: Int) {
        let i = status / 100
        if i >= 1 && i <= 5 { responsesByClass[i] &+= 1 }
    }
}
