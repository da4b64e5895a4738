import CTLS

/// Why a TLS context could not be built or a TLS connection failed.
///
/// Thread-safety: a value type; any thread.
public enum TLSError: Error, Equatable, CustomStringConvertible {
    /// OpenSSL could not make a context (out of memory, bad settings).
    case context(String)
    /// The certificate file is missing or not PEM.
    case certificate(path: String, reason: String)
    /// The key file is missing, not PEM, or does not match the certificate.
    case privateKey(path: String, reason: String)
    /// A self-signed certificate could not be written.
    case generation(String)
    /// The handshake failed (a bad ClientHello, no shared cipher, a bad peer certificate).
    case handshake(String)
    /// The connection failed after the handshake (a bad record, a reset).
    case connection(String)

    public var description: String {
        switch self {
        case .context(let why): return "TLS context: \(why)"
        case .certificate(let path, let why): return "TLS certificate \(path): \(why)"
        case .privateKey(let path, let why): return "TLS key \(path): \(why)"
        case .generation(let why): return "TLS certificate generation: \(why)"
        case .handshake(let why): return "TLS handshake failed: \(why)"
        case .connection(let why): return "TLS error: \(why)"
        }
    }

    /// Empties this thread's OpenSSL error queue and returns its entries as
    /// text; the queue is per thread, and a stale entry would be blamed on
    /// the next connection that fails on it.
    static func drainOpenSSLErrors() -> String {
        var parts: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            if parts.count < 4 { parts.append(String(cString: buffer)) }
        }
        return parts.isEmpty ? "unknown error" : parts.joined(separator: "; ")
    }
}
