/// Reads frames a WebSocket server sends (RFC 6455 §5.2), for the
/// benchmark's WebSocket clients. Server frames are unmasked: a masked one
/// is an error, as are set RSV bits (no extension is negotiated), unknown
/// opcodes, fragmented or long (over 125 bytes) control frames, a 64-bit
/// length with its top bit set, and a payload over `maxPayload` (refused
/// from its header, before any of it is buffered).
///
/// Stateless over its input: the caller keeps what was not consumed and
/// offers it again with more.
///
/// Thread-safety: a value type; any thread.
public struct ServerFrameReader {
    public enum Outcome: Equatable {
        case incomplete
        case frame(ServerFrame)
        case failure(ServerFrameError)
    }

    public var maxPayload: Int

    public init(maxPayload: Int) {
        self.maxPayload = maxPayload
    }

    public func next(in b: UnsafeRawBufferPointer) -> Outcome {
        guard b.count >= 2 else { return .incomplete }
        let fin = b[0] & 0x80 != 0
        let opcode = b[0] & 0x0F
        if b[0] & 0x70 != 0 { return .failure(ServerFrameError("reserved bits set")) }
        guard [0, 1, 2, 8, 9, 10].contains(opcode) else { return .failure(ServerFrameError("unknown opcode \(opcode)")) }
        if b[1] & 0x80 != 0 { return .failure(ServerFrameError("masked (a server's frames must not be)")) }
        var length = UInt64(b[1] & 0x7F)
        var offset = 2
        if length == 126 {
            guard b.count >= 4 else { return .incomplete }
            length = UInt64(b[2]) << 8 | UInt64(b[3])
            offset = 4
        } else if length == 127 {
            guard b.count >= 10 else { return .incomplete }
            length = 0
            for i in 2..<10 { length = length << 8 | UInt64(b[i]) }
            offset = 10
            if length >> 63 != 0 { return .failure(ServerFrameError("64-bit length with its top bit set")) }
        }
        if opcode & 0x8 != 0 && (!fin || length > 125) {
            return .failure(ServerFrameError("control frame fragmented or over 125 bytes"))
        }
        if length > UInt64(maxPayload) {
            return .failure(ServerFrameError("frame of \(length) bytes is over the limit of \(maxPayload)"))
        }
        let end = offset + Int(length)
        guard b.count >= end else { return .incomplete }
        return .frame(ServerFrame(fin: fin, opcode: opcode, payload: offset..<end, consumed: end))
    }
}
