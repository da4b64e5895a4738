/// What each connected user has set, what each connection subscribes to,
/// and each connection's change budget. Entries live as long as the
/// connection (`forget` on quit); an account's values are also in the
/// database and come back at its next log-in.
///
/// Thread-safety: loop thread only.
final class MetadataStore {
    private var values: [UInt64: [String: String]] = [:]
    private var subscriptions: [UInt64: Set<String>] = [:]
    private var budgets: [UInt64: TokenBucket] = [:]

    func values(of id: UInt64) -> [String: String] { values[id] ?? [:] }
    func value(of id: UInt64, _ key: String) -> String? { values[id]?[key] }
    func count(of id: UInt64) -> Int { values[id]?.count ?? 0 }

    /// Sets (or with nil removes) one key; returns the value it had.
    @discardableResult
    func set(_ id: UInt64, _ key: String, _ value: String?) -> String? {
        var map = values[id] ?? [:]
        let old = map.updateValue(value ?? "", forKey: key)
        if value == nil { map[key] = nil }
        values[id] = map.isEmpty ? nil : map
        return old
    }

    /// Replaces everything (an account's stored values at log-in).
    func replaceAll(_ id: UInt64, with map: [String: String]) { values[id] = map.isEmpty ? nil : map }

    func subscriptions(of id: UInt64) -> Set<String> { subscriptions[id] ?? [] }
    func isSubscribed(_ id: UInt64, to key: String) -> Bool { subscriptions[id]?.contains(key) ?? false }
    func subscribe(_ id: UInt64, _ key: String) { subscriptions[id, default: []].insert(key) }
    func unsubscribe(_ id: UInt64, _ key: String) {
        subscriptions[id]?.remove(key)
        if subscriptions[id]?.isEmpty == true { subscriptions[id] = nil }
    }

    /// Takes one change from `id`'s budget; nil if there was one, else the
    /// whole seconds until there is.
    func takeChange(_ id: UInt64, now: UInt64) -> Int? {
        var bucket = budgets[id] ?? TokenBucket(capacity: MetadataLimits.changeBurst,
                                                perSecond: MetadataLimits.changesPerSecond, now: now)
        defer { budgets[id] = bucket }
        if bucket.take(now: now) { return nil }
        let missing = 1 - bucket.tokens
        return max(1, Int((missing / Double(MetadataLimits.changesPerSecond)).rounded(.up)))
    }

    func forget(_ id: UInt64) {
        // Every QUIT comes here; an empty table is not hashed into.
        if !values.isEmpty { values[id] = nil }
        if !subscriptions.isEmpty { subscriptions[id] = nil }
        if !budgets.isEmpty { budgets[id] = nil }
    }

    var usersWithValues: Int { values.count }
}
