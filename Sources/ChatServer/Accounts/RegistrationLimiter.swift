/// How many accounts may be created per address and in total per hour: a
/// sliding window of creation times, so one address cannot mint accounts
/// (each reserving a nick forever) without bound.
///
/// Thread-safety: loop thread only.
struct RegistrationLimiter {
    static let windowNanos: UInt64 = 3_600 * 1_000_000_000

    /// 0: unlimited.
    var perAddress: Int
    var total: Int
    private var byAddress: [String: [UInt64]] = [:]
    private var all: [UInt64] = []

    init(perAddress: Int, total: Int) {
        self.perAddress = perAddress
        self.total = total
    }

    /// Whether `address` may create an account now.
    mutating func allows(_ address: String, now: UInt64) -> Bool {
        prune(now: now)
        if total > 0 && all.count >= total { return false }
        if perAddress > 0 && byAddress[address, default: []].count >= perAddress { return false }
        return true
    }

    /// An account was created (or is being created) from `address`.
    mutating func record(_ address: String, now: UInt64) {
        all.append(now)
        byAddress[address, default: []].append(now)
    }

    /// Addresses tracked (bounded by the window: old entries are dropped).
    var trackedAddresses: Int { byAddress.count }

    private mutating func prune(now: UInt64) {
        let live = { (t: UInt64) in now &- t < RegistrationLimiter.windowNanos }
        if let first = all.first, !live(first) { all.removeAll { !live($0) } }
        if byAddress.values.contains(where: { $0.first.map { !live($0) } ?? true }) {
            byAddress = byAddress.compactMapValues { times in
                let kept = times.filter(live)
                return kept.isEmpty ? nil : kept
            }
        }
    }
}
