import CEpoll
#if canImport(Glibc)
import Glibc
#endif

/// A nonblocking stream socket (TCP or Unix-domain) driven by an `EventLoop`.
///
/// Input: each readable event reads at most `limits.maxReadPerTurn` bytes and
/// hands them to the delegate, which consumes whole frames; the unconsumed
/// tail is kept, bounded by `limits.maxInboundBytes`.
///
/// Output: `write` appends shared `ByteChunk`s to a queue and asks the loop for
/// a flush in its before-sleep phase, where one `writev` batch goes out.
/// `EPOLLOUT` is armed only while bytes remain after that. Crossing the water
/// marks tells the delegate; passing the hard limit closes the connection with
/// `.sendQueueExceeded`. A producer that wants to hear when it may write more
/// asks `notifyWhenWritable` (StreamConnection+Writable.swift).
///
/// TLS: with `enableTLS` (before `start`), a `TLSSession` sits under the
/// reads and writes (StreamConnection+TLS.swift): the delegate sees only
/// plaintext, the queue and its limits hold plaintext, and a flush gathers
/// the queue into one `SSL_write`. Byte counters count plaintext then.
///
/// Closing: `close(reason:)` is idempotent, the delegate hears about it exactly
/// once, and afterwards every call is a no-op: the descriptor is gone.
///
/// Thread-safety: loop thread only.
public final class StreamConnection: Selectable, BeforeSleepFlushable {
    enum State { case idle, open, closing, closed }

    public let loop: EventLoop
    public let id: UInt64
    public let peer: SocketAddress?
    /// The limits, shared with the other connections of the same listener.
    public var limits: ConnectionLimits { sharedLimits.value }
    private let sharedLimits: SharedConnectionLimits
    /// Receives input and lifecycle events. Weak when set here (a delegate
    /// that holds its connection, such as a client library's, goes when its
    /// owner lets go of it); `own(delegate:)` makes it the connection's own.
    public var delegate: StreamConnectionDelegate? {
        get { ownedDelegate ?? weakDelegate }
        set { weakDelegate = newValue; ownedDelegate = nil }
    }
    private weak var weakDelegate: StreamConnectionDelegate?
    /// Held strongly until the connection closes (the close lets go of it
    /// after `connectionDidClose`), so a delegate that holds its connection
    /// makes a cycle the close breaks. Not weak: a weak reference gives the
    /// delegate a side table, and then every retain and release of it
    /// anywhere takes the runtime's slow path (chatd's client transport is
    /// retained for every reply line and every member of a broadcast).
    private var ownedDelegate: StreamConnectionDelegate?

    /// Makes `delegate` the connection's delegate and its own: nothing else
    /// needs to hold it (a server's per-connection handler).
    public func own(delegate: StreamConnectionDelegate) {
        weakDelegate = nil
        ownedDelegate = delegate
    }

    /// The descriptor; -1 once closed. Other modules read it through `fd`.
    /// The stored properties behind a public read (`descriptor`,
    /// `readCount`, `tlsSession`) are internal: a public stored property of
    /// a class keeps a runtime exclusivity check on every access, even in
    /// this module, because the optimizer cannot see what other modules do
    /// with it. Internal, every access is in view and the check goes.
    var descriptor: Int32
    public var fd: Int32 { descriptor }
    private var token: UInt64 = 0
    // Unchecked: `write` runs once per recipient of every broadcast, and the
    // dynamic exclusivity checks on these five fields were a quarter of a
    // fan-out's instructions. Sound because only the loop thread touches
    // them and no access spans a call that could reach them again: the
    // queue's methods only move references and bytes, and callbacks to the
    // delegate are made between accesses, never inside one.
    @exclusivity(unchecked) var state: State = .idle
    var inbound: [UInt8] = []
    @exclusivity(unchecked) var outbound = OutboundQueue()
    @exclusivity(unchecked) private var flushScheduled = false
    var readPaused = false
    var inputEnded = false
    @exclusivity(unchecked) private var aboveHighWater = false
    private var closeTimer: TimerHandle?
    /// Callers of `notifyWhenWritable` (StreamConnection+Writable.swift).
    var writableWaiters: [WritableWaiter] = []
    var pendingReason: CloseReason = .peerClosed

    var readCount: UInt64 = 0
    public var bytesRead: UInt64 { readCount }
    @exclusivity(unchecked) public internal(set) var bytesWritten: UInt64 = 0

    /// The TLS session under this connection, if `enableTLS` put one there;
    /// the handshake's timer lives in it, so a plaintext connection pays for
    /// none of it.
    var tlsSession: TLSSession?
    public var tls: TLSSession? { tlsSession }

