import CoreLoop
import HTTPCore

/// IRC over WebSocket (the IRCv3 transport) for one upgraded connection.
/// To `IRCServer` it is a `ClientTransport` like any socket: each incoming
/// message becomes one line (CR LF added) fed to `IRCServer.receive`, so
/// the line limit, flood control, sendq and ping timeouts are the TCP ones;
/// each outgoing line becomes one frame (CR LF dropped).
///
/// Input is bounded: frames over `maxMessage` close with 1009 as soon as
/// their header arrives; at most one decoded message waits (`pending`) while
/// flood control holds the client back, and meanwhile the socket is not read
/// further. Text mode (`text.ircv3.net`, or no subprotocol) sends text
/// frames, with bytes that are not UTF-8 replaced by U+FFFD so the frame is
/// valid; `binary.ircv3.net` sends lines as they are. Both frame types are
/// accepted from the client; a text frame that is not UTF-8 closes with 1007.
///
/// Thread-safety: loop thread only.
final class WebSocketClientTransport: ClientTransport, StreamConnectionDelegate {
    let connection: StreamConnection
    unowned let server: IRCServer
    /// Strong, and cleared in `connectionDidClose`, which every close
    /// reaches: the client holds this transport too, so that is the cycle's
    /// one break (as `SocketClientTransport` does). Not weak: a weak
    /// reference gives the `Client` a side table, and its every retain and
    /// release then takes the runtime's slow path.
    var client: Client?
    let binary: Bool
    private let parser: WebSocketFrameParser
    private var assembler: WebSocketMessageAssembler
    /// Decoded lines (with CR LF) the server has not taken yet: at most one message.
    private var pending: [UInt8] = []
    private var paused = false
    private var closeSent = false
    /// Broadcast chunks already framed, shared with the listener's other WebSocket clients.
    let frameCache: WebSocketFrameCache

    init(connection: StreamConnection, server: IRCServer, binary: Bool, maxMessage: Int,
         frameCache: WebSocketFrameCache = WebSocketFrameCache()) {
        self.connection = connection
        self.frameCache = frameCache
        self.server = server
        self.binary = binary
        parser = WebSocketFrameParser(maxPayload: maxMessage, maskRule: .required)
        assembler = WebSocketMessageAssembler(maxMessage: maxMessage)
    }

    // MARK: ClientTransport

    /// A broadcast's chunk: framed once for all WebSocket members (`frameCache`).
    func send(_ chunk: ByteChunk) -> Bool {
        guard !closeSent, connection.isOpen else { return false }
        guard chunk.count > 0 else { return true }
        return connection.write(frameCache.frames(for: chunk, binary: binary))
    }

    /// Frames every line in `bytes` (lines end with LF; a CR before it is dropped).
    func send(copying bytes: UnsafeRawBufferPointer) -> Bool {
        guard !closeSent, connection.isOpen else { return false }
        let frames = WebSocketLineFrames.encode(bytes, binary: binary)
        guard !frames.isEmpty else { return true }
        return frames.withUnsafeBytes { connection.write(copying: $0) }
    }

    func close(reason: String, afterFlush: Bool) {
        // RFC 6455 §7.4.1: 1001 when the server is going down.
        sendClose(server.isGoingAway ? .goingAway : .normal, reason: reason)
        connection.close(reason: .local(reason), afterFlush: afterFlush)
    }

    var queuedBytes: Int { connection.outboundBytes }
    var sendQueueLimit: Int { connection.limits.outboundHardLimit }
    var isOpen: Bool { !closeSent && connection.isOpen }
    /// The STS port is a raw IRC TLS listener, not a WebSocket one.
    var takesSTSPolicy: Bool { false }
    var bytesIn: UInt64 { connection.bytesRead }
    var bytesOut: UInt64 { connection.bytesWritten }
    var pendingInputBytes: Int { pending.count + connection.inboundBytes + connection.kernelInboundBytes }
    var isSecure: Bool { connection.tls != nil }
    var peerCertificateFingerprint: String? { connection.tls?.peerCertificateFingerprint }
    /// The connection's queue holds the frames (a few header bytes per line
    /// more than the lines), so its drain is the transport's.
    func notifyWhenWritable(queuedAtMost: Int, _ callback: @escaping () -> Void) -> Bool {
        guard !closeSent else { return false }
        return connection.notifyWhenWritable(queuedAtMost: queuedAtMost, callback)
    }

