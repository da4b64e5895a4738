/// MONITOR lists: each client's watched nicks, and the reverse index from a
/// folded nick to the clients watching it, so a sign-on, sign-off or rename
/// reaches its watchers without scanning every list.
///
/// It owns the invariant that both directions agree: a client is in
/// `watchers[n]` exactly when `n` is on its list, and an emptied entry is
/// removed. Only the methods below change either table.
///
/// Thread-safety: loop thread only.
final class MonitorRegistry {
    /// Entries per client when nobody says otherwise (`MONITOR=` in ISUPPORT).
    static let defaultLimit = 100

    /// Folded nick → the clients watching it, by id.
    private var watchers: [String: [UInt64: Client]] = [:]
    /// Client id → its list: folded nick → the nick as the client wrote it.
    private var lists: [UInt64: [String: String]] = [:]

    /// How many nicks `client` watches.
    func count(for client: Client) -> Int { lists[client.id]?.count ?? 0 }

    /// Whether `client` watches `nick`.
    func contains(_ nick: String, for client: Client) -> Bool {
        lists[client.id]?[CaseMapping.fold(nick)] != nil
    }

    /// Puts `nick` on `client`'s list; false if it was already there.
    @discardableResult
    func add(_ nick: String, for client: Client) -> Bool {
        let folded = CaseMapping.fold(nick)
        guard lists[client.id, default: [:]].updateValue(nick, forKey: folded) == nil else { return false }
        watchers[folded, default: [:]][client.id] = client
        return true
    }

    /// Takes `nick` off `client`'s list, if it was there.
    func remove(_ nick: String, for client: Client) {
        let folded = CaseMapping.fold(nick)
        guard lists[client.id]?.removeValue(forKey: folded) != nil else { return }
        if lists[client.id]?.isEmpty == true { lists[client.id] = nil }
        unwatch(folded, by: client.id)
    }

    /// Empties `client`'s list (MONITOR C, and when it quits).
    func clear(_ client: Client) {
        guard !lists.isEmpty, let list = lists.removeValue(forKey: client.id) else { return }
        for folded in list.keys { unwatch(folded, by: client.id) }
    }

    /// The nicks on `client`'s list as it wrote them, in folded order.
    func targets(of client: Client) -> [String] {
        guard let list = lists[client.id] else { return [] }
        return list.sorted { $0.key < $1.key }.map(\.value)
    }

    /// The clients watching the nick whose folded form is `folded`.
    func watchers(ofFolded folded: String) -> Dictionary<UInt64, Client>.Values? {
        watchers[folded]?.values
    }

    /// Nicks watched by anyone (for tests and status).
    var watchedNickCount: Int { watchers.count }

    private func unwatch(_ folded: String, by id: UInt64) {
        watchers[folded]?[id] = nil
        if watchers[folded]?.isEmpty == true { watchers[folded] = nil }
    }
}
