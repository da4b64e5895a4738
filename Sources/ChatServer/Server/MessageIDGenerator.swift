/// Unique `msgid` tag values: a per-start prefix and a counter, so ids never
/// repeat across restarts and cost no randomness per message.
///
/// Thread-safety: loop thread only.
struct MessageIDGenerator {
    private let prefix: String
    private var counter: UInt64 = 0

    init(seed: UInt64) {
        prefix = String(seed, radix: 36)
    }

    mutating func next() -> String {
        counter += 1
        return prefix + "-" + String(counter, radix: 36)
    }
}