    func pauseReading() {
        paused = true
        connection.pauseReading()
    }

    func resumeReading() {
        // Not paused: nothing is held, and a call from inside the server's
        // own `receive` (an answer that came at once) must not deliver the
        // input being read again.
        guard paused else { return }
        paused = false
        guard deliverPending() else { return }
        connection.resumeReading()
    }

    // MARK: StreamConnectionDelegate

    func connection(_ connection: StreamConnection, didRead bytes: UnsafeRawBufferPointer) -> Int {
        guard deliverPending() else { return 0 }
        var consumed = 0
        while consumed < bytes.count && connection.isOpen {
            switch parser.parse(UnsafeRawBufferPointer(rebasing: bytes[consumed...])) {
            case .incomplete:
                return consumed
            case .failure(let error):
                fail(error)
                return bytes.count
            case .frame(let frame, let used):
                consumed += used
                let event: WebSocketMessageAssembler.Event
                do {
                    event = try assembler.push(frame)
                } catch let error as WebSocketProtocolError {
                    fail(error)
                    return bytes.count
                } catch {
                    return bytes.count
                }
                switch event {
                case .message(_, let payload):
                    pending.append(contentsOf: payload)
                    if pending.last == 10 { pending.removeLast() }  // a client that sends the line end anyway
                    if pending.last == 13 { pending.removeLast() }
                    pending.append(contentsOf: [13, 10])
                    if !deliverPending() { return consumed }
                case .ping(let payload):
                    guard !closeSent else { break }
                    connection.write(ByteChunk(WebSocketFrameWriter.frame(.pong, payload)))
                case .pong, .partial:
                    break
                case .close(let code, _):
                    // Echo the code (RFC 6455 §5.5.1), then the client is gone.
                    sendClose(code.map(WebSocketCloseCode.init) ?? .normal, reason: "")
                    if let client { server.transportClosed(client, reason: "Connection closed") }
                    connection.close(reason: .peerClosed, afterFlush: true)
                    return bytes.count
                }
            }
        }
        return consumed
    }

    /// Hands waiting lines to the server; true if it took them all and may take more.
    private func deliverPending() -> Bool {
        guard !pending.isEmpty else { return !paused }
        guard let client else {
            pending = []
            return false
        }
        let used = pending.withUnsafeBytes { server.receive($0, from: client) }
        pending.removeFirst(used)
        return pending.isEmpty && !paused && connection.isOpen
    }

    private func fail(_ error: WebSocketProtocolError) {
        server.logger.info("websocket client \(connection.peer?.host ?? "?"): \(error)")
        sendClose(error.code, reason: error.reason)
        let text = error.code == .messageTooBig ? "Message too long" : "WebSocket protocol error"
        if let client { server.transportClosed(client, reason: text) }
        connection.close(reason: .local(text), afterFlush: true)
    }

    private func sendClose(_ code: WebSocketCloseCode, reason: String) {
        guard !closeSent, connection.isOpen else { return }
        closeSent = true
        connection.write(ByteChunk(WebSocketFrameWriter.close(code, reason: reason)))
    }

    func connectionDidReceiveEOF(_ connection: StreamConnection) {
        if let client { server.transportClosed(client, reason: "Connection closed") }
        connection.close(reason: .peerClosed, afterFlush: true)
    }

    func connectionDidClose(_ connection: StreamConnection, reason: CloseReason) {
        server.stats.bytesInClosed &+= connection.bytesRead
        server.stats.bytesOutClosed &+= connection.bytesWritten
        guard let client else { return }
        let text: String
        switch reason {
        case .inboundOverflow: text = "Excess Flood"
        case .error(let error): text = "Read error: \(error.description)"
        default: text = reason.description
        }
        server.transportClosed(client, reason: text)
        self.client = nil
    }
}
