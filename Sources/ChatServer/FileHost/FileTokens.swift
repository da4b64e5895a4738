/// Short-lived tokens for the web side: a logged-in chat connection asks
/// with `FILE TOKEN` and gets a random token that stands for that
/// connection, so the web page can upload and download over HTTP without
/// keeping the password. A token works only while the connection that asked
/// for it is open (`revoke(clientID:)` on quit) and for `lifetimeSeconds`.
/// Each connection holds at most `perClient` tokens; a new one pushes out
/// the oldest, so the table is bounded by the number of connections.
///
/// Thread-safety: loop thread only.
public final class FileTokens {
    public static let lifetimeSeconds = 3600
    public static let perClient = 4
    private var grants: [String: FileTokenGrant] = [:]
    private var byClient: [UInt64: [String]] = [:]

    public init() {}

    public var count: Int { grants.count }

    /// A new token for `clientID` logged in as `account`.
    public func issue(clientID: UInt64, account: String, now: UInt64) -> FileTokenGrant {
        var generator = SystemRandomNumberGenerator()
        let token = Self.hex(generator.next()) + Self.hex(generator.next())
        let grant = FileTokenGrant(token: token, clientID: clientID, account: account,
                                   expiresAtNanos: now &+ UInt64(Self.lifetimeSeconds) * 1_000_000_000)
        var list = byClient[clientID, default: []]
        list.append(token)
        while list.count > Self.perClient { grants[list.removeFirst()] = nil }
        byClient[clientID] = list
        grants[token] = grant
        return grant
    }

    /// The live grant for `token`, or nil (unknown, lapsed, or its connection gone).
    public func grant(_ token: String, now: UInt64) -> FileTokenGrant? {
        guard let grant = grants[token] else { return nil }
        guard now < grant.expiresAtNanos else {
            remove(token, clientID: grant.clientID)
            return nil
        }
        return grant
    }

    /// Every token of a connection stops working (it quit, or logged out).
    public func revoke(clientID: UInt64) {
        guard !byClient.isEmpty else { return }  // every QUIT: usually no tokens at all
        for token in byClient.removeValue(forKey: clientID) ?? [] { grants[token] = nil }
    }

    private func remove(_ token: String, clientID: UInt64) {
        grants[token] = nil
        byClient[clientID]?.removeAll { $0 == token }
        if byClient[clientID]?.isEmpty == true { byClient[clientID] = nil }
    }

    static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
