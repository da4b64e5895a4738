#if canImport(Glibc)
import Glibc
#endif

/// Byte-level reading of the one line kind the generator sees by the
/// hundred thousand: `[@tags] [:prefix] PRIVMSG <target> :B <sender> <seq>
/// <stamp> …`. It builds no `String`: with one String per delivery the
/// generator, not the server, was the bottleneck of the fan-out run.
///
/// Thread-safety: pure functions; any thread.
public enum BenchLine {
    private static let space = UInt8(ascii: " ")
    private static let colon = UInt8(ascii: ":")
    private static let privmsg = Array("PRIVMSG".utf8)

    /// Where the command word starts, after any message tags and prefix
    /// (each one word); nil if the line has no command.
    static func commandStart(_ line: UnsafeRawBufferPointer) -> Int? {
        var i = 0
        while i < line.count, line[i] == UInt8(ascii: "@") || line[i] == colon {
            guard let end = nextSpace(line, from: i) else { return nil }
            i = end + 1
        }
        return i < line.count ? i : nil
    }

    /// The trailing text of a PRIVMSG line, or nil for any other line.
    public static func privmsgText(_ line: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
        guard var i = commandStart(line) else { return nil }
        let n = line.count
        guard n - i > privmsg.count, line[i + privmsg.count] == space else { return nil }
        for k in 0..<privmsg.count where line[i + k] != privmsg[k] { return nil }
        i += privmsg.count + 1
        // The target, then the trailing parameter.
        guard let end = nextSpace(line, from: i), end + 1 < n, line[end + 1] == colon else { return nil }
        return UnsafeRawBufferPointer(rebasing: line[(end + 2)...])
    }

    /// The code of a numeric reply (`:server 366 …`), or nil for any other line.
    public static func numeric(_ line: UnsafeRawBufferPointer) -> Int? {
        guard let i = commandStart(line) else { return nil }
        let n = line.count
        guard n - i >= 3, n - i == 3 || line[i + 3] == space else { return nil }
        var code = 0
        for k in 0..<3 {
            let d = line[i + k]
            guard d >= 0x30, d <= 0x39 else { return nil }
            code = code * 10 + Int(d - 0x30)
        }
        return code
    }

    /// The payload in a PRIVMSG line, or nil if it is not a benchmark message.
    public static func payload(_ line: UnsafeRawBufferPointer) -> BenchPayload? {
        guard let text = privmsgText(line) else { return nil }
        return BenchPayload(bytes: text)
    }

    /// Only the sender and sequence number of a benchmark message: what a
    /// closed-loop receiver needs per delivery (the sender keeps the send
    /// time), without reading the 19-digit stamp.
    public static func sequence(_ line: UnsafeRawBufferPointer) -> (sender: Int, seq: UInt64)? {
        guard let text = privmsgText(line) else { return nil }
        return BenchPayload.head(text)
    }

    /// `memchr`, not a byte loop: the prefix and target scans were a sixth
    /// of the fan-out generator's core.
    static func nextSpace(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        guard start < bytes.count, let base = bytes.baseAddress,
              let found = memchr(base + start, Int32(space), bytes.count - start) else { return nil }
        return UnsafeRawPointer(found) - base
    }
}

extension BenchPayload {
    /// Parses `B <sender> <seq> <stamp>[ …]` from bytes (see `text(size:)`).
    public init?(bytes: UnsafeRawBufferPointer) {
        var i = 2
        guard let (sender, seq) = BenchPayload.head(bytes, end: &i),
              let stamp = BenchPayload.number(bytes, at: &i) else { return nil }
        self.init(sender: sender, seq: seq, stampNanos: stamp)
    }

    /// `B <sender> <seq> ` from bytes: the two numbers, or nil.
    static func head(_ bytes: UnsafeRawBufferPointer) -> (sender: Int, seq: UInt64)? {
        var i = 2
        return head(bytes, end: &i)
    }

    private static func head(_ bytes: UnsafeRawBufferPointer, end i: inout Int) -> (sender: Int, seq: UInt64)? {
        guard bytes.count >= 7, bytes[0] == UInt8(ascii: "B"), bytes[1] == UInt8(ascii: " "),
              let sender = number(bytes, at: &i), sender <= UInt64(Int.max), let seq = number(bytes, at: &i) else { return nil }
        return (Int(sender), seq)
    }

    /// A decimal number ending at a space or the end; `i` moves past the space.
    private static func number(_ bytes: UnsafeRawBufferPointer, at i: inout Int) -> UInt64? {
        var value: UInt64 = 0
        let start = i
        while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 {
            let (shifted, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = shifted.addingReportingOverflow(UInt64(bytes[i] - 0x30))
            guard !o1, !o2 else { return nil }
            value = sum
            i += 1
        }
        guard i > start, i == bytes.count || bytes[i] == UInt8(ascii: " ") else { return nil }
        i += 1
        return value
    }
}
