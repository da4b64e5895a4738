/// Turns frames into messages: joins fragments (bounded by `maxMessage`),
/// checks that text is UTF-8, and reads close frames.
///
/// Thread-safety: a value type; loop thread only in practice.
public struct WebSocketMessageAssembler {
    public enum Event: Equatable {
        case message(WebSocketOpcode, [UInt8])
        case ping([UInt8])
        case pong([UInt8])
        /// The peer's close: its code (nil if it sent none) and reason.
        case close(UInt16?, String)
        /// A fragment was taken; the message is not complete yet.
        case partial
    }

    public var maxMessage: Int
    private var fragments: [UInt8] = []
    private var fragmentOpcode: WebSocketOpcode?

    public init(maxMessage: Int) {
        self.maxMessage = maxMessage
    }

    public mutating func push(_ frame: WebSocketFrame) throws -> Event {
        switch frame.opcode {
        case .ping: return .ping(frame.payload)
        case .pong: return .pong(frame.payload)
        case .close: return try Self.readClose(frame.payload)
        case .text, .binary:
            if fragmentOpcode != nil { throw WebSocketProtocolError.protocolError("new message before the last one's final fragment") }
            if frame.fin { return try finish(frame.opcode, frame.payload) }
            fragmentOpcode = frame.opcode
            fragments = frame.payload
            return .partial
        case .continuation:
            guard let opcode = fragmentOpcode else { throw WebSocketProtocolError.protocolError("continuation frame without a message to continue") }
            if fragments.count + frame.payload.count > maxMessage {
                throw WebSocketProtocolError(.messageTooBig, "message longer than \(maxMessage) bytes")
            }
            fragments.append(contentsOf: frame.payload)
            guard frame.fin else { return .partial }
            let whole = fragments
            fragments = []
            fragmentOpcode = nil
            return try finish(opcode, whole)
        }
    }

    private func finish(_ opcode: WebSocketOpcode, _ payload: [UInt8]) throws -> Event {
        if payload.count > maxMessage { throw WebSocketProtocolError(.messageTooBig, "message longer than \(maxMessage) bytes") }
        if opcode == .text && String(validating: payload, as: UTF8.self) == nil {
            throw WebSocketProtocolError(.invalidPayload, "text message is not UTF-8")
        }
        return .message(opcode, payload)
    }

    static func readClose(_ payload: [UInt8]) throws -> Event {
        if payload.isEmpty { return .close(nil, "") }
        guard payload.count >= 2 else { throw WebSocketProtocolError.protocolError("close frame with a 1-byte payload") }
        let code = UInt16(payload[0]) << 8 | UInt16(payload[1])
        guard WebSocketCloseCode.isValidOnWire(code) else { throw WebSocketProtocolError.protocolError("invalid close code \(code)") }
        guard let reason = String(validating: payload[2...], as: UTF8.self) else {
            throw WebSocketProtocolError(.invalidPayload, "close reason is not UTF-8")
        }
        return .close(code, reason)
    }
}
