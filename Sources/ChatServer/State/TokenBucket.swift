/// A token bucket for flood control: `capacity` lines at once, refilled at
/// `perSecond`. A rate of 0 means unlimited.
///
/// Thread-safety: a value owned by one client; loop thread only.
struct TokenBucket {
    let capacity: Double
    let perSecond: Double
    private(set) var tokens: Double
    private var lastRefill: UInt64

    init(capacity: Int, perSecond: Int, now: UInt64) {
        self.capacity = Double(max(capacity, 1))
        self.perSecond = Double(perSecond)
        tokens = self.capacity
        lastRefill = now
    }

    var isUnlimited: Bool { perSecond <= 0 }

    /// Takes one token if there is one.
    mutating func take(now: UInt64) -> Bool {
        guard !isUnlimited else { return true }
        refill(now: now)
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }

    /// Gives back the token a line took when the line turned out not to
    /// count (a chunk of a file upload in progress).
    mutating func refund() {
        guard !isUnlimited else { return }
        tokens = min(capacity, tokens + 1)
    }

    mutating func refill(now: UInt64) {
        guard now > lastRefill else { return }
        tokens = min(capacity, tokens + Double(now - lastRefill) / 1e9 * perSecond)
        lastRefill = now
    }
}
