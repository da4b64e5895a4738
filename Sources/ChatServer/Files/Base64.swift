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
}
