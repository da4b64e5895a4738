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
}
