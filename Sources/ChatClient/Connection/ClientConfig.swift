import CoreLoop

/// What a `ChatConnection` connects to and as whom.
///
/// Thread-safety: a value type; any thread.
public struct ClientConfig {
    /// `HOST:PORT`, numeric or `localhost` (no DNS: CoreLoop's resolver is numeric only).
    public var server: String = "127.0.0.1:6667"
    public var nick: String
    public var user: String
    public var realName: String
    /// Log in with SASL PLAIN as this account (needs `password`).
    public var account: String?
    /// Never from the command line: see `PasswordSource`.
    public var password: String?
    /// Reconnect after a lost connection (the interactive client); scripts fail instead.
    public var reconnect: Bool = true
    public var backoff: Backoff = Backoff()
    /// Extra capabilities to ask for beyond `ClientConfig.standardCapabilities`.
    public var extraCapabilities: [String] = []
    /// Socket limits; the inbound buffer bounds what the server can make us hold.
    public var limits: ConnectionLimits = ConnectionLimits()

    /// What the client asks for when the server offers it. echo-message makes
    /// our own lines come back with the server's time and msgid; batch +
    /// server-time + chathistory give history with original times.
    public static let standardCapabilities = [
        "message-tags", "server-time", "batch", "echo-message", "draft/chathistory",
        "chathistory", "away-notify", "account-tag", "multi-prefix", "draft/message-redaction",
    ]

    public init(nick: String, server: String = "127.0.0.1:6667", account: String? = nil, password: String? = nil) {
        self.nick = nick
        self.user = nick.lowercased().filter { $0.isLetter || $0.isNumber }.prefix(10).description
        if self.user.isEmpty { self.user = "chat" }
        self.realName = nick
        self.server = server
        self.account = account
        self.password = password
    }
}
