import ChatServer

/// Collects the lines of open `chathistory` batches until `BATCH -id`.
/// Bounded: at most `maxBatches` open at once and `maxLines` lines each;
/// beyond that lines are dropped and counted, so a server cannot make the
/// client hold unlimited memory.
///
/// Thread-safety: a value type, owned by one `ChatConnection`; loop thread.
public struct BatchCollector {
    public struct Batch {
        public var type: String
        public var target: String
        public var messages: [IRCMessage] = []
    }

    public static let maxBatches = 16
    public static let maxLines = 1_000
    private var open: [String: Batch] = [:]
    public private(set) var dropped = 0

    public init() {}

    /// Handles `BATCH +id type [target]`/`BATCH -id`; returns a finished batch.
    public mutating func handleBatch(_ m: IRCMessage) -> Batch? {
        guard let ref = m.params.first, ref.count > 1 else { return nil }
        let id = String(ref.dropFirst())
        if ref.hasPrefix("+") {
            guard open.count < Self.maxBatches, m.params.count >= 2 else { dropped += 1; return nil }
            open[id] = Batch(type: m.params[1], target: m.params.count > 2 ? m.params[2] : "")
            return nil
        }
        return ref.hasPrefix("-") ? open.removeValue(forKey: id) : nil
    }

    /// Takes `m` if it belongs to an open batch; false if it should be handled as usual.
    public mutating func take(_ m: IRCMessage) -> Bool {
        guard let id = m.tag("batch"), open[id] != nil else { return false }
        if open[id]!.messages.count < Self.maxLines { open[id]!.messages.append(m) } else { dropped += 1 }
        return true
    }

    public mutating func reset() { open.removeAll() }
}
