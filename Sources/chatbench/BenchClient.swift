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
    var onClose: (BenchClient, CloseReason) -> Void = { _, _ in }
    /// `--quick-ack`: acknowledge every read at once (TCP_QUICKACK, re-armed
    /// after each read, since the kernel clears it). A server that leaves
    /// Nagle on (ngIRCd does not set TCP_NODELAY) holds each small write
    /// until the previous one is acknowledged, and a receiver that only
    /// reads acknowledges on the delayed-ACK timer (~40 ms): in a closed
    /// loop that timer, not the server, then sets the pace.
    var quickAck = false

    init(id: Int, nick: String) {
        self.id = id
        self.nick = nick
    }

    /// Connects and sends NICK/USER (after `preamble`, e.g. CAP or PASS lines).
    /// With `tls`, the connection speaks TLS (handshake before NICK/USER go out).
    func connect(loop: EventLoop, to address: SocketAddress, tls: TLSContext? = nil, preamble: [String] = [],
                 failed: @escaping (IOError) -> Void) {
        var limits = ConnectionLimits()
        limits.outboundHardLimit = 0
        limits.maxInboundBytes = 1 << 20
        limits.maxReadPerTurn = 64 * 1024
        TCPConnector.connect(loop: loop, to: address, limits: limits) { [self] result in
            switch result {
            case .failure(let error):
                failed(error)
            case .success(let connection):
                self.connection = connection
                connection.delegate = self
                connection.context = self
                do {
                    if let tls { try connection.enableTLS(tls, handshakeTimeout: .seconds(60), serverName: "localhost") }
                    try connection.start()
                } catch {
                    connection.close(reason: .local("setup failed"))
                    return failed(error as? IOError ?? IOError(errnoCode: EPROTO, function: "start"))
                }
                for line in preamble { send(line) }
                send("NICK \(nick)")
                send("USER \(nick) 0 * :bench")
            }
        }
    }

    func send(_ line: String) {
        var text = line + "\r\n"
        text.withUTF8 { connection?.write(copying: UnsafeRawBufferPointer($0)) }
    }

    func close() { connection?.close(reason: .local("bench done")) }

    func connection(_ connection: StreamConnection, didRead bytes: UnsafeRawBufferPointer) -> Int {
        if quickAck {
            var one: Int32 = 1
            setsockopt(connection.fd, Int32(IPPROTO_TCP), Int32(TCP_QUICKACK), &one, socklen_t(MemoryLayout<Int32>.size))
        }
        var consumed = 0
        while consumed < bytes.count {
            let (frame, used) = framer.next(in: UnsafeRawBufferPointer(rebasing: bytes[consumed...]))
            if frame == nil && used == 0 { break }
            consumed += used
            guard case .line(let raw)? = frame else { continue }
            if let onPayload, registered, let payload = BenchLine.payload(raw) {
                onPayload(self, payload)
                if self.connection?.isClosed ?? true { break }
                continue
            }
            if let code = BenchLine.numeric(raw) {
                if !registered && code == 1 {
                    registered = true
                    onRegistered(self)
                    if self.connection?.isClosed ?? true { break }
                    continue
                }
                if code < 400, let onNumeric {
                    onNumeric(self, code)
                    if self.connection?.isClosed ?? true { break }
                    continue
                }
            }
            let line = String(decoding: raw, as: UTF8.self)
            if line.hasPrefix("PING ") {
                send("PONG " + line.dropFirst(5))
            } else {
                onLine(self, line)
            }
            if self.connection?.isClosed ?? true { break }
        }
        return consumed
    }

    func connectionDidClose(_ connection: StreamConnection, reason: CloseReason) {
        self.connection = nil
        onClose(self, reason)
    }
}
