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
        return client
    }

    /// Forgets `client`: its id, its nick (if it still holds it) and its
    /// share of its address's count. Idempotent.
    func remove(_ client: Client) {
        guard byID.removeValue(forKey: client.id) != nil else { return }
        if byNick[client.foldedNick] === client { byNick[client.foldedNick] = nil }
        if let count = perHost[client.host] {
            perHost[client.host] = count > 1 ? count - 1 : nil
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
