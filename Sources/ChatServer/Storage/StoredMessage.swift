/// One channel message in the history.
///
/// Thread-safety: a value type; any thread.
public struct StoredMessage: Equatable {
    /// Server-wide order: strictly increasing, continued across restarts.
    public var seq: Int64
    /// The channel's folded name (the lookup key) and its display name.
    public var channel: String
    public var target: String
    public var timeMillis: Int64
    public var msgid: String
    /// `nick!user@host` of the sender.
    public var source: String
    public var account: String?
    /// PRIVMSG or NOTICE.
    public var command: String
    public var text: String
}
