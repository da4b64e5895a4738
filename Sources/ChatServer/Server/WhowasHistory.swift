/// Nicks that recently left or changed, for WHOWAS; a bounded ring, newest last.
///
/// Thread-safety: loop thread only.
struct WhowasHistory {
    struct Entry {
        let nick: String
        let folded: String
        let user: String
        let host: String
        let realName: String
        let server: String
        let atMillis: Int64
    }

    let capacity: Int
    private var entries: [Entry] = []

    init(capacity: Int) { self.capacity = capacity }

    mutating func record(_ client: Client, serverName: String, atMillis: Int64) {
        guard capacity > 0, client.isRegistered || client.state == .quitting else { return }
        if entries.count >= capacity { entries.removeFirst(entries.count - capacity + 1) }
        entries.append(Entry(nick: client.nick, folded: client.foldedNick, user: client.user ?? "*", host: client.host,
                             realName: client.realName, server: serverName, atMillis: atMillis))
    }

    /// Newest first.
    func lookup(_ nick: String, max: Int) -> [Entry] {
        let folded = CaseMapping.fold(nick)
        return Array(entries.reversed().lazy.filter { $0.folded == folded }.prefix(max))
    }
}
