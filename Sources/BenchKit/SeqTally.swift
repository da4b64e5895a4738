/// One receiver's view of one stream of seqs that should be complete and in
/// order (a match's events, over TCP to a follower or over UDP to a
/// subscriber): distinct seqs received, repeats, arrivals after a higher seq,
/// and, given the last seq sent, how many never came. Seqs before
/// `firstExpected` (sent before the receiver joined) are counted apart.
///
/// Thread-safety: a value owned by one receiver; one thread.
public struct SeqTally {
    public let firstExpected: Int64
    public private(set) var received = 0
    public private(set) var duplicates = 0
    /// Distinct seqs that arrived after a higher one had.
    public private(set) var reordered = 0
    /// Arrivals of seqs below `firstExpected`.
    public private(set) var early = 0
    private var highest: Int64?
    /// By seq - firstExpected.
    private var seen: [Bool] = []

    public init(firstExpected: Int64) {
        self.firstExpected = firstExpected
    }

    public mutating func record(_ seq: Int64) {
        guard seq >= firstExpected else { early += 1; return }
        let index = Int(seq - firstExpected)
        if index >= seen.count { seen += Array(repeating: false, count: index + 1 - seen.count) }
        if seen[index] { duplicates += 1; return }
        seen[index] = true
        received += 1
        if let highest, seq < highest { reordered += 1 }
        highest = max(highest ?? seq, seq)
    }

    /// Seqs from `firstExpected` through `last` that never arrived.
    public func missing(through last: Int64) -> Int {
        guard last >= firstExpected else { return 0 }
        let upTo = min(seen.count, Int(last - firstExpected) + 1)
        return Int(last - firstExpected) + 1 - seen[0..<upTo].filter { $0 }.count
    }

    /// Received complete and in order through `last`.
    public func isClean(through last: Int64) -> Bool {
        duplicates == 0 && reordered == 0 && missing(through: last) == 0
    }
}
