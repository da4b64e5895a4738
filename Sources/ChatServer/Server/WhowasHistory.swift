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
    /// Up to `capacity` entries; once full, `oldest` is where the next one
    /// goes. A ring rather than append-and-removeFirst: that moved all
    /// `capacity` entries (~20 KB at 200) on every QUIT, 7 % of a
    /// connect-join-quit cycle's instructions.
    private var entries: [Entry] = []
    private var oldest = 0

    init(capacity: Int) { self.capacity = capacity }

    mutating func record(_ client: Client, serverName: String, atMillis: Int64) {
        guard capacity > 0, client.isRegistered || client.state == .quitting else { return }
        let entry = Entry(nick: client.nick, folded: client.foldedNick, user: client.user ?? "*", host: client.host,
                          realName: client.realName, server: serverName, atMillis: atMillis)
        if entries.count < capacity {
            entries.append(entry)
        } else {
            entries[oldest] = entry
            oldest = (oldest + 1) % capacity
        }
    }

    /// Newest first.
    func lookup(_ nick: String, max: Int) -> [Entry] {
        let folded = CaseMapping.fold(nick)
        guard max > 0 else { return [] }
        var found: [Entry] = []
        var index = oldest
        for _ in 0..<entries.count {
            index = index == 0 ? entries.count - 1 : index - 1  // walks back from the newest
            if entries[index].folded == folded {
                found.append(entries[index])
                if found.count >= max { break }
            }
        }
        return found
    }
}
