/// Checks, for one receiver, that each sender's messages arrive complete and
/// in order: every sequence number once, none skipped.
///
/// Thread-safety: a value owned by one receiver; one thread.
public struct SequenceChecker {
    public private(set) var received: UInt64 = 0
    public private(set) var gaps: UInt64 = 0
    public private(set) var duplicates: UInt64 = 0
    /// Next expected number, by sender id (small, dense ids: an array
    /// rather than a dictionary, as this runs once per delivery).
    private var next: [UInt64] = []

    public init() {}

    public enum Outcome: Equatable { case inOrder, gap(missing: UInt64), duplicate }

    /// Sequence numbers start at 0 for every sender.
    @discardableResult
    public mutating func record(sender: Int, seq: UInt64) -> Outcome {
        received += 1
        if sender >= next.count { next += Array(repeating: 0, count: sender + 1 - next.count) }
        let expected = next[sender]
        if seq == expected {
            next[sender] = seq + 1
            return .inOrder
        }
        if seq < expected {
            duplicates += 1
            return .duplicate
        }
        gaps += seq - expected
        next[sender] = seq + 1
        return .gap(missing: seq - expected)
    }

    /// Messages a sender sent that never arrived (call at the end with each sender's count).
    public func missing(sender: Int, sent: UInt64) -> UInt64 {
        let got = sender < next.count ? next[sender] : 0
        return sent > got ? sent - got : 0
    }

    public var isClean: Bool { gaps == 0 && duplicates == 0 }
}
