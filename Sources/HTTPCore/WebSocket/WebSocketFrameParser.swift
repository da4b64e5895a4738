/// A strict RFC 6455 frame parser, written here rather than taken from a
/// package (none on a fresh machine runs without SwiftNIO), and fuzzed
/// (`Fuzz/Sources/FuzzWebSocketFrames`).
///
/// Strict means: RSV bits clear (no extension is ever negotiated); only the
/// six defined opcodes; control frames unfragmented with at most 125 bytes;
/// lengths in their shortest encoding and the 64-bit form's top bit clear;
/// frames from a client masked, frames from a server not (`MaskRule`).
/// A payload longer than `maxPayload` fails with 1009 as soon as its header
/// is read, before any of it is buffered.
///
/// Stateless over its input, like the HTTP parser: the caller keeps what
/// was not consumed and offers it again with more.
///
/// Thread-safety: a value type; any thread.
public struct WebSocketFrameParser {
    public enum MaskRule: Sendable { case required, forbidden }

    public enum Outcome: Equatable {
        case incomplete
        case frame(WebSocketFrame, consumed: Int)
        case failure(WebSocketProtocolError)
    }

    public var maxPayload: Int
    public var maskRule: MaskRule

    public init(maxPayload: Int, maskRule: MaskRule = .required) {
        self.maxPayload = maxPayload
        self.maskRule = maskRule
    }

    public func parse(_ b: UnsafeRawBufferPointer) -> Outcome {
        guard b.count >= 2 else { return .incomplete }
        let fin = b[0] & 0x80 != 0
        if b[0] & 0x70 != 0 { return .failure(.protocolError("reserved bits set (no extension was negotiated)")) }
        guard let opcode = WebSocketOpcode(rawValue: b[0] & 0x0F) else {
            return .failure(.protocolError("unknown opcode \(b[0] & 0x0F)"))
        }
        let masked = b[1] & 0x80 != 0
        switch maskRule {
        case .required where !masked: return .failure(.protocolError("client frames must be masked"))
        case .forbidden where masked: return .failure(.protocolError("server frames must not be masked"))
        default: break
        }
        var length = UInt64(b[1] & 0x7F)
        var offset = 2
        if length == 126 {
            guard b.count >= 4 else { return .incomplete }
            length = UInt64(b[2]) << 8 | UInt64(b[3])
            offset = 4
            if length < 126 { return .failure(.protocolError("length not in its shortest form")) }
        } else if length == 127 {
            guard b.count >= 10 else { return .incomplete }
            length = 0
            for i in 2..<10 { length = length << 8 | UInt64(b[i]) }
            offset = 10
            if length >> 63 != 0 { return .failure(.protocolError("64-bit length with its top bit set")) }
            if length <= 0xFFFF { return .failure(.protocolError("length not in its shortest form")) }
        }
        if opcode.isControl {
            if !fin { return .failure(.protocolError("fragmented control frame")) }
            if length > 125 { return .failure(.protocolError("control frame longer than 125 bytes")) }
        }
        if length > UInt64(maxPayload) {
            return .failure(WebSocketProtocolError(.messageTooBig, "frame of \(length) bytes is over the limit of \(maxPayload)"))
        }
        let count = Int(length)
        var key: (UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0)
        if masked {
            guard b.count >= offset + 4 else { return .incomplete }
            key = (b[offset], b[offset + 1], b[offset + 2], b[offset + 3])
            offset += 4
        }
        guard b.count >= offset + count else { return .incomplete }
        var payload = [UInt8](repeating: 0, count: count)
        if masked {
            let k = [key.0, key.1, key.2, key.3]
            for i in 0..<count { payload[i] = b[offset + i] ^ k[i & 3] }
        } else if count > 0 {
            payload.withUnsafeMutableBytes { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: b[offset..<(offset + count)])) }
        }
        return .frame(WebSocketFrame(fin: fin, opcode: opcode, payload: payload), consumed: offset + count)
    }
}
