/// A server-wide ban, by account name or by address glob (`127.0.0.*`).
///
/// Thread-safety: a value type; any thread.
public struct ServerBan: Equatable {
    public enum Kind: String { case account, address }

    public var kind: Kind
    /// Folded account name, or an address glob.
    public var pattern: String
    public var reason: String
    public var setAtMillis: Int64
    /// nil: permanent.
    public var expiresAtMillis: Int64?

    public init(kind: Kind, pattern: String, reason: String, setAtMillis: Int64, expiresAtMillis: Int64?) {
        self.kind = kind
        self.pattern = kind == .account ? CaseMapping.fold(pattern) : pattern
        self.reason = reason
        self.setAtMillis = setAtMillis
        self.expiresAtMillis = expiresAtMillis
    }

    func isActive(atMillis now: Int64) -> Bool { expiresAtMillis.map { $0 > now } ?? true }

    func matches(address: String) -> Bool { kind == .address && CaseMapping.globMatch(pattern, address) }
    func matches(account: String) -> Bool { kind == .account && CaseMapping.globMatch(pattern, CaseMapping.fold(account)) }
}
