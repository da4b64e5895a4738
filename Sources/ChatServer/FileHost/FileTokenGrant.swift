/// What a file token stands for: the chat connection that asked for it
/// (`FILE TOKEN`), its account at that moment, and when it lapses.
///
/// Thread-safety: a value type; any thread.
public struct FileTokenGrant: Equatable {
    public let token: String
    public let clientID: UInt64
    public let account: String
    /// Monotonic nanoseconds after which the token no longer works.
    public let expiresAtNanos: UInt64
}
