/// One frame from a WebSocket server, located in the received bytes rather
/// than copied out of them: the fan-out run reads hundreds of thousands a
/// second, and an array per frame would make the generator, not the server,
/// the limit (as a `String` per line once did).
///
/// Thread-safety: a value type; any thread.
public struct ServerFrame: Equatable {
    public var fin: Bool
    /// The opcode (RFC 6455 §5.2): 0 continuation, 1 text, 2 binary, 8 close, 9 ping, 10 pong.
    public var opcode: UInt8
    /// Where the payload is in the bytes given to `ServerFrameReader.next`.
    public var payload: Range<Int>
    /// Bytes of the whole frame (header and payload).
    public var consumed: Int

    public init(fin: Bool, opcode: UInt8, payload: Range<Int>, consumed: Int) {
        self.fin = fin
        self.opcode = opcode
        self.payload = payload
        self.consumed = consumed
    }

    public var isControl: Bool { opcode & 0x8 != 0 }
}
