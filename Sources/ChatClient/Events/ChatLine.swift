/// One line a person reads: a message, an action, a join, an error…, with the
/// window it belongs in and the time it was said (the server's `time` tag, so
/// history keeps its original times).
///
/// Thread-safety: a value type; any thread.
public struct ChatLine: Equatable {
    public enum Kind: Equatable {
        case message, action, notice, join, part, quit, kick, nick, topic, mode, info, error
    }

    /// Where a line is shown.
    public enum Place: Equatable {
        /// The server window.
        case server
        /// Whatever window the user is looking at (replies to their commands).
        case active
        /// A channel or a private conversation, by name.
        case window(String)
    }

    public var kind: Kind
    public var place: Place
    /// Milliseconds since 1970 (UTC).
    public var timeMillis: Int64
    public var sender: String?
    public var text: String
    /// Replayed from history rather than said now.
    public var isHistory = false
    /// Said by us (echo-message or local echo).
    public var isOwn = false
    public var msgid: String?
    /// Deleted by its author or an operator (REDACT): shown as "message deleted".
    public var isRedacted = false
    /// A shared file's id, when the line announces one (FILE extension).
    public var fileID: String?

    public init(kind: Kind, place: Place, timeMillis: Int64, sender: String? = nil, text: String) {
        self.kind = kind
        self.place = place
        self.timeMillis = timeMillis
        self.sender = sender
        self.text = text
    }
}
