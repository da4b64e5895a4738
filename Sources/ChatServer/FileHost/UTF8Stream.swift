/// Checks that bytes arriving in pieces are UTF-8 without NUL, as
/// `TextContent.isText` does for a whole file, without holding the file:
/// a sequence split across two pieces is carried over (at most 3 bytes).
///
/// Thread-safety: a value type; used by one worker job at a time.
public struct UTF8Stream {
    private var carry: [UInt8] = []
    public private(set) var isValid = true

    public init() {}

    public mutating func update<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        guard isValid else { return }
        var buffer = carry
        buffer.append(contentsOf: bytes)
        carry = []
        var i = 0
        let n = buffer.count
        while i < n {
            let b = buffer[i]
            if b == 0 { isValid = false; return }
            if b < 0x80 { i += 1; continue }
            let length: Int
            switch b {
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: isValid = false; return
            }
            if i + length > n {
                // Possibly complete in the next piece; check what we have so far.
                guard prefixIsValid(buffer[i..<n]) else { isValid = false; return }
                carry = Array(buffer[i..<n])
                return
            }
            guard prefixIsValid(buffer[i..<(i + length)]) else { isValid = false; return }
            i += length
        }
    }

    /// Whether the stream ended on a whole character.
    public mutating func finish() -> Bool {
        if !carry.isEmpty { isValid = false }
        return isValid
    }

    /// The lead byte and the continuation bytes present are a possible
    /// start of a valid sequence (no overlong forms, no surrogates, ≤ U+10FFFF).
    private func prefixIsValid(_ seq: ArraySlice<UInt8>) -> Bool {
        let lead = seq[seq.startIndex]
        for (k, c) in seq.dropFirst().enumerated() {
            guard c & 0xC0 == 0x80 else { return false }
            if k == 0 {
                if lead == 0xE0 && c < 0xA0 { return false }
                if lead == 0xED && c > 0x9F { return false }
                if lead == 0xF0 && c < 0x90 { return false }
                if lead == 0xF4 && c > 0x8F { return false }
            }
        }
        return true
    }
}
