import CoreLoop

/// Connects one TCP connection to the `IRCServer`: bytes in go to
/// `IRCServer.receive`, the server's output goes to the connection's queue,
/// and a close on either side reaches the other exactly once.
///
/// Thread-safety: loop thread only.
final class SocketClientTransport: ClientTransport, StreamConnectionDelegate {
    /// A `let`: `Client.directConnection` borrows it unretained for the
    /// client's life.
    let connection: StreamConnection
    unowned let server: IRCServer
    /// Strong, and cleared when the connection closes (`connectionDidClose`,
    /// which every close reaches, and the close-flush timeout bounds): the
    /// client holds this transport too, so that is the cycle's one break.
    /// Not weak: a weak reference gives the `Client` a side table, and
    /// every retain and release of it anywhere then takes the runtime's
    /// slow path (a per-member cost in every channel broadcast).
    var client: Client?

    init(connection: StreamConnection, server: IRCServer) {
        self.connection = connection
        self.server = server
    }

    // MARK: ClientTransport

    func send(_ chunk: ByteChunk) -> Bool { connection.write(chunk) }

    func send(copying bytes: UnsafeRawBufferPointer) -> Bool { connection.write(copying: bytes) }

    func close(reason: String, afterFlush: Bool) {
        connection.close(reason: .local(reason), afterFlush: afterFlush)
    }

    var queuedBytes: Int { connection.outboundBytes }
    var sendQueueLimit: Int { connection.limits.outboundHardLimit }
    var isOpen: Bool { connection.isOpen }
    var bytesIn: UInt64 { connection.bytesRead }
    var bytesOut: UInt64 { connection.bytesWritten }
    var pendingInputBytes: Int { connection.inboundBytes + connection.kernelInboundBytes }
    func pauseReading() { connection.pauseReading() }
    func resumeReading() { connection.resumeReading() }
    var isSecure: Bool { connection.tls != nil }
    var peerCertificateFingerprint: String? { connection.tls?.peerCertificateFingerprint }
    /// Plain and TLS alike: the queue holds plaintext, and a TLS flush
    /// reports draining after its `SSL_write` as a plain one after `sendmsg`.
    func notifyWhenWritable(queuedAtMost: Int, _ callback: @escaping () -> Void) -> Bool {
        connection.notifyWhenWritable(queuedAtMost: queuedAtMost, callback)
    }

    // MARK: StreamConnectionDelegate

    /// The line a client dropped for not reading gets last, after the rest
    /// of the line it was receiving: the same `ERROR :Closing Link` as any
    /// other disconnection, so a client can show why.
    func farewellAfterSendQueueOverflow(_ connection: StreamConnection) -> [UInt8]? {
        var line = Array("ERROR :Closing Link: ".utf8)
        IRCMessage.appendOneLine(client?.host ?? "*", into: &line)
        line += " (\(CloseReason.sendQueueExceeded))\r\n".utf8
        return line
    }

    func connection(_ connection: StreamConnection, didRead bytes: UnsafeRawBufferPointer) -> Int {
        guard let client else { return bytes.count }
        return server.receive(bytes, from: client)
    }

    func connectionDidReceiveEOF(_ connection: StreamConnection) {
        // A half-close from an IRC client means it is gone: its channels are
        // told with the other hang-ups of this moment (`Departures`, a turn
        // or a few later); the queue drains meanwhile.
        if let client { server.transportClosed(client, reason: "Connection closed") }
        connection.close(reason: .peerClosed, afterFlush: true)
    }

    func connectionDidClose(_ connection: StreamConnection, reason: CloseReason) {
        // Counted even when the client is already gone (a QUIT, a kill or a
        // refusal ends the client before its last bytes are flushed).
        server.stats.bytesInClosed &+= connection.bytesRead
        server.stats.bytesOutClosed &+= connection.bytesWritten
        guard let client else { return }
        let text: String
        switch reason {
        case .inboundOverflow: text = "Excess Flood"  // the name IRC users know
        case .error(let error): text = "Read error: \(error.description)"
        default: text = reason.description
        }
        server.transportClosed(client, reason: text)
        self.client = nil
    }
}
