import BenchKit
import ChatServer
import CoreLoop
#if canImport(Glibc)
import Glibc
#endif

/// One simulated IRC user on the generator's loop: connects, registers,
/// answers PING, and hands every other line to its owner.
///
/// Thread-safety: loop thread only.
final class BenchClient: StreamConnectionDelegate {
    let id: Int
    let nick: String
    private(set) var connection: StreamConnection?
    private var framer = LineFramer(maxLineBytes: 16 * 1024)
    private(set) var registered = false
    var onRegistered: (BenchClient) -> Void = { _ in }
    var onLine: (BenchClient, String) -> Void = { _, _ in }
    /// Benchmark messages, read straight from the bytes (no String per
    /// delivery); when set, such lines skip `onLine`.
    var onPayload: ((BenchClient, BenchPayload) -> Void)?
    /// Numeric replies below 400, by code, read from the bytes; when set,
    /// such lines skip `onLine` (churn sees ~17 per cycle).
    var onNumeric: ((BenchClient, Int) -> Void)?
    /// Any line after registration, as bytes, before everything else (see
    /// `RawLineSink`). Unowned: the scenario owns its clients and outlives them.
    var rawLineSink: Unmanaged<RawLineSink>?
    var onClose: (BenchClient, CloseReason) -> Void = { _, _ in }
    /// `--quick-ack`: acknowledge every read at once (TCP_QUICKACK, re-armed
    /// after each read, since the kernel clears it). A server that leaves
    /// Nagle on (ngIRCd does not set TCP_NODELAY) holds each small write
    /// until the previous one is acknowledged, and a receiver that only
    /// reads acknowledges on the delayed-ACK timer (~40 ms): in a closed
    /// loop that timer, not the server, then sets the pace.
    var quickAck = false
    /// Set before `connect` (`--websocket`): IRC over WebSocket, registration
    /// after the handshake, one frame per line both ways.
    var webSocket: BenchWebSocket?
    /// Lines waiting for the WebSocket handshake to complete.
    private var beforeUpgrade: [String] = []

    init(id: Int, nick: String) {
        self.id = id
        self.nick = nick
    }

    /// Connects and sends NICK/USER (after `preamble`, e.g. CAP or PASS lines).
    /// With `tls`, the connection speaks TLS (handshake before NICK/USER go out).
    func connect(loop: EventLoop, to address: SocketAddress, from source: SocketAddress? = nil, tls: TLSContext? = nil,
                 preamble: [String] = [], failed: @escaping (IOError) -> Void) {
        var limits = ConnectionLimits()
        limits.outboundHardLimit = 0
        limits.maxInboundBytes = 1 << 20
        limits.maxReadPerTurn = 64 * 1024
        TCPConnector.connect(loop: loop, to: address, from: source, limits: limits) { [self] result in
            switch result {
            case .failure(let error):
                failed(error)
            case .success(let connection):
                self.connection = connection
                connection.own(delegate: self)
                do {
                    if let tls { try connection.enableTLS(tls, handshakeTimeout: .seconds(60), serverName: "localhost") }
                    try connection.start()
                } catch {
                    connection.close(reason: .local("setup failed"))
                    return failed(error as? IOError ?? IOError(errnoCode: EPROTO, function: "start"))
                }
                if let webSocket {
                    var request = webSocket.upgradeRequest
                    request.withUTF8 { _ = connection.write(copying: UnsafeRawBufferPointer($0)) }
                    beforeUpgrade = preamble + ["NICK \(nick)", "USER \(nick) 0 * :bench"]
                    return
                }
                for line in preamble { send(line) }
                send("NICK \(nick)")
                send("USER \(nick) 0 * :bench")
            }
        }
    }

    func send(_ line: String) {
        if let webSocket {
            guard webSocket.upgraded else { return beforeUpgrade.append(line) }
            let frame = webSocket.frame(line)
            frame.withUnsafeBytes { _ = connection?.write(copying: $0) }
            return
        }
        var text = line + "\r\n"
        text.withUTF8 { connection?.write(copying: UnsafeRawBufferPointer($0)) }
    }

    func close() { connection?.close(reason: .local("bench done")) }

    func connection(_ connection: StreamConnection, didRead bytes: UnsafeRawBufferPointer) -> Int {
        if quickAck {
            var one: Int32 = 1
            setsockopt(connection.fd, Int32(IPPROTO_TCP), Int32(TCP_QUICKACK), &one, socklen_t(MemoryLayout<Int32>.size))
        }
        if let webSocket { return readWebSocket(webSocket, bytes) }
        var consumed = 0
        while consumed < bytes.count {
            let (frame, used) = framer.next(in: UnsafeRawBufferPointer(rebasing: bytes[consumed...]))
            if frame == nil && used == 0 { break }
            consumed += used
            guard case .line(let raw)? = frame else { continue }
            if !handle(raw) { break }
        }
        return consumed
    }

    /// The WebSocket path: the handshake's answer, then one line per frame.
    /// A failure reaches the scenario as an `ERROR` line, which every
    /// scenario counts as an error, and the client closes.
    private func readWebSocket(_ webSocket: BenchWebSocket, _ bytes: UnsafeRawBufferPointer) -> Int {
        let wasUpgraded = webSocket.upgraded
        let outcome = webSocket.read(bytes, line: { [self] raw in
            if !wasUpgraded && webSocket.upgraded && !beforeUpgrade.isEmpty { flushBeforeUpgrade() }
            return handle(raw)
        }, reply: { [self] frame in frame.withUnsafeBytes { _ = connection?.write(copying: $0) } })
        if !wasUpgraded && webSocket.upgraded { flushBeforeUpgrade() }
        switch outcome {
        case .consumed(let used):
            return used
        case .failed(let reason):
            onLine(self, "ERROR :websocket: \(reason)")
            connection?.close(reason: .local("websocket: \(reason)"))
            return bytes.count
        case .closed:
            connection?.close(reason: .peerClosed)
            return bytes.count
        }
    }

    private func flushBeforeUpgrade() {
        let lines = beforeUpgrade
        beforeUpgrade = []
        for line in lines { send(line) }
    }

    /// One line from the server; false once the connection closed (stop reading).
    private func handle(_ raw: UnsafeRawBufferPointer) -> Bool {
        if registered, let sink = rawLineSink, sink._withUnsafeGuaranteedRef({ $0.take(raw, from: self) }) {
            // No closed check here: a sink reads the line and writes only on
            // other clients' connections (a sender's), so this one is as open
            // as it was. Asking `connection?.isClosed` retained and released
            // the connection once per line, ~9 % of the fan-out generator.
            return true
        }
        if let onPayload, registered, let payload = BenchLine.payload(raw) {
            onPayload(self, payload)
            return !(self.connection?.isClosed ?? true)
        }
        if let code = BenchLine.numeric(raw) {
            if !registered && code == 1 {
                registered = true
                onRegistered(self)
                return !(self.connection?.isClosed ?? true)
            }
            if code < 400, let onNumeric {
                onNumeric(self, code)
                return !(self.connection?.isClosed ?? true)
            }
        }
        let line = String(decoding: raw, as: UTF8.self)
        if line.hasPrefix("PING ") {
            send("PONG " + line.dropFirst(5))
        } else {
            onLine(self, line)
        }
        return !(self.connection?.isClosed ?? true)
    }

    func connectionDidClose(_ connection: StreamConnection, reason: CloseReason) {
        self.connection = nil
        onClose(self, reason)
    }
}
