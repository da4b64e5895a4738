import CoreLoop

/// The UDP stream's tokens: which match each is for, which chat connection
/// asked for it, the address it was last presented from, and when it lapses.
///
/// The rules against amplification and reflection live here:
/// `destinations` lists only addresses that presented a valid token; a
/// token is valid only until it lapses (the lease, renewed by each
/// presentation); and it is taken only from the numeric address of the chat
/// connection that asked for it (any port), so a datagram with a forged
/// source cannot point the stream at someone else's machine.
///
/// Thread-safety: a value type; the feed's copy is loop-thread only.
struct UDPSubscriptions {
    struct Subscription: Equatable {
        var token: String
        var matchID: Int64
        var clientID: UInt64
        /// The chat connection's numeric address: the only one the token is taken from.
        var host: String
        var address: SocketAddress?
        var expiresAtNanos: UInt64
    }

    private(set) var byToken: [String: Subscription] = [:]
    private var byMatch: [Int64: Set<String>] = [:]
    private var byClient: [UInt64: Set<String>] = [:]

    var count: Int { byToken.count }

    func count(for clientID: UInt64) -> Int { byClient[clientID]?.count ?? 0 }

    /// Files a new token; throws `tooMany` past a cap. The token lapses
    /// unless presented within `leaseNanos`.
    mutating func issue(_ token: String, match: Int64, client: UInt64, host: String, now: UInt64, leaseNanos: UInt64,
                        perConnection: Int, maxTotal: Int) throws {
        if count(for: client) >= perConnection { throw ScoreError.tooMany("UDP tokens for this connection (max \(perConnection))") }
        if byToken.count >= maxTotal { throw ScoreError.tooMany("UDP subscribers on this server (max \(maxTotal))") }
        byToken[token] = Subscription(token: token, matchID: match, clientID: client, host: host, address: nil, expiresAtNanos: now &+ leaseNanos)
        byMatch[match, default: []].insert(token)
        byClient[client, default: []].insert(token)
    }

    /// A datagram carried `token` from `address`. A live token from its
    /// chat connection's machine takes the address and a fresh lease (true);
    /// a lapsed one is forgotten; an unknown one, or one from elsewhere,
    /// changes nothing (false).
    mutating func present(_ token: String, from address: SocketAddress, now: UInt64, leaseNanos: UInt64) -> Bool {
        guard var sub = byToken[token], Self.sameMachine(sub.host, address.host) else { return false }
        guard now <= sub.expiresAtNanos else {
            remove(token)
            return false
        }
        sub.address = address
        sub.expiresAtNanos = now &+ leaseNanos
        byToken[token] = sub
        return true
    }

    /// Whether two numeric addresses are one machine: equal, the same IPv4
    /// address written IPv4-mapped (`::ffff:a.b.c.d`), or both loopback
    /// (a client on `::1` may subscribe from `127.0.0.1`).
    static func sameMachine(_ a: String, _ b: String) -> Bool {
        let (x, y) = (unmapped(a), unmapped(b))
        return x == y || (isLoopback(x) && isLoopback(y))
    }

    private static func unmapped(_ host: String) -> Substring {
        let prefix = "::ffff:"
        guard host.count > prefix.count, host.lowercased().hasPrefix(prefix), host.contains(".") else { return host[...] }
        return host.dropFirst(prefix.count)
    }

    private static func isLoopback(_ host: Substring) -> Bool {
        host == "::1" || host.hasPrefix("127.")
    }

    /// Forgets one of `client`'s tokens; false if it is not theirs.
    mutating func revoke(_ token: String, client: UInt64) -> Bool {
        guard byToken[token]?.clientID == client else { return false }
        remove(token)
        return true
    }

    /// The chat connection closed: its tokens go with it.
    mutating func drop(client: UInt64) {
        for token in byClient[client] ?? [] { remove(token) }
    }

    /// The match is gone (retired): its tokens go; returns how many.
    @discardableResult
    mutating func drop(match: Int64) -> Int {
        let tokens = byMatch[match] ?? []
        tokens.forEach { remove($0) }
        return tokens.count
    }

    /// Forgets every token past its lease; returns how many.
    @discardableResult
    mutating func sweep(now: UInt64) -> Int {
        let lapsed = byToken.values.filter { now > $0.expiresAtNanos }.map(\.token)
        lapsed.forEach { remove($0) }
        return lapsed.count
    }

    /// Where an event of `match` goes: addresses that presented a live token.
    func destinations(of match: Int64, now: UInt64) -> [SocketAddress] {
        guard let tokens = byMatch[match] else { return [] }
        return tokens.compactMap { token in
            guard let sub = byToken[token], now <= sub.expiresAtNanos else { return nil }
            return sub.address
        }
    }

    private mutating func remove(_ token: String) {
        guard let sub = byToken.removeValue(forKey: token) else { return }
        byMatch[sub.matchID]?.remove(token)
        if byMatch[sub.matchID]?.isEmpty == true { byMatch[sub.matchID] = nil }
        byClient[sub.clientID]?.remove(token)
        if byClient[sub.clientID]?.isEmpty == true { byClient[sub.clientID] = nil }
    }
}
