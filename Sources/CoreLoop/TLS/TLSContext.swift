import CTLS
#if canImport(Glibc)
import Glibc
#endif

/// Settings shared by many TLS connections: certificate and key, protocol
/// floor (TLS 1.2), no renegotiation, session tickets, ALPN. Building one
/// reads files, so do it before the loop runs or on a worker, then hand it
/// to the loop; a reload builds a new context for new connections while the
/// old one lives on in the connections that use it.
///
/// Transport-agnostic: anything on a `StreamConnection` can use it (IRC now,
/// HTTP/WebSocket later through ALPN "http/1.1").
///
/// Thread-safety: immutable after init; OpenSSL's `SSL_CTX` is reference
/// counted and safe to share between threads, so any thread may hold it.
public final class TLSContext: @unchecked Sendable {
    /// The `SSL_CTX *`.
    let raw: OpaquePointer
    /// Whether connections made from it accept (server) or connect (client).
    public let isServer: Bool
    /// SHA-256 of our own certificate (lowercase hex, no colons), if we have one.
    public let certificateFingerprint: String?
    /// The ALPN list handed to OpenSSL's selection callback, which keeps a
    /// pointer to it for the context's life.
    private let alpnWire: UnsafeMutablePointer<UInt8>?

    /// A server context from PEM files: the certificate file may hold the
    /// chain after the leaf. `alpn` lists protocols in order of preference
    /// ("http/1.1"); a client that offers none of them still connects.
    /// With `requestClientCertificate` clients are asked for a certificate
    /// (any is accepted: it is an identity for CertFP, not a CA chain).
    public static func server(certificateFile: String, keyFile: String, alpn: [String] = [],
                              requestClientCertificate: Bool = true) throws -> TLSContext {
        guard let ctx = ctls_server_context_new() else { throw TLSError.context(TLSError.drainOpenSSLErrors()) }
        if SSL_CTX_use_certificate_chain_file(ctx, certificateFile) != 1 {
            SSL_CTX_free(ctx)
            throw TLSError.certificate(path: certificateFile, reason: TLSError.drainOpenSSLErrors())
        }
        if SSL_CTX_use_PrivateKey_file(ctx, keyFile, SSL_FILETYPE_PEM) != 1 {
            SSL_CTX_free(ctx)
            throw TLSError.privateKey(path: keyFile, reason: TLSError.drainOpenSSLErrors())
        }
        if SSL_CTX_check_private_key(ctx) != 1 {
            SSL_CTX_free(ctx)
            throw TLSError.privateKey(path: keyFile, reason: "does not match the certificate (\(TLSError.drainOpenSSLErrors()))")
        }
        if requestClientCertificate { ctls_request_client_certificate(ctx) }
        let fingerprint = SSL_CTX_get0_certificate(ctx).flatMap { Self.sha256Hex(of: $0) }
        return TLSContext(raw: ctx, isServer: true, fingerprint: fingerprint, alpn: alpn)
    }

    /// A client context (tests, benchmarks, tools). It does not verify the
    /// server (loopback, self-signed); pass a certificate and key to present
    /// one (CertFP).
    public static func client(certificateFile: String? = nil, keyFile: String? = nil) throws -> TLSContext {
        guard let ctx = ctls_client_context_new() else { throw TLSError.context(TLSError.drainOpenSSLErrors()) }
        var fingerprint: String?
        if let certificateFile, let keyFile {
            guard SSL_CTX_use_certificate_chain_file(ctx, certificateFile) == 1 else {
                SSL_CTX_free(ctx)
                throw TLSError.certificate(path: certificateFile, reason: TLSError.drainOpenSSLErrors())
            }
            guard SSL_CTX_use_PrivateKey_file(ctx, keyFile, SSL_FILETYPE_PEM) == 1 else {
                SSL_CTX_free(ctx)
                throw TLSError.privateKey(path: keyFile, reason: TLSError.drainOpenSSLErrors())
            }
            fingerprint = SSL_CTX_get0_certificate(ctx).flatMap { Self.sha256Hex(of: $0) }
        }
        return TLSContext(raw: ctx, isServer: false, fingerprint: fingerprint, alpn: [])
    }

