/// Counters the server keeps for status reports.
///
/// Thread-safety: a value; loop thread only.
public struct ServerStats {
    public var connectionsAccepted: UInt64 = 0
    public var connectionsRefused: UInt64 = 0
    public var linesIn: UInt64 = 0
    public var messagesRelayed: UInt64 = 0
    public var linesOut: UInt64 = 0
    /// Registered users now, of them invisible and operators; most at once since start.
    public var users = 0
    public var invisibleUsers = 0
    public var operators = 0
    public var peakUsers = 0
    /// Lines in and out during the last full second (sampled by `tick`).
    public var linesInPerSecond: Double = 0
    public var linesOutPerSecond: Double = 0
    /// Bytes of connections that have closed (open ones are summed live).
    public var bytesInClosed: UInt64 = 0
    public var bytesOutClosed: UInt64 = 0
    /// Errors other than `IRCError` that escaped a handler (each answered with 400 and logged).
    public var handlerFailures: UInt64 = 0
    /// Clients that completed registration (001 sent), since start.
    public var registrations: UInt64 = 0
    /// Clients dropped for flooding (`Excess Flood`) and for not reading (`SendQ exceeded`).
    public var floodDisconnects: UInt64 = 0
    public var sendQueueDisconnects: UInt64 = 0
    /// Password log-ins (SASL PLAIN, PASS) that succeeded and that failed on a wrong password.
    public var loginsSucceeded: UInt64 = 0
    public var loginsFailed: UInt64 = 0
    var rateSample: (nanos: UInt64, linesIn: UInt64, linesOut: UInt64) = (0, 0, 0)

    public init() {}
}
