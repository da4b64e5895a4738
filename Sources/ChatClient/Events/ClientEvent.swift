import ChatServer

/// What a `ChatConnection` tells its owner, in the order things happened.
///
/// Thread-safety: a value type; any thread.
public enum ClientEvent: Equatable {
    case status(ConnectionStatus)
    case registered(nick: String, account: String?)
    /// After a reconnect: these channels are being joined again.
    case rejoining([String])
    case line(ChatLine)
    /// A finished `chathistory` batch for `target`, oldest first.
    case history(target: String, lines: [ChatLine])
    case joined(channel: String)
    /// We left `channel` (PART, or KICK by someone).
    case left(channel: String)
    case memberJoined(channel: String, nick: String)
    case memberLeft(channel: String, nick: String)
    /// `nick` quit; the owner removes it from every channel it tracks.
    case memberQuit(nick: String, reason: String)
    case nickChanged(old: String, new: String)
    /// The full member list after a NAMES reply (prefixes kept: `@alice`).
    case names(channel: String, nicks: [String])
    case topic(channel: String, text: String)
    /// A message was deleted (draft/message-redaction): by `by`, for `reason`.
    case redacted(msgid: String, by: String?, reason: String)
    case failure(ClientFailure)
    /// Every message as received, before decoding; extension clients (FILE,
    /// SCORES) and scripts watch these.
    case message(IRCMessage)
}
