/// Which slice of a channel's history to fetch, as CHATHISTORY asks for it.
///
/// Thread-safety: a value type; any thread.
public struct HistoryQuery: Equatable {
    /// A position in history: a message (by its sequence number) or a time.
    public enum Bound: Equatable {
        case seq(Int64)
        case time(Int64)
    }

    public var channel: String
    /// Exclusive bounds.
    public var after: Bound?
    public var before: Bound?
    public var limit: Int
    /// Take the newest `limit` in range (true) or the oldest (false). Results
    /// are always returned oldest first.
    public var newestFirst: Bool
    /// Whether TOPIC and TAGMSG rows come too (the reader has
    /// draft/event-playback); else PRIVMSG and NOTICE only.
    public var events: Bool

    public init(channel: String, after: Bound? = nil, before: Bound? = nil, limit: Int, newestFirst: Bool, events: Bool = false) {
        self.channel = channel
        self.after = after
        self.before = before
        self.limit = limit
        self.newestFirst = newestFirst
        self.events = events
    }

    /// The same test as the SQL, for messages not yet written.
    func matches(_ m: StoredMessage) -> Bool {
        guard m.channel == channel else { return false }
        if !events && m.command != "PRIVMSG" && m.command != "NOTICE" { return false }
        switch after {
        case .seq(let s)?: if m.seq <= s { return false }
        case .time(let t)?: if m.timeMillis <= t { return false }
        case nil: break
        }
        switch before {
        case .seq(let s)?: if m.seq >= s { return false }
        case .time(let t)?: if m.timeMillis >= t { return false }
        case nil: break
        }
        return true
    }

    /// Merges stored rows with unwritten ones: no duplicates, in order, cut to `limit`.
    func merge(_ stored: [StoredMessage], _ unwritten: [StoredMessage]) -> [StoredMessage] {
        var bySeq: [Int64: StoredMessage] = [:]
        for m in stored { bySeq[m.seq] = m }
        for m in unwritten where matches(m) { bySeq[m.seq] = m }
        let sorted = bySeq.values.sorted { $0.seq < $1.seq }
        return newestFirst ? Array(sorted.suffix(limit)) : Array(sorted.prefix(limit))
    }
}
