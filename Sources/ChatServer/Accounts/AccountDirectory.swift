/// What the loop knows of accounts without asking the database: the
/// registered names (each reserves its nick), the log-in throttle and the
/// server bans.
///
/// A name is reserved from the moment a registration starts, so a second
/// request for it cannot race the first; `release` frees it if the insert
/// fails or the account is deleted.
///
/// Thread-safety: loop thread only.
final class AccountDirectory {
    /// Folded name → the name as registered.
    private var names: [String: String] = [:]
    private var bans: [ServerBan] = []
    private(set) var throttle: LoginThrottle
    private var registrations: RegistrationLimiter

    init(maxFailures: Int, failureWindowSeconds: Int, registrationsPerAddress: Int = 0, registrationsTotal: Int = 0) {
        throttle = LoginThrottle(maxFailures: maxFailures, windowSeconds: failureWindowSeconds)
        registrations = RegistrationLimiter(perAddress: registrationsPerAddress, total: registrationsTotal)
    }

    // MARK: Registration rate

    /// Whether `address` may create an account now; if so, it is counted.
    func admitRegistration(from address: String, now: UInt64) -> Bool {
        guard registrations.allows(address, now: now) else { return false }
        registrations.record(address, now: now)
        return true
    }

    /// New hourly limits from a reload; creations already counted stay counted.
    func reconfigureRegistrations(perAddress: Int, total: Int) {
        registrations.perAddress = perAddress
        registrations.total = total
    }

    /// Startup: what the database holds.
    func load(names registered: [String], bans stored: [ServerBan]) {
        for name in registered { names[CaseMapping.fold(name)] = name }
        bans = stored
    }

    // MARK: Names

    var registeredCount: Int { names.count }

    func isRegistered(_ name: String) -> Bool { names[CaseMapping.fold(name)] != nil }

    /// The account's name as registered (for an `account` tag), or nil.
    func registeredName(_ name: String) -> String? { names[CaseMapping.fold(name)] }

    /// Claims `name` for an account being created; false if it is taken.
    func reserve(_ name: String) -> Bool {
        let folded = CaseMapping.fold(name)
        guard names[folded] == nil else { return false }
        names[folded] = name
        return true
    }

    /// Frees `name` (a failed creation, a deleted account).
    func release(_ name: String) { names[CaseMapping.fold(name)] = nil }

    /// Whether `nick` is an account's name and `account` (the user's log-in) is not that account.
    func isNickReserved(_ nick: String, loggedInAs account: String?) -> Bool {
        let folded = CaseMapping.fold(nick)
        guard names[folded] != nil else { return false }
        return account.map(CaseMapping.fold) != folded
    }

    // MARK: Log-in throttle

    func retryAfter(_ keys: [String], now: UInt64) -> Int { throttle.retryAfter(keys, now: now) }
    func recordFailure(_ keys: [String], now: UInt64) { throttle.recordFailure(keys, now: now) }
    func checkStarted(_ keys: [String]) { throttle.start(keys) }
    func checkFinished(_ keys: [String]) { throttle.finish(keys) }
    func recordSuccess(account key: String) { throttle.recordSuccess(account: key) }
    func sweepThrottle(now: UInt64) { throttle.sweep(now: now) }

    /// New limits from a reload; failures already counted stay counted.
    func reconfigureThrottle(maxFailures: Int, failureWindowSeconds: Int) {
        throttle.reconfigure(maxFailures: maxFailures, windowSeconds: failureWindowSeconds)
    }

    // MARK: Bans

    func activeBan(address: String, atMillis now: Int64) -> ServerBan? {
        bans.first { $0.isActive(atMillis: now) && $0.matches(address: address) }
    }

    func activeBan(account: String, atMillis now: Int64) -> ServerBan? {
        bans.first { $0.isActive(atMillis: now) && $0.matches(account: account) }
    }

    /// Adds `ban`, replacing one of the same kind and pattern.
    func addBan(_ ban: ServerBan) {
        bans.removeAll { $0.kind == ban.kind && $0.pattern == ban.pattern }
        bans.append(ban)
    }

    /// Returns false if there was no such ban.
    func removeBan(kind: ServerBan.Kind, pattern: String) -> Bool {
        let folded = kind == .account ? CaseMapping.fold(pattern) : pattern
        let before = bans.count
        bans.removeAll { $0.kind == kind && $0.pattern == folded }
        return bans.count < before
    }

    /// Bans still in force; expired ones are forgotten here.
    func currentBans(atMillis now: Int64) -> [ServerBan] {
        bans.removeAll { !$0.isActive(atMillis: now) }
        return bans
    }
}