    private init(raw: OpaquePointer, isServer: Bool, fingerprint: String?, alpn: [String]) {
        // OpenSSL's socket BIO writes with write(2), not send(MSG_NOSIGNAL)
        // as our plain path does: a peer that resets would raise SIGPIPE.
        SignalSource.ignoreSIGPIPE()
        self.raw = raw
        self.isServer = isServer
        self.certificateFingerprint = fingerprint
        if isServer, let wire = Self.alpnWireFormat(alpn) {
            // 2-byte little-endian length, then the RFC 7301 list.
            let buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: wire.count + 2)
            buffer[0] = UInt8(wire.count & 0xff)
            buffer[1] = UInt8(wire.count >> 8)
            for (i, byte) in wire.enumerated() { buffer[i + 2] = byte }
            alpnWire = buffer
            ctls_set_alpn_protocols(raw, buffer)
        } else {
            alpnWire = nil
        }
    }

    deinit {
        SSL_CTX_free(raw)
        alpnWire?.deallocate()
    }

    /// RFC 7301's wire list: each name prefixed by its length. Names must be
    /// 1–255 bytes; nil when there is nothing valid to offer.
    static func alpnWireFormat(_ names: [String]) -> [UInt8]? {
        var wire: [UInt8] = []
        for name in names {
            let bytes = Array(name.utf8)
            guard (1...255).contains(bytes.count) else { continue }
            wire.append(UInt8(bytes.count))
            wire.append(contentsOf: bytes)
        }
        return wire.isEmpty || wire.count > 0xffff ? nil : wire
    }

    /// The SHA-256 fingerprint of a certificate, lowercase hex without
    /// colons: the form IRC servers use for CertFP.
    static func sha256Hex(of certificate: OpaquePointer) -> String? {
        var digest = [UInt8](repeating: 0, count: 32)
        guard ctls_certificate_sha256(certificate, &digest) == 1 else { return nil }
        return digest.map { hexByte($0) }.joined()
    }

    static func hexByte(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xf)]])
    }

    /// The SHA-256 fingerprint of the first certificate in a PEM file (file
    /// I/O: not on the loop).
    public static func fingerprint(ofCertificateFile path: String) throws -> String {
        guard let cert = ctls_read_certificate_file(path) else {
            throw TLSError.certificate(path: path, reason: TLSError.drainOpenSSLErrors())
        }
        defer { X509_free(cert) }
        guard let hex = sha256Hex(of: cert) else { throw TLSError.certificate(path: path, reason: "cannot hash it") }
        return hex
    }

    /// Writes a new self-signed ECDSA P-256 certificate and its key (mode
    /// 0600) for `commonName`, valid for `days`. Blocking file I/O: call it
    /// before the loop runs or on a worker. Returns the fingerprint.
    @discardableResult
    public static func writeSelfSigned(commonName: String, days: Int = 825,
                                       certificateFile: String, keyFile: String) throws -> String {
        guard ctls_write_self_signed(commonName, Int32(clamping: days), certificateFile, keyFile) == 1 else {
            let why = TLSError.drainOpenSSLErrors()
            throw TLSError.generation(why == "unknown error" ? String(cString: strerror(errno)) : why)
        }
        return try fingerprint(ofCertificateFile: certificateFile)
    }

    /// `ab12…` as `AB:12:…`, the form `openssl x509 -fingerprint` prints and
    /// irssi's `-tls_pinned_cert` takes.
    public static func colonSeparated(_ hex: String) -> String {
        var out = ""
        for (i, ch) in hex.uppercased().enumerated() {
            if i > 0 && i % 2 == 0 { out.append(":") }
            out.append(ch)
        }
        return out
    }
}