    /// Wraps an open nonblocking descriptor; call `start()` to begin reading.
    public convenience init(fd: Int32, loop: EventLoop, peer: SocketAddress?, limits: ConnectionLimits = ConnectionLimits()) {
        self.init(fd: fd, loop: loop, peer: peer, sharedLimits: SharedConnectionLimits(limits))
    }

    /// As above, with limits shared with other connections (a listener's).
    public init(fd: Int32, loop: EventLoop, peer: SocketAddress?, sharedLimits: SharedConnectionLimits) {
        self.descriptor = fd
        self.loop = loop
        self.peer = peer
        self.sharedLimits = sharedLimits
        self.id = loop.nextConnectionID
        loop.nextConnectionID += 1
    }

    deinit {
        if fd >= 0 { closeDescriptor(fd) }
    }

    public var isOpen: Bool { state == .open }
    public var isClosed: Bool { state == .closed }
    /// Bytes queued and not yet taken by the kernel.
    public var outboundBytes: Int { outbound.byteCount }
    /// Bytes received but not yet consumed by the delegate.
    public var inboundBytes: Int { inbound.count }
    /// Bytes the kernel holds for us that we have not read yet.
    public var kernelInboundBytes: Int { fd >= 0 ? Int(cepoll_pending_input(fd)) : 0 }

    /// Registers with the loop and starts reading.
    public func start() throws {
        loop.assertInLoop()
        precondition(state == .idle, "start() called twice")
        token = try loop.register(self, fd: fd, interest: .read)
        state = .open
        if let tls { startTLSHandshake(tls) }
    }

    // MARK: Output

    /// Queues `chunk` for sending. Returns false if the connection is closing
    /// or closed, or if this write closed it by passing the hard limit.
    @discardableResult
    public func write(_ chunk: ByteChunk) -> Bool {
        loop.assertInLoop()
        guard state == .open else { return false }
        outbound.append(chunk)
        return didQueue()
    }

    /// Queues a copy of `bytes` (coalesced with other small writes to this
    /// connection); for bytes no other connection shares.
    @discardableResult
    public func write(copying bytes: UnsafeRawBufferPointer) -> Bool {
        loop.assertInLoop()
        guard state == .open else { return false }
        outbound.append(copying: bytes)
        return didQueue()
    }

    /// Enforces the queue limits after an append and schedules the flush.
    private func didQueue() -> Bool {
        if limits.outboundHardLimit > 0 && outbound.byteCount > limits.outboundHardLimit {
            overflowed()  // StreamConnection+Overflow.swift
            return false
        }
        if !aboveHighWater && outbound.byteCount >= limits.outboundHighWater {
            aboveHighWater = true
            delegate?.connection(self, writabilityChanged: false)
        }
        scheduleFlush()
        return true
    }

    func scheduleFlush() {
        guard !flushScheduled, state == .open || state == .closing else { return }
        flushScheduled = true
        loop.scheduleFlush(self)
    }

    public func flushBeforeSleep() {
        flushScheduled = false
        flushNow()
    }

    public func handleWritable() {
        if let tls { handleWritableTLS(tls) } else { flushNow() }
        // The kernel said writable: now `sendfile`-style waiters may go too.
        guard !writableWaiters.isEmpty else { return }
        fireWritableWaiters(socketWritable: true)
        updateInterest()  // drops EPOLLOUT if nobody needs it any more
    }

    func flushNow() {
        guard state == .open || state == .closing else { return }
        if let tls {
            guard writeQueuedTLS(tls) else { return }  // it closed us
        } else {
            guard writeQueuedPlain() else { return }
        }
        // An overflowed queue gets one try (its farewell), never a wait:
        // its reader is the one not reading.
        if state == .closing && (outbound.isEmpty || pendingReason == .sendQueueExceeded) {
            finishClose(pendingReason)  // no interest change for a descriptor about to close
            return
        }
        // Before the interest update: a callback's writes may need EPOLLOUT.
        if !writableWaiters.isEmpty {
            fireWritableWaiters(socketWritable: false)
            guard state == .open || state == .closing else { return }
        }
        updateInterest()
        if aboveHighWater && outbound.byteCount <= limits.outboundLowWater {
            aboveHighWater = false
            delegate?.connection(self, writabilityChanged: true)
        }
    }

    /// Chunks up to this size are copied together for one `send` rather than
    /// gathered (an IRC line with tags is at most ~8.7 KB; most are < 200 B).
    static let coalescedChunkBytes = 4096

