/// Standard base64 with padding, encoded straight into a byte buffer (the
/// download pump builds thousands of lines per file; Foundation would
/// allocate a Data and a String for each).
///
/// Thread-safety: stateless; any thread.
public enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// The encoded size of `count` bytes (padding included).
    @inline(__always)
    public static func encodedCount(_ count: Int) -> Int { (count + 2) / 3 * 4 }

    /// Encodes `source` into `destination`, which must have room for
    /// `encodedCount(source.count)` bytes; returns that count. The download
    /// pump's path: raw pointers and one table lookup per output byte, no
    /// array growth (in a debug build each `append` was a call with checks).
    public static func encode(_ source: UnsafeRawBufferPointer, into destination: UnsafeMutableRawPointer) -> Int {
        let count = source.count
        guard count > 0, let base = source.baseAddress else { return 0 }
        let input = base.assumingMemoryBound(to: UInt8.self)
        let output = destination.assumingMemoryBound(to: UInt8.self)
        return alphabet.withUnsafeBufferPointer { table -> Int in
            let a = table.baseAddress!
            var i = 0, o = 0
            while i + 3 <= count {
                let n = Int(input[i]) << 16 | Int(input[i + 1]) << 8 | Int(input[i + 2])
                output[o] = a[n >> 18]
                output[o + 1] = a[n >> 12 & 63]
                output[o + 2] = a[n >> 6 & 63]
                output[o + 3] = a[n & 63]
                i += 3
                o += 4
            }
            let rest = count - i
            if rest > 0 {
                let n = Int(input[i]) << 16 | (rest == 2 ? Int(input[i + 1]) << 8 : 0)
                output[o] = a[n >> 18]
                output[o + 1] = a[n >> 12 & 63]
                output[o + 2] = rest == 2 ? a[n >> 6 & 63] : UInt8(ascii: "=")
                output[o + 3] = UInt8(ascii: "=")
                o += 4
            }
            return o
        }
    }

    public static func encode<C: Collection>(_ bytes: C, into out: inout [UInt8]) where C.Element == UInt8, C.Index == Int {
        let start = out.count
        let size = encodedCount(bytes.count)
        out.append(contentsOf: repeatElement(0, count: size))
        let written = out.withUnsafeMutableBytes { buffer in
            bytes.withContiguousStorageIfAvailable { source in
                encode(UnsafeRawBufferPointer(source), into: buffer.baseAddress! + start)
            } ?? Array(bytes).withUnsafeBytes { encode($0, into: buffer.baseAddress! + start) }
        }
        assert(written == size)
    }

    public static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        encode(bytes, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes strict, canonical base64 (RFC 4648 §4): the standard
    /// alphabet, length a multiple of 4, `=` only as the last one or two
    /// characters, and the bits padding leaves over zero (so each byte
    /// string has exactly one encoding). Nil for anything else: `====`,
    /// `QU=D`, `QR==`, whitespace. (Foundation's decoder on Linux takes some
    /// of those.)
    public static func decodeStrict<S: Collection>(_ text: S) -> [UInt8]? where S.Element == UInt8 {
        let count = text.count
        guard count % 4 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(count / 4 * 3)
        var quad = [Int](repeating: 0, count: 4)
        var index = 0
        var it = text.makeIterator()
        while let c0 = it.next(), let c1 = it.next(), let c2 = it.next(), let c3 = it.next() {
            index += 4
            let last = index == count
            let chars = [c0, c1, c2, c3]
            var pad = 0
            for (k, c) in chars.enumerated() {
                if c == UInt8(ascii: "=") {
                    // Padding only at the very end, in the last two places.
                    guard last, k >= 2 else { return nil }
                    pad += 1
                    quad[k] = 0
                } else {
                    guard pad == 0, let v = value(c) else { return nil }
                    quad[k] = v
                }
            }
            let n = quad[0] << 18 | quad[1] << 12 | quad[2] << 6 | quad[3]
            switch pad {
            case 0: out += [UInt8(n >> 16), UInt8(n >> 8 & 0xFF), UInt8(n & 0xFF)]
            case 1:
                guard n & 0xFF == 0 else { return nil }  // leftover bits must be zero
                out += [UInt8(n >> 16), UInt8(n >> 8 & 0xFF)]
            default:
                guard n & 0xFFFF == 0 else { return nil }
                out.append(UInt8(n >> 16))
            }
        }
        return out
    }

    private static func value(_ c: UInt8) -> Int? {
        switch c {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): return Int(c) - 65
        case UInt8(ascii: "a")...UInt8(ascii: "z"): return Int(c) - 71
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(c) + 4
        case UInt8(ascii: "+"): return 62
        case UInt8(ascii: "/"): return 63
        default: return nil
        }
    }
}
