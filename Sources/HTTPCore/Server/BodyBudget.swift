/// The memory request bodies may hold at once (`maxBodyMemoryBytes`), in
/// total and per client address.
///
/// A body reserves its `Content-Length` before it is read; a chunked one,
/// whose length nobody knows, reserves a first slice and more as it grows
/// (`grow`), so a small chunked upload does not hold `files.maxBytes` of
/// the budget. One body alone may always use the whole budget (a budget
/// below the largest upload must not make that upload impossible); beyond
/// its first body, one address holds at most a quarter of it, so a few
/// connections from one machine cannot keep everyone else's uploads at 503.
///
/// Thread-safety: a value type; the server's copy is loop-thread only.
struct BodyBudget {
    private(set) var reserved = 0
    private var byAddress: [String: Int] = [:]

    /// What a chunked body reserves first (then doubles as it grows).
    static let chunkedSlice = 64 * 1024

    /// Reserves `bytes` more for a body from `address` that already holds
    /// `holding`; false (nothing reserved) past `limit` (0: none) or the
    /// address's share of it. The limit is passed in: a reload may change it.
    mutating func reserve(_ bytes: Int, limit: Int, address: String?, holding: Int) -> Bool {
        if limit > 0 {
            let others = reserved - holding
            if others > 0 && reserved + bytes > limit { return false }
            if let address {
                let mine = byAddress[address, default: 0]
                if mine - holding > 0 && mine + bytes > limit / 4 { return false }
            }
        }
        reserved += bytes
        if let address { byAddress[address, default: 0] += bytes }
        return true
    }

    mutating func release(_ bytes: Int, address: String?) {
        reserved -= bytes
        guard let address else { return }
        let left = byAddress[address, default: 0] - bytes
        byAddress[address] = left > 0 ? left : nil
    }
}
