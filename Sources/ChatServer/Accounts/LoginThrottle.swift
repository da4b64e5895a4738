/// Counts failed logins per address and per account in a sliding window, and
/// refuses further attempts once either passes the limit, until the oldest
/// failure ages out.
///
/// Thread-safety: loop thread only.
struct LoginThrottle {
    private(set) var maxFailures: Int
    private(set) var windowNanos: UInt64
    private var failures: [String: [UInt64]] = [:]
    /// Checks under way per key: they count as failures-to-be, so a burst of
    /// simultaneous attempts cannot all pass before the first one fails.
    private var inFlight: [String: Int] = [:]

    init(maxFailures: Int, windowSeconds: Int) {
        self.maxFailures = maxFailures
        self.windowNanos = SaturatingNanos.seconds(windowSeconds)
    }

    /// New limits (a reload) keep the failures already counted: a reload
    /// must not hand an attacker a fresh set of guesses.
    mutating func reconfigure(maxFailures: Int, windowSeconds: Int) {
        self.maxFailures = maxFailures
        self.windowNanos = SaturatingNanos.seconds(windowSeconds)
    }

    /// Seconds until `keys` may try again; 0 if they may now.
    mutating func retryAfter(_ keys: [String], now: UInt64) -> Int {
        guard maxFailures > 0 else { return 0 }
        var wait: UInt64 = 0
        for key in keys {
            prune(key, now: now)
            let list = failures[key] ?? []
            let pending = inFlight[key] ?? 0
            guard list.count + pending >= maxFailures else { continue }
            if list.count >= maxFailures {
                // The attempt is allowed again once enough old failures expire.
                let oldestThatCounts = list[list.count - maxFailures]
                wait = max(wait, SaturatingNanos.sum(oldestThatCounts, windowNanos) &- now)
            } else {
                wait = max(wait, 1_000_000_000)  // the checks in flight decide; ask again shortly
            }
        }
        return Int(SaturatingNanos.sum(wait, 999_999_999) / 1_000_000_000)
    }

    /// A check for `keys` started; `finish` must follow, whatever its outcome.
    mutating func start(_ keys: [String]) {
        for key in keys { inFlight[key, default: 0] += 1 }
    }

    mutating func finish(_ keys: [String]) {
        for key in keys {
            guard let n = inFlight[key] else { continue }
            inFlight[key] = n > 1 ? n - 1 : nil
        }
    }

    mutating func recordFailure(_ keys: [String], now: UInt64) {
        guard maxFailures > 0 else { return }
        for key in keys {
            prune(key, now: now)
            failures[key, default: []].append(now)
        }
    }

    mutating func recordSuccess(account key: String) {
        failures[key] = nil
    }

    /// Forgets every key whose failures have all aged out. Without it, a key
    /// seen once (a random account name, a passing address) stayed forever.
    mutating func sweep(now: UInt64) {
        failures = failures.compactMapValues { list in
            let live = list.filter { now &- $0 < windowNanos }
            return live.isEmpty ? nil : live
        }
    }

    var trackedKeys: Int { failures.count }

    private mutating func prune(_ key: String, now: UInt64) {
        guard var list = failures[key] else { return }
        list.removeAll { now &- $0 >= windowNanos }
        failures[key] = list.isEmpty ? nil : list
    }
}
