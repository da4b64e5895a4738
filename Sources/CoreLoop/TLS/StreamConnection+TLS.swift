#if canImport(Glibc)
import Glibc
#endif

/// TLS under a `StreamConnection`'s read and write paths. The connection
/// stays the one place that owns the descriptor, the queue and the limits;
/// this only replaces `read` with `SSL_read`, the `writev` batch with one
/// `SSL_write` of the gathered queue, and maps OpenSSL's WANT_READ and
/// WANT_WRITE onto the connection's epoll interest.
///
/// Thread-safety: loop thread only, like the connection.
extension StreamConnection {
    /// The most plaintext one `SSL_write` takes from the queue: four full
    /// records. Bounded again by the loop's scratch buffer.
    static let tlsWriteBatchBytes = 64 * 1024

    /// Puts TLS under this connection; call before `start()`. The handshake
    /// begins with `start()` and must finish within `handshakeTimeout`, or the
    /// connection closes with "TLS handshake timed out". Output written before
    /// the handshake ends waits in the queue (counted against its limits).
    public func enableTLS(_ context: TLSContext, handshakeTimeout: Nanoseconds, serverName: String? = nil) throws {
        loop.assertInLoop()
        precondition(state == .idle && tls == nil, "enableTLS() after start() or twice")
        let session = try TLSSession(context: context, fd: fd, serverName: serverName)
        session.handshakeTimeout = handshakeTimeout
        tlsSession = session
    }

    func startTLSHandshake(_ tls: TLSSession) {
        // Strong: the handshake's end or the close (`endTLS`) cancels the
        // timer, which drops this closure. A weak capture would give the
        // connection a side table, and every retain of it the slow path.
        tls.handshakeTimer = loop.schedule(after: tls.handshakeTimeout) {
            guard let tls = self.tls else { return }
            tls.handshakeTimer = nil
            guard !tls.isEstablished else { return }
            self.close(reason: .local("TLS handshake timed out"))
        }
        // A client speaks first (ClientHello); a server waits for it.
        if !tls.context.isServer { advanceTLSHandshake(tls) }
    }

    func advanceTLSHandshake(_ tls: TLSSession) {
        switch tls.handshake() {
        case .done:
            if let timer = tls.handshakeTimer { loop.cancel(timer) }
            tls.handshakeTimer = nil
            updateInterest()
            if !outbound.isEmpty { scheduleFlush() }
            // Application data may have arrived with the client's Finished
            // and be sitting in OpenSSL's buffer already.
            readTLS(tls)
        case .wantRead, .wantWrite:
            updateInterest()
        case .closed:
            close(reason: .local(TLSError.handshake("connection closed by peer").description))
        case .failed(let error):
            close(reason: .local(error.description))
        }
    }

    func handleReadableTLS(_ tls: TLSSession) {
        guard state == .open || state == .closing else { return }
        if !tls.isEstablished { return advanceTLSHandshake(tls) }
        if tls.writeWantsRead {
            tls.writeWantsRead = false
            flushNow()
            guard state == .open else { return }
        }
        readTLS(tls)
    }

    func handleWritableTLS(_ tls: TLSSession) {
        guard state == .open || state == .closing else { return }
        if !tls.isEstablished { return advanceTLSHandshake(tls) }
        if tls.readWantsWrite {
            tls.readWantsWrite = false
            readTLS(tls)
            guard state == .open || state == .closing else { return }
        }
        flushNow()
    }

    /// One `SSL_read` of at most `maxReadPerTurn` plaintext bytes, handed to
    /// the delegate as a plain read would be.
    func readTLS(_ tls: TLSSession) {
        guard state == .open, !readPaused, !inputEnded else { return }
        let capacity = min(loop.readBuffer.count, max(1, limits.maxReadPerTurn))
        switch tls.read(into: UnsafeMutableRawBufferPointer(rebasing: loop.readBuffer[0..<capacity])) {
        case .done(let n):
            readCount &+= UInt64(n)
            deliver(UnsafeRawBufferPointer(rebasing: loop.readBuffer[0..<n]))
            resumePendingTLSInput(tls)
        case .wantRead:
            break
        case .wantWrite:
            tls.readWantsWrite = true
            updateInterest()
        case .closed:
            inputEnded = true
            updateInterest()
            if let delegate { delegate.connectionDidReceiveEOF(self) } else { close(reason: .peerClosed) }
        case .failed(let error):
            close(reason: .local(error.description))
        }
    }

    /// OpenSSL may hold decrypted bytes epoll knows nothing about (a record
    /// larger than one turn's read, or input left while reading was paused):
    /// come back for them on the next turn through a zero-delay timer, so
    /// the per-turn read cap still holds.
    func resumePendingTLSInput(_ tls: TLSSession) {
        guard state == .open, !readPaused, !inputEnded, !tls.pendingReadScheduled, tls.pendingPlaintext > 0 else { return }
        tls.pendingReadScheduled = true
        // Strong (no side table, as above): held for one turn, and
        // `readTLS` does nothing once the connection has closed.
        loop.schedule(after: Nanoseconds(0)) {
            guard let tls = self.tls else { return }
            tls.pendingReadScheduled = false
            self.readTLS(tls)
        }
    }

    /// Writes the queue through OpenSSL, one gathered region per
    /// `SSL_write`; false if this closed the connection.
    func writeQueuedTLS(_ tls: TLSSession) -> Bool {
        guard tls.isEstablished else { return true }  // the queue waits for the handshake
        while !outbound.isEmpty {
            // The loop's read buffer is free here: flushes never run inside
            // a read delivery, and the region is consumed before returning.
            let region = outbound.contiguousFront(limit: Self.tlsWriteBatchBytes, scratch: loop.readBuffer)
            switch tls.write(region) {
            case .done(let written):
                outbound.consume(written)
                bytesWritten &+= UInt64(written)
                if written < region.count { return true }  // not expected without partial writes; EPOLLOUT retries
            case .wantWrite:
                return true
            case .wantRead:
                tls.writeWantsRead = true
                return true
            case .closed:
                close(reason: .peerClosed)
                return false
            case .failed(let error):
                close(reason: .local(error.description))
                return false
            }
        }
        return true
    }

    /// Called as the connection closes, before the descriptor goes: says
    /// close_notify when the session is healthy enough to.
    func endTLS(_ tls: TLSSession, reason: CloseReason, wasRegistered: Bool) {
        if let timer = tls.handshakeTimer { loop.cancel(timer) }
        tls.handshakeTimer = nil
        switch reason {
        case .reset, .error: return
        default: if wasRegistered { tls.shutdown() }
        }
    }
}
