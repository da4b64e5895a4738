/// Builds frames: unmasked from the server, masked from a client (tests and
/// the benchmark's WebSocket clients).
///
/// Thread-safety: stateless; any thread.
public enum WebSocketFrameWriter {
    /// Bytes of the header for a payload of `count` bytes (without a mask key).
    public static func headerSize(payload count: Int) -> Int {
        count < 126 ? 2 : (count <= 0xFFFF ? 4 : 10)
    }

    /// Writes an unmasked header at the start of `out` (room for
    /// `headerSize(payload:)` bytes); returns its size.
    @discardableResult
    public static func writeHeader(into out: UnsafeMutableRawBufferPointer, opcode: WebSocketOpcode, fin: Bool = true, payload count: Int) -> Int {
        out[0] = (fin ? 0x80 : 0) | opcode.rawValue
        if count < 126 {
            out[1] = UInt8(count)
            return 2
        }
        if count <= 0xFFFF {
            out[1] = 126
            out[2] = UInt8(count >> 8)
            out[3] = UInt8(count & 0xFF)
            return 4
        }
        out[1] = 127
        for i in 0..<8 { out[2 + i] = UInt8((UInt64(count) >> (56 - 8 * UInt64(i))) & 0xFF) }
        return 10
    }

    /// A whole frame; with `mask` (4 bytes) the payload is masked, as a client must.
    public static func frame(_ opcode: WebSocketOpcode, _ payload: [UInt8], fin: Bool = true, mask: [UInt8]? = nil) -> [UInt8] {
        let header = headerSize(payload: payload.count)
        var out = [UInt8](repeating: 0, count: header + (mask == nil ? 0 : 4) + payload.count)
        out.withUnsafeMutableBytes { _ = writeHeader(into: $0, opcode: opcode, fin: fin, payload: payload.count) }
        var offset = header
        if let mask {
            precondition(mask.count == 4, "a mask key has 4 bytes")
            out[1] |= 0x80
            out[offset..<(offset + 4)] = mask[0..<4]
            offset += 4
            for i in 0..<payload.count { out[offset + i] = payload[i] ^ mask[i & 3] }
        } else {
            out[offset...] = payload[...]
        }
        return out
    }

    /// A close frame with `code` and a reason cut to fit 125 bytes (at a character boundary).
    public static func close(_ code: WebSocketCloseCode, reason: String = "", mask: [UInt8]? = nil) -> [UInt8] {
        var text = Array(reason.utf8)
        if text.count > 123 {
            var cut = 123
            while cut > 0 && text[cut] & 0xC0 == 0x80 { cut -= 1 }  // not inside a UTF-8 sequence
            text = Array(text[..<cut])
        }
        return frame(.close, [UInt8(code.value >> 8), UInt8(code.value & 0xFF)] + text, mask: mask)
    }
}
