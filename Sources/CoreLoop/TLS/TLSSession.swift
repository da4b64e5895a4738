import CTLS
#if canImport(Glibc)
import Glibc
#endif

/// One TLS session over a nonblocking socket: OpenSSL reads and writes the
/// descriptor itself, and each step answers `wantRead`/`wantWrite` instead of
/// blocking, which the owning `StreamConnection` turns into epoll interest.
///
/// Transport-agnostic: it knows a descriptor and bytes, nothing of IRC or HTTP.
///
/// Thread-safety: loop thread only (the thread of the connection that owns it).
/// OpenSSL's error queue is per thread, and every step clears it first.
public final class TLSSession {
    /// The `SSL *`.
    private let ssl: OpaquePointer
    /// Keeps the context (and its ALPN list) alive as long as the session.
    public let context: TLSContext
    public var isEstablished: Bool { established }
    /// Internal behind `isEstablished`: see `StreamConnection.descriptor`.
    private var established = false
    /// After the handshake: the peer's certificate fingerprint (SHA-256,
    /// lowercase hex), if it presented one.
    public private(set) var peerCertificateFingerprint: String?
    /// After the handshake: "TLSv1.3" and the like.
    public private(set) var protocolVersion: String?
    /// After the handshake: the cipher suite's name.
    public private(set) var cipherName: String?
    /// After the handshake: the ALPN protocol agreed on, if any.
    public private(set) var negotiatedProtocol: String?
    /// After the handshake: whether a session ticket resumed an earlier session.
    public private(set) var sessionReused = false
    /// `SSL_write` calls made: the batching a flush promises (one per
    /// gathered region, not one per queued line) is visible here.
    public private(set) var writeCalls: UInt64 = 0

    // A read that needed the socket writable (or a write that needed it
    // readable): the connection watches for that, and retries the step.
    var readWantsWrite = false
    /// The connection's handshake deadline and its timer (StreamConnection+TLS.swift).
    var handshakeTimeout = Nanoseconds.seconds(10)
    var handshakeTimer: TimerHandle?
    /// A zero-delay read is scheduled for plaintext OpenSSL holds (resumePendingTLSInput).
    var pendingReadScheduled = false
    var writeWantsRead = false
    /// While handshaking: whether the next step waits for writability.
    var handshakeWantsWrite = false

    /// A session on `fd` (which the caller keeps owning and closes).
    public init(context: TLSContext, fd: Int32, serverName: String? = nil) throws {
        ERR_clear_error()
        guard let ssl = SSL_new(context.raw) else { throw TLSError.context(TLSError.drainOpenSSLErrors()) }
        self.ssl = ssl
        self.context = context
        guard SSL_set_fd(ssl, fd) == 1 else { throw TLSError.context(TLSError.drainOpenSSLErrors()) }
        if context.isServer {
            SSL_set_accept_state(ssl)
        } else {
            if let serverName { _ = ctls_set_tlsext_host_name(ssl, serverName) }
            SSL_set_connect_state(ssl)
        }
    }

    deinit { SSL_free(ssl) }

    /// Plaintext OpenSSL has decrypted and we have not read yet: epoll cannot
    /// see it, so the connection must come back for it itself.
    public var pendingPlaintext: Int { Int(SSL_pending(ssl)) }

    /// Advances the handshake.
    public func handshake() -> TLSIOResult {
        ERR_clear_error()
        let rc = SSL_do_handshake(ssl)
        if rc == 1 {
            established = true
            handshakeWantsWrite = false
            recordSessionDetails()
            return .done(0)
        }
        let result = classify(rc, during: true)
        if result == .wantWrite { handshakeWantsWrite = true }
        if result == .wantRead { handshakeWantsWrite = false }
        return result
    }

    /// Reads decrypted bytes into `buffer`.
    public func read(into buffer: UnsafeMutableRawBufferPointer) -> TLSIOResult {
        ERR_clear_error()
        let rc = SSL_read(ssl, buffer.baseAddress, Int32(clamping: buffer.count))
        return rc > 0 ? .done(Int(rc)) : classify(rc, during: false)
    }

    /// Encrypts and sends `bytes`: `.done(bytes.count)` once every record is
    /// out. After `wantWrite`, OpenSSL remembers how far it got, and the next
    /// call must offer the same bytes again (more may follow them), which a
    /// queue that only drops what was reported written does.
    public func write(_ bytes: UnsafeRawBufferPointer) -> TLSIOResult {
        guard bytes.count > 0 else { return .done(0) }
        ERR_clear_error()
        writeCalls &+= 1
        let rc = SSL_write(ssl, bytes.baseAddress, Int32(clamping: bytes.count))
        return rc > 0 ? .done(Int(rc)) : classify(rc, during: false)
    }

    /// Sends close_notify if the socket takes it now; never waits for the
    /// peer's (the descriptor is closed right after).
    public func shutdown() {
        guard isEstablished else { return }
        ERR_clear_error()
        _ = SSL_shutdown(ssl)
        ERR_clear_error()
    }

    private func classify(_ rc: Int32, during handshake: Bool) -> TLSIOResult {
        let savedErrno = errno
        let code = SSL_get_error(ssl, rc)
        switch code {
        case ctls_error_want_read():
            return .wantRead
        case ctls_error_want_write():
            return .wantWrite
        case ctls_error_zero_return():
            return .closed
        case ctls_error_syscall():
            let queued = TLSError.drainOpenSSLErrors()
            // EOF without close_notify (OpenSSL 3 reports it as SSL_ERROR_SSL
            // "unexpected eof" unless the option is set; both are a close).
            if savedErrno == 0 && queued == "unknown error" {
                return handshake ? .failed(.handshake("connection closed by peer")) : .closed
            }
            let why = savedErrno != 0 ? String(cString: strerror(savedErrno)) : queued
            return .failed(handshake ? .handshake(why) : .connection(why))
        default:
            let why = TLSError.drainOpenSSLErrors()
            if !handshake && why.contains("unexpected eof") { return .closed }
            return .failed(handshake ? .handshake(why) : .connection(why))
        }
    }

    private func recordSessionDetails() {
        if let version = SSL_get_version(ssl) { protocolVersion = String(cString: version) }
        if let cipher = SSL_get_current_cipher(ssl), let name = SSL_CIPHER_get_name(cipher) {
            cipherName = String(cString: name)
        }
        var alpn: UnsafePointer<UInt8>?
        var alpnLength: UInt32 = 0
        SSL_get0_alpn_selected(ssl, &alpn, &alpnLength)
        if let alpn, alpnLength > 0 {
            negotiatedProtocol = String(decoding: UnsafeBufferPointer(start: alpn, count: Int(alpnLength)), as: UTF8.self)
        }
        sessionReused = SSL_session_reused(ssl) == 1
        if let cert = ctls_peer_certificate(ssl) {
            peerCertificateFingerprint = TLSContext.sha256Hex(of: cert)
            X509_free(cert)
        }
    }
}
