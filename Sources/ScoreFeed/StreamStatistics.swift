/// What a subscriber learns from the sequence numbers of one match's stream:
/// how many datagrams arrived, how many are missing, repeated, or came after
/// a later one.
///
/// - received: distinct seqs that arrived;
/// - duplicated: arrivals of a seq already seen;
/// - outOfOrder: distinct seqs that arrived after a higher one had;
/// - lost: seqs between the first and the last seen that never arrived
///   (a gap before the first seq cannot be seen and is not counted).
///
/// Memory is bounded: at most `maxTracked` distinct seqs are remembered;
/// past that, arrivals are still counted but duplicates can no longer be told apart.
///
/// Thread-safety: a value type; any thread.
public struct StreamStatistics: Equatable, Sendable {
    public static let maxTracked = 1 << 20

    public private(set) var received = 0
    public private(set) var duplicated = 0
    public private(set) var outOfOrder = 0
    public private(set) var first: Int64?
    public private(set) var last: Int64?
    private var seen: Set<Int64> = []

    public init() {}

    public mutating func record(_ seq: Int64) {
        if seen.contains(seq) {
            duplicated += 1
            return
        }
        if seen.count < Self.maxTracked { seen.insert(seq) }
        received += 1
        if let last, seq < last { outOfOrder += 1 }
        first = Swift.min(first ?? seq, seq)
        last = Swift.max(last ?? seq, seq)
    }

    public var lost: Int {
        guard let first, let last else { return 0 }
        return Swift.max(0, Int(last - first + 1) - received)
    }

    /// `received=… lost=… duplicated=… out-of-order=… first=… last=…`
    public var summary: String {
        "received=\(received) lost=\(lost) duplicated=\(duplicated) out-of-order=\(outOfOrder) "
            + "first=\(first.map(String.init) ?? "-") last=\(last.map(String.init) ?? "-")"
    }
}