    /// One `send` of coalesced small chunks, or one `sendmsg` of up to 64
    /// iovecs, per step; false if this closed the connection.
    private func writeQueuedPlain() -> Bool {
        while !outbound.isEmpty {
            let offered: Int
            let result: IOResult<Int>
            do {
                // MSG_NOSIGNAL on both calls, so a reset peer cannot raise
                // SIGPIPE whoever runs the loop. Small lines go out copied into
                // one buffer (the loop's read buffer: no read is in progress
                // while output is flushed), larger chunks as a gather write.
                if let region = outbound.coalescedFront(scratch: loop.readBuffer, smallChunkBytes: Self.coalescedChunkBytes) {
                    offered = region.count
                    result = try syscall("send") { cepoll_send(fd, region.baseAddress, region.count, Int32(MSG_NOSIGNAL)) }
                } else {
                    let (count, gathered) = outbound.gather(into: loop.iovecs)
                    offered = gathered
                    var header = msghdr()
                    header.msg_iov = loop.iovecs.baseAddress
                    header.msg_iovlen = count
                    result = try syscall("sendmsg") { cepoll_sendmsg(fd, &header, Int32(MSG_NOSIGNAL)) }
                }
            } catch let error as IOError {
                closeAfterSocketError(error)
                return false
            } catch { return false }
            guard case .processed(let written) = result else { break }
            outbound.consume(written)
            bytesWritten &+= UInt64(written)
            // A short write means the socket buffer is full: another writev
            // now would only return EAGAIN. EPOLLOUT says when to go on.
            if written < offered { break }
        }
        return true
    }

    func updateInterest() {
        guard state == .open || state == .closing else { return }
        var interest: Interest = []
        if let tls, !tls.isEstablished {
            // Handshaking: only what OpenSSL waits for. Queued output waits
            // for the handshake, so write interest now would only spin.
            interest = tls.handshakeWantsWrite ? .write : .read
        } else {
            if state == .open && !readPaused && !inputEnded { interest.insert(.read) }
            // Also while someone waits to hear of writability: for a
            // caller writing outside the queue, only EPOLLOUT can tell.
            if !outbound.isEmpty || !writableWaiters.isEmpty { interest.insert(.write) }
            if let tls {
                if tls.readWantsWrite { interest.insert(.write) }
                if tls.writeWantsRead { interest.insert(.read) }
            }
        }
        do {
            try loop.setInterest(interest, fd: fd, token: token)
        } catch let error as IOError {
            finishClose(.error(error))
        } catch {}
    }

    // MARK: Closing

    /// Closes the connection. With `afterFlush`, input stops at once and what is
    /// queued is sent first (bounded by `limits.closeFlushTimeout`); without it
    /// queued output is dropped. The delegate hears `reason` exactly once.
    /// A TLS connection whose handshake has not finished closes at once even
    /// with `afterFlush`: its queue could only go out after a handshake the
    /// peer may never complete, and a refused peer (a full server, a limit per
    /// address) would hold the descriptor for the whole flush timeout.
    public func close(reason: CloseReason, afterFlush: Bool = false) {
        loop.assertInLoop()
        switch state {
        case .closed:
            return
        case .closing:
            if !afterFlush { finishClose(reason) }
            return
        case .idle:
            finishClose(reason)
            return
        case .open:
            break
        }
        guard afterFlush, !outbound.isEmpty, tls?.isEstablished ?? true else {
            finishClose(reason)
            return
        }
        state = .closing
        pendingReason = reason
        scheduleFlush()  // the flush before sleep sets the interest it needs
        // Strong: `finishClose` cancels the timer, which drops this closure
        // at once, so the connection is not kept past its close. A weak
        // capture gave every connection closed this way a side table (slow
        // reference counting on it from then on).
        closeTimer = loop.schedule(after: limits.closeFlushTimeout) {
            self.finishClose(.flushTimeout)
        }
    }

    /// The loop is closing: close at once, dropping queued output (no more
    /// turns will flush it). The delegate hears `.local("event loop closed")`.
    public func loopWillClose() {
        close(reason: .local("event loop closed"))
    }

    func closeAfterSocketError(_ error: IOError) {
        switch error.errnoCode {
        case ECONNRESET, EPIPE: close(reason: .reset)
        default: close(reason: .error(error))
        }
    }

    private func finishClose(_ reason: CloseReason) {
        guard state != .closed else { return }
        let wasRegistered = state != .idle
        state = .closed
        if let timer = closeTimer { loop.cancel(timer) }
        closeTimer = nil
        if let tls { endTLS(tls, reason: reason, wasRegistered: wasRegistered) }
        if wasRegistered { loop.deregisterBeforeClose(fd: fd, token: token) }
        closeDescriptor(fd)
        descriptor = -1
        outbound.removeAll()
        inbound = []
        writableWaiters = []  // dropped uncalled, with what they captured
        let delegate = self.delegate
        self.delegate = nil
        delegate?.connectionDidClose(self, reason: reason)
    }
}
