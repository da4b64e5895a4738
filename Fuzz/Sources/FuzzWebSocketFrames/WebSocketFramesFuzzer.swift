import HTTPCore

/// libFuzzer target for what a WebSocket client sends: the input is a
/// stream of frames, parsed as the server does (`WebSocketFrameParser`,
/// masks required) and assembled into messages (`WebSocketMessageAssembler`).
/// The first byte picks where the stream is split, so frames arrive in
/// pieces as from a socket. Invariants: every step consumes within its
/// input and makes progress; payloads and messages stay within their
/// limits; control frames are at most 125 bytes; text messages are UTF-8;
/// a frame re-encoded with a mask parses back the same.
///
/// Thread-safety: libFuzzer calls it from one thread, one input at a time.
enum WebSocketFramesFuzzer {
    static let maxPayload = 600

    static func run(_ input: UnsafeRawBufferPointer) {
        guard let split = input.first else { return }
        let stream = Array(input.dropFirst())
        let parser = WebSocketFrameParser(maxPayload: maxPayload, maskRule: .required)
        var assembler = WebSocketMessageAssembler(maxMessage: maxPayload)
        var kept: [UInt8] = []
        var offset = 0
        let step = Int(split) + 1
        while offset < stream.count {
            let next = min(stream.count, offset + step)
            kept += stream[offset..<next]
            offset = next
            while true {
                let outcome = kept.withUnsafeBytes { parser.parse($0) }
                switch outcome {
                case .incomplete:
                    break
                case .failure:
                    return
                case .frame(let frame, let used):
                    guard used > 0 && used <= kept.count else { fatalError("consumed \(used) of \(kept.count)") }
                    kept.removeFirst(used)
                    check(frame, parser: parser)
                    do {
                        if case .message(let opcode, let payload) = try assembler.push(frame) {
                            guard payload.count <= maxPayload else { fatalError("message of \(payload.count) bytes") }
                            if opcode == .text && String(validating: payload, as: UTF8.self) == nil { fatalError("text not UTF-8") }
                        }
                    } catch is WebSocketProtocolError {
                        return
                    } catch {
                        fatalError("unexpected error \(error)")
                    }
                    continue
                }
                break
            }
        }
    }

    static func check(_ frame: WebSocketFrame, parser: WebSocketFrameParser) {
        guard frame.payload.count <= maxPayload else { fatalError("payload of \(frame.payload.count) bytes") }
        if frame.opcode.isControl && (frame.payload.count > 125 || !frame.fin) { fatalError("bad control frame accepted") }
        let again = WebSocketFrameWriter.frame(frame.opcode, frame.payload, fin: frame.fin, mask: [7, 1, 9, 3])
        guard case .frame(let back, let used) = again.withUnsafeBytes({ parser.parse($0) }), back == frame, used == again.count else {
            fatalError("re-encoded frame parses differently")
        }
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWebSocketFrames(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    WebSocketFramesFuzzer.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
