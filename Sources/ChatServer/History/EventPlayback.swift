/// draft/event-playback: which events history keeps besides PRIVMSG and
/// NOTICE, and the client-only tags kept with each message.
///
/// Kept: TOPIC changes by users, and a TAGMSG that asks to be kept or is a
/// reaction (`+draft/persist`, `+draft/react`, `+react` and their `unreact`).
/// Not kept: typing notices and other passing TAGMSGs (a chatty client
/// sends one per keystroke pause), and JOIN, PART, QUIT, KICK, NICK and MODE
/// (two or three more rows per connection cycle, a cost churn would pay on
/// the writer; docs/BENCHMARKS.md). Readers without the capability see
/// messages only, and their LIMIT counts messages (HistoryQuery.events).
///
/// Thread-safety: stateless; any thread.
enum EventPlayback {
    /// Client-only tags that make a TAGMSG worth keeping.
    static let keptTagmsgKeys: Set<String> = ["+draft/persist", "+draft/react", "+react", "+draft/unreact", "+unreact"]

    /// Whether a TAGMSG with these tags belongs in history.
    static func keepsTagmsg(_ tags: [IRCTag]) -> Bool {
        tags.contains { keptTagmsgKeys.contains($0.key) }
    }

    /// The client-only tags among `tags` as they go on the wire, or nil if
    /// there are none (the common case costs one pass and no allocation).
    static func storedTags(_ tags: [IRCTag]) -> String? {
        guard tags.contains(where: \.isClientOnly) else { return nil }
        var out: [UInt8] = []
        IRCTag.encodeList(tags.filter(\.isClientOnly), into: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
