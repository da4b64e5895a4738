import BenchKit
import CoreLoop
import HTTPCore

/// The client side of IRC over WebSocket for one `BenchClient`
/// (`--websocket`): the opening handshake on `path` with the
/// `text.ircv3.net` subprotocol, then one masked text frame per line sent
/// and one IRC line per frame received (the server sends no CR LF in
/// frames). The handshake is checked (101, `Upgrade`, the
/// `Sec-WebSocket-Accept` for our key, the subprotocol); anything off, and
/// any frame the server should not send (fragments, bad headers), is a
/// failure the client reports as an error.
///
/// Thread-safety: loop thread only (its client's).
final class BenchWebSocket {
    enum ReadOutcome {
        /// Bytes used; the handshake may just have completed (`upgraded`).
        case consumed(Int)
        /// The server broke the protocol or refused: report and close.
        case failed(String)
        /// The server sent a close frame.
        case closed
    }

    static let subprotocol = "text.ircv3.net"
    let path: String
    let host: String
    private let key: String
    private(set) var upgraded = false
    private let reader = ServerFrameReader(maxPayload: 64 * 1024)
    /// xorshift64 state for the mask keys: cheap, and different per frame, as
    /// RFC 6455 §5.3 asks (the server unmasks whatever the key).
    private var maskState: UInt64

    init(path: String, host: String) {
        self.path = path
        self.host = host
        var generator = SystemRandomNumberGenerator()
        key = WebSocketBase64.encode((0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) })
        maskState = generator.next() | 1
    }

    /// The upgrade request, sent before anything else; IRC lines wait for the `101`.
    var upgradeRequest: String {
        "GET \(path) HTTP/1.1\r\nHost: \(host)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: \(Self.subprotocol)\r\n\r\n"
    }

    /// One line as a masked text frame.
    func frame(_ line: String) -> [UInt8] {
        WebSocketFrameWriter.frame(.text, Array(line.utf8), mask: nextMask())
    }

    func frame(_ opcode: WebSocketOpcode, _ payload: [UInt8]) -> [UInt8] {
        WebSocketFrameWriter.frame(opcode, payload, mask: nextMask())
    }

    private func nextMask() -> [UInt8] {
        maskState ^= maskState << 13
        maskState ^= maskState >> 7
        maskState ^= maskState << 17
        let m = maskState
        return [UInt8(truncatingIfNeeded: m), UInt8(truncatingIfNeeded: m >> 8), UInt8(truncatingIfNeeded: m >> 16), UInt8(truncatingIfNeeded: m >> 24)]
    }

    /// Reads the handshake's answer, then frames: each text or binary frame's
    /// payload goes to `line` (which returns false once the client closed,
    /// to stop); pings are answered through `reply`.
    func read(_ bytes: UnsafeRawBufferPointer, line: (UnsafeRawBufferPointer) -> Bool, reply: ([UInt8]) -> Void) -> ReadOutcome {
        var consumed = 0
        if !upgraded {
            switch HTTPResponseHead.parse(bytes) {
            case .incomplete:
                return .consumed(0)
            case .failure(let error):
                return .failed(error.description)
            case .head(let head, let used):
                if let refusal = check(head) { return .failed(refusal) }
                upgraded = true
                consumed = used
            }
        }
        while consumed < bytes.count {
            switch reader.next(in: UnsafeRawBufferPointer(rebasing: bytes[consumed...])) {
            case .incomplete:
                return .consumed(consumed)
            case .failure(let error):
                return .failed(error.description)
            case .frame(let frame):
                let payload = UnsafeRawBufferPointer(rebasing: bytes[(consumed + frame.payload.lowerBound)..<(consumed + frame.payload.upperBound)])
                consumed += frame.consumed
                switch frame.opcode {
                case 1, 2:
                    // chatd sends every line as one whole frame; a fragment would mean a line split or merged.
                    guard frame.fin else { return .failed("fragmented message (one IRC line per frame expected)") }
                    if !line(payload) { return .consumed(consumed) }
                case 0:
                    return .failed("continuation frame (one IRC line per frame expected)")
                case 8:
                    return .closed
                case 9:
                    reply(self.frame(.pong, Array(payload)))
                default:
                    break  // pong
                }
            }
        }
        return .consumed(consumed)
    }

    /// Nil if `head` accepts our upgrade, else why not.
    func check(_ head: HTTPResponseHead) -> String? {
        guard head.status == 101 else { return "handshake answered \(head.status) \(head.reason)" }
        guard head.has("Upgrade", token: "websocket") else { return "101 without Upgrade: websocket" }
        guard head["Sec-WebSocket-Accept"] == WebSocketHandshake.acceptValue(forKey: key) else {
            return "wrong Sec-WebSocket-Accept \(head["Sec-WebSocket-Accept"] ?? "(none)")"
        }
        guard head["Sec-WebSocket-Protocol"] == Self.subprotocol else {
            return "subprotocol \(head["Sec-WebSocket-Protocol"] ?? "(none)"), not \(Self.subprotocol)"
        }
        return nil
    }
}
