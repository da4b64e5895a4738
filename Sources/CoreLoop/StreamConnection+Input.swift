import CEpoll
#if canImport(Glibc)
import Glibc
#endif

/// The input side of a `StreamConnection`: reads, delivery to the delegate
/// with the kept unconsumed tail, and pausing for flood control (split out
/// of StreamConnection.swift to keep that file short).
///
/// Thread-safety: loop thread only, like the connection.
extension StreamConnection {
    public func handleReadable() {
        if let tls { return handleReadableTLS(tls) }
        guard state == .open, !readPaused, !inputEnded else { return }
        let capacity = min(loop.readBuffer.count, max(1, limits.maxReadPerTurn))
        let result: IOResult<Int>
        do {
            result = try syscall("read") { cepoll_read(fd, loop.readBuffer.baseAddress, capacity) }
        } catch let error as IOError {
            closeAfterSocketError(error)
            return
        } catch { return }
        switch result {
        case .wouldBlock:
            return
        case .processed(0):
            inputEnded = true
            updateInterest()
            if let delegate { delegate.connectionDidReceiveEOF(self) } else { close(reason: .peerClosed) }
        case .processed(let n):
            readCount &+= UInt64(n)
            deliver(UnsafeRawBufferPointer(rebasing: loop.readBuffer[0..<n]))
        }
    }

    public func handleHangup(error: Bool) {
        if error {
            let code = takePendingSocketError(fd)
            closeAfterSocketError(IOError(errnoCode: code == 0 ? ECONNRESET : code, function: "socket"))
            return
        }
        // Both directions are shut: take what input is left, then go.
        if state == .open && !inputEnded && !readPaused { handleReadable() }
        close(reason: .peerClosed)
    }

    func deliver(_ fresh: UnsafeRawBufferPointer) {
        guard let delegate else { return }
        if inbound.isEmpty {
            let consumed = delegate.connection(self, didRead: fresh)
            guard state == .open else { return }
            if consumed < fresh.count { inbound.append(contentsOf: fresh[consumed...]) }
        } else {
            inbound.append(contentsOf: fresh)
            redeliverBuffered()
            guard state == .open else { return }
        }
        if limits.maxInboundBytes > 0 && inbound.count > limits.maxInboundBytes {
            close(reason: .inboundOverflow)
        }
    }

    /// Offers the kept input to the delegate again.
    func redeliverBuffered() {
        guard let delegate, !inbound.isEmpty else { return }
        // Take the buffer out so the delegate may close us (which clears it)
        // without overlapping access.
        var buffer = inbound
        inbound = []
        let consumed = buffer.withUnsafeBytes { delegate.connection(self, didRead: $0) }
        guard state == .open else { return }
        if consumed > 0 { buffer.removeFirst(consumed) }
        inbound = buffer
    }

    /// Stops reading (for flood control): input stays in the kernel, which
    /// in turn slows the peer down.
    public func pauseReading() {
        loop.assertInLoop()
        guard state == .open, !readPaused else { return }
        readPaused = true
        updateInterest()
    }

    /// Reads again. Input kept from before is offered to the delegate at once,
    /// before this returns; it may pause (or close) again from there.
    public func resumeReading() {
        loop.assertInLoop()
        guard state == .open, readPaused else { return }
        readPaused = false
        // Directly, not through `execute`: we are on the loop thread already,
        // and a task would cost an eventfd write and wake-up per resume.
        // During the delegate's own `didRead` the kept input is out of
        // `inbound` (see `redeliverBuffered`), so this never nests a delivery.
        redeliverBuffered()
        // Only now: if the delegate paused again, read interest never went
        // on and off in the kernel.
        guard state == .open, !readPaused else { return }
        updateInterest()
        if let tls { resumePendingTLSInput(tls) }
    }

    public var isReadingPaused: Bool { readPaused }
}
