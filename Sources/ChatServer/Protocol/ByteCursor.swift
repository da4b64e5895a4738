/// Writes bytes at a pointer and counts them: for reply encoders that know
/// an upper bound of what they write, so the bytes go into one buffer
/// sized once instead of through dozens of `Array.append` calls (each with
/// its own uniqueness and capacity checks).
///
/// The caller guarantees the room (`count` never passes the capacity it
/// sized); nothing here checks it.
///
/// Thread-safety: a value on one thread (the loop's, for replies).
struct ByteCursor {
    private let base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0

    init(_ base: UnsafeMutablePointer<UInt8>) { self.base = base }

    @inline(__always)
    mutating func put(_ byte: UInt8) {
        base[count] = byte
        count += 1
    }

    mutating func put(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { source in
            guard let start = source.baseAddress else { return }
            (base + count).update(from: start, count: source.count)
        }
        count += bytes.count
    }

    mutating func put(_ text: StaticString) {
        (base + count).update(from: text.utf8Start, count: text.utf8CodeUnitCount)
        count += text.utf8CodeUnitCount
    }

    /// `text` with CR, LF and NUL turned into spaces, as
    /// `IRCMessage.appendOneLine` writes it.
    mutating func putOneLine(_ text: String) {
        var text = text  // `withUTF8` may make it contiguous; a copy is a retain
        text.withUTF8 { source in
            for byte in source { put(IRCMessage.oneLine(byte)) }
        }
    }

    /// Writes again `count` bytes this cursor wrote from `offset` on (a part
    /// every line repeats, e.g. `:source`), without encoding them again.
    mutating func putCopy(of offset: Int, count copied: Int) {
        (base + count).update(from: base + offset, count: copied)
        count += copied
    }

    /// `n` in decimal, as `String(n)` spells it (at most 20 bytes).
    mutating func putDecimal(_ n: Int) {
        if n < 0 { put(UInt8(ascii: "-")) }
        putDecimal(n.magnitude)  // the magnitude, so Int.min does not overflow
    }

    mutating func putDecimal(_ n: UInt) {
        if n >= 10 { putDecimal(n / 10) }
        put(UInt8(ascii: "0") + UInt8(n % 10))
    }
}
