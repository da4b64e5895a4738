/// Reading the seq of a score event from what the generator receives by
/// the hundred thousand (a UDP datagram, a `SCORES EVENT` line) without
/// decoding JSON or splitting strings: at 100 events/s to 1,000 followers
/// and 1,000 UDP subscribers, the generator must not be the bottleneck.
///
/// Thread-safety: pure functions; any thread.
public enum ScoreSeq {
    private static let seqKey = Array(#""seq":"#.utf8)
    private static let eventWords = Array(" SCORES EVENT ".utf8)

    /// The `"seq":N` of a datagram's JSON (`{"match":1,"seq":7,…}`), or nil.
    public static func ofDatagram(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        guard let at = find(seqKey, in: bytes, from: 0) else { return nil }
        return number(in: bytes, at: at + seqKey.count)?.value
    }

    /// (match, seq) of `[@tags ][:server ]SCORES EVENT <match> <seq> …`, or nil for any other line.
    public static func ofEventLine(_ bytes: UnsafeRawBufferPointer) -> (match: Int64, seq: Int64)? {
        // The words must come right after the prefix, not in an event's sentence.
        guard let start = BenchLine.commandStart(bytes), start > 0, has(eventWords, in: bytes, at: start - 1),
              let match = number(in: bytes, at: start - 1 + eventWords.count),
              match.end < bytes.count, bytes[match.end] == UInt8(ascii: " "),
              let seq = number(in: bytes, at: match.end + 1) else { return nil }
        return (match.value, seq.value)
    }

    public static func ofEventLine(_ line: String) -> (match: Int64, seq: Int64)? {
        var line = line
        return line.withUTF8 { ofEventLine(UnsafeRawBufferPointer($0)) }
    }

    private static func find(_ needle: [UInt8], in bytes: UnsafeRawBufferPointer, from: Int) -> Int? {
        guard bytes.count >= needle.count, from <= bytes.count - needle.count else { return nil }
        outer: for i in from...(bytes.count - needle.count) {
            for k in 0..<needle.count where bytes[i + k] != needle[k] { continue outer }
            return i
        }
        return nil
    }

    private static func has(_ needle: [UInt8], in bytes: UnsafeRawBufferPointer, at: Int) -> Bool {
        guard at + needle.count <= bytes.count else { return false }
        for k in 0..<needle.count where bytes[at + k] != needle[k] { return false }
        return true
    }

    /// A run of decimal digits at `at` (at most 18), and where it ends.
    private static func number(in bytes: UnsafeRawBufferPointer, at: Int) -> (value: Int64, end: Int)? {
        var i = at, value: Int64 = 0
        while i < bytes.count, i - at < 18, bytes[i] >= 0x30, bytes[i] <= 0x39 {
            value = value * 10 + Int64(bytes[i] - 0x30)
            i += 1
        }
        return i > at ? (value, i) : nil
    }
}
