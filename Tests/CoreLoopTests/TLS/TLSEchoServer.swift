import CoreLoop
import Foundation

/// A loopback TLS server for tests: echoes, or runs `onRead`, and records
/// how connections closed and what their sessions negotiated.
///
/// Thread-safety: loop thread only (tests reach it through `LoopThread.sync`).
final class TLSEchoServer: StreamConnectionDelegate {
    let listener: StreamListener
    var context: TLSContext
    var connections: [UInt64: StreamConnection] = [:]
    var closeReasons: [CloseReason] = []
    var bytesDelivered = 0
    /// Details of each session that completed its handshake, in order.
    var sessions: [(version: String?, alpn: String?, peerFingerprint: String?)] = []
    private var recorded: Set<UInt64> = []
    var onRead: ((StreamConnection, UnsafeRawBufferPointer) -> Int)?

    init(loop: EventLoop, context: TLSContext, handshakeTimeout: Nanoseconds = .seconds(10),
         limits: ConnectionLimits = ConnectionLimits()) throws {
        self.context = context
        var accepted: ((StreamConnection) -> Void)?
        listener = try StreamListener.tcp(loop: loop, address: try SocketAddress(host: "127.0.0.1", port: 0), limits: limits) { accepted?($0) }
        accepted = { [unowned self] connection in
            connection.delegate = self
            self.connections[connection.id] = connection
            do {
                try connection.enableTLS(self.context, handshakeTimeout: handshakeTimeout)
                try connection.start()
            } catch {
                connection.close(reason: .local("setup failed: \(error)"))
            }
        }
    }

    var port: Int { listener.address.port! }

    func connection(_ connection: StreamConnection, didRead bytes: UnsafeRawBufferPointer) -> Int {
        if let tls = connection.tls, !recorded.contains(connection.id) {
            recorded.insert(connection.id)
            sessions.append((tls.protocolVersion, tls.negotiatedProtocol, tls.peerCertificateFingerprint))
        }
        bytesDelivered += bytes.count
        if let onRead { return onRead(connection, bytes) }
        connection.write(ByteChunk(bytes))
        return bytes.count
    }

    func connectionDidClose(_ connection: StreamConnection, reason: CloseReason) {
        closeReasons.append(reason)
        connections[connection.id] = nil
    }
}
