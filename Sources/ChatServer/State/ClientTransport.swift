import CoreLoop

/// Where a client's bytes go: a socket in the daemon, memory in tests.
///
/// Thread-safety: loop thread only.
public protocol ClientTransport: AnyObject {
    /// Queues bytes for the client; false if the transport is closed or just
    /// closed itself over the send-queue limit.
    @discardableResult
    func send(_ chunk: ByteChunk) -> Bool
    /// Queues a copy of bytes meant for this client alone (replies); a
    /// socket coalesces these into one block rather than a chunk each.
    @discardableResult
    func send(copying bytes: UnsafeRawBufferPointer) -> Bool
    /// Closes the transport; with `afterFlush` what is queued goes out first.
    func close(reason: String, afterFlush: Bool)
    /// Bytes queued and not yet sent.
    var queuedBytes: Int { get }
    /// Input received and not yet processed, including what the kernel holds.
    var pendingInputBytes: Int { get }
    /// Bytes received from and sent to the peer so far.
    var bytesIn: UInt64 { get }
    var bytesOut: UInt64 { get }
    /// Stop and restart taking input (flood throttling).
    func pauseReading()
    func resumeReading()
    /// Whether the bytes cross the network encrypted (TLS); WHOIS says so (671).
    var isSecure: Bool { get }
    /// The SHA-256 fingerprint of the client's TLS certificate, once the
    /// handshake is done, if it sent one (SASL EXTERNAL, CertFP).
    var peerCertificateFingerprint: String? { get }
    /// Calls `callback` once, on the loop thread, when at most
    /// `queuedAtMost` bytes are queued (after a flush; `StreamConnection.
    /// notifyWhenWritable`), so a producer (the download pump) can write
    /// more without polling. Returns false if it will never call: the
    /// transport is closed, or cannot tell (the default; the caller then
    /// comes back on its own).
    @discardableResult
    func notifyWhenWritable(queuedAtMost: Int, _ callback: @escaping () -> Void) -> Bool
    /// Queued bytes past which the transport closes itself ("SendQ
    /// exceeded", `limits.sendQueueBytes` for sockets); 0: no limit (the
    /// default). A producer that fills the queue on purpose (the download
    /// pump) stays well under it.
    var sendQueueLimit: Int { get }
    /// Whether bytes sent now can still reach the peer (false once closing
    /// or closed); true for a transport that cannot tell (the default).
    var isOpen: Bool { get }
    /// Whether an STS policy (`sts` in CAP LS) applies: its `port` is an IRC
    /// TLS listener, which a raw IRC client can move to and a WebSocket
    /// client cannot (the default: true).
    var takesSTSPolicy: Bool { get }
}

extension ClientTransport {
    public func send(copying bytes: UnsafeRawBufferPointer) -> Bool { send(ByteChunk(bytes)) }
    public var isSecure: Bool { false }
    public var peerCertificateFingerprint: String? { nil }
    public func notifyWhenWritable(queuedAtMost: Int, _ callback: @escaping () -> Void) -> Bool { false }
    public var sendQueueLimit: Int { 0 }
    public var isOpen: Bool { true }
    public var takesSTSPolicy: Bool { true }
}
