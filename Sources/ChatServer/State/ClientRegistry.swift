/// Every connected client, by id and by nick, with the per-address
/// connection counts and the WHOWAS ring.
///
/// It owns the invariants the rest of the server relies on: a folded nick
/// names at most one client, a client's `foldedNick` is the key it is
/// filed under, and each address's count is the number of its clients.
/// Nobody else writes these tables; handlers ask with the methods below.
///
/// Thread-safety: loop thread only.
public final class ClientRegistry {
    public private(set) var byID: [UInt64: Client] = [:]
    /// Folded nick → the client holding it (registered or still registering).
    private var byNick: [String: Client] = [:]
    private var perHost: [String: Int] = [:]
    private var nextID: UInt64 = 1
    private var whowas: WhowasHistory
    /// When each client's timeouts are next looked at (`IRCServer.tick`).
    private var timeouts = TimeoutWheel()
    /// Reused by `dueForTimeoutCheck`, so a sweep allocates nothing.
    private var dueScratch: [UInt64] = []

    init(whowasCapacity: Int) {
        whowas = WhowasHistory(capacity: whowasCapacity)
    }

    public var count: Int { byID.count }
    public var isEmpty: Bool { byID.isEmpty }
    var all: Dictionary<UInt64, Client>.Values { byID.values }
    subscript(id: UInt64) -> Client? { byID[id] }

    func connections(from host: String) -> Int { perHost[host, default: 0] }

    /// Files a new connection under a fresh id and counts it against its address.
    func admit(_ transport: ClientTransport, host: String, now: UInt64, wallMillis: Int64,
               limits: ServerConfig.Limits) -> Client {
        let client = Client(id: nextID, transport: transport, host: host, now: now, wallMillis: wallMillis, limits: limits)
        nextID += 1
        byID[client.id] = client
        perHost[host, default: 0] += 1
        // The first look: when registration would time out, or sooner if the
        // ping interval is shorter (a registered client is pinged from then).
        let first = min(SaturatingNanos.seconds(limits.registrationTimeoutSeconds),
                        SaturatingNanos.seconds(limits.pingIntervalSeconds))
        timeouts.schedule(client.id, afterNanos: SaturatingNanos.sum(now, first))
        return client
    }

    // MARK: Timeouts

    /// Looks at `client`'s timeouts again once `deadlineNanos` has passed.
    func scheduleTimeoutCheck(_ client: Client, afterNanos deadlineNanos: UInt64) {
        timeouts.schedule(client.id, afterNanos: deadlineNanos)
    }

    /// The clients due for a timeout check by `now` (those that left are
    /// skipped); each is forgotten until scheduled again.
    func dueForTimeoutCheck(now: UInt64) -> [Client] {
        dueScratch.removeAll(keepingCapacity: true)
        timeouts.takeDue(nowNanos: now, into: &dueScratch)
        return dueScratch.compactMap { byID[$0] }
    }

    /// Files every client for a check at the next sweep (after a reload
    /// changed the timeouts, so no one waits on a deadline from the old ones).
    func recheckAllTimeouts(now: UInt64) {
        timeouts.removeAll()
        for id in byID.keys { timeouts.schedule(id, afterNanos: now) }
    }

    /// Entries in the timeout wheel, including clients that left since (status, tests).
    var timeoutEntries: Int { timeouts.count }

    /// Forgets `client`: its id, its nick (if it still holds it) and its
    /// share of its address's count. Idempotent.
    func remove(_ client: Client) {
        guard byID.removeValue(forKey: client.id) != nil else { return }
        // One hash of each key (by index), not a lookup and then a store:
        // every QUIT comes here.
        if let slot = byNick.index(forKey: client.foldedNick), byNick[slot].value === client { byNick.remove(at: slot) }
        if let slot = perHost.index(forKey: client.host) {
            if perHost.values[slot] > 1 { perHost.values[slot] -= 1 } else { perHost.remove(at: slot) }
        }
    }

    // MARK: Nicks

    /// Whoever holds `nick`, registered or not.
    func holder(of nick: String) -> Client? { byNick[CaseMapping.fold(nick)] }

    /// The registered client using `nick`; nil for nicks held only by a
    /// connection still registering.
    func registered(named nick: String) -> Client? {
        guard let client = byNick[CaseMapping.fold(nick)], client.isRegistered else { return nil }
        return client
    }

    /// Whether `nick` is held by someone other than `client`.
    func isNickTaken(_ nick: String, by client: Client) -> Bool {
        guard let holder = holder(of: nick) else { return false }
        return holder !== client
    }

    /// Gives `client` the nick `wanted` (free: the caller checked), giving up its old one.
    func rename(_ client: Client, to wanted: String) {
        if byNick[client.foldedNick] === client { byNick[client.foldedNick] = nil }
        client.setNick(wanted)
        byNick[client.foldedNick] = client
    }

    /// Takes the nick away (a registered account's name, claimed without a log-in).
    func releaseNick(of client: Client) {
        if byNick[client.foldedNick] === client { byNick[client.foldedNick] = nil }
        client.setNick("*")
    }

    // MARK: WHOWAS

    /// Remembers who `client` was, before a nick change or on leaving.
    func rememberForWhowas(_ client: Client, serverName: String, atMillis: Int64) {
        whowas.record(client, serverName: serverName, atMillis: atMillis)
    }

    /// Up to `max` past users of `nick`, newest first.
    func whowas(_ nick: String, max: Int) -> [WhowasHistory.Entry] {
        whowas.lookup(nick, max: max)
    }
}
