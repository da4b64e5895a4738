import CTLS

/// SHA-1 for the handshake's `Sec-WebSocket-Accept` only (RFC 6455 fixes the
/// algorithm; it is no security boundary here), from OpenSSL, which the
/// process links for TLS anyway.
///
/// Thread-safety: stateless; any thread.
enum SHA1 {
    static func digest(_ bytes: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 20)
        var length: UInt32 = 0
        let ok = bytes.withUnsafeBytes { input in
            out.withUnsafeMutableBufferPointer { EVP_Digest(input.baseAddress, input.count, $0.baseAddress, &length, EVP_sha1(), nil) }
        }
        precondition(ok == 1 && length == 20, "OpenSSL SHA-1 failed")
        return out
    }
}
