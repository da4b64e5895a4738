/// One message in the history: a channel message, or a private one
/// (`channel` is then the conversation's key, see `PrivateHistory`).
///
/// Thread-safety: a value type; any thread.
public struct StoredMessage: Equatable {
    /// Server-wide order: strictly increasing, continued across restarts.
    public var seq: Int64
    /// The lookup key (a channel's folded name, or a conversation's key) and
    /// the target as sent (the channel's name, or the recipient's nick).
    public var channel: String
    public var target: String
    public var timeMillis: Int64
    public var msgid: String
    /// `nick!user@host` of the sender.
    public var source: String
    public var account: String?
    /// PRIVMSG or NOTICE; with draft/event-playback also TOPIC and TAGMSG.
    public var command: String
    /// The message's text (a TOPIC's new topic; empty for a TAGMSG).
    public var text: String
    /// The client-only tags it was sent with, as on the wire (escaped,
    /// `;`-separated, no `@`); nil for none.
    public var tags: String? = nil
}
