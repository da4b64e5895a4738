import CoreLoop
import CTLS
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A blocking IRC client over TLS for integration tests, written on
/// OpenSSL's client side directly (not on our server code): the same
/// `line`/`readLine`/`waitFor` as `LoopbackIRCClient`, every read with a
/// deadline.
///
/// Thread-safety: the test thread that made it.
final class TLSLoopbackIRCClient {
    struct Failure: Error, CustomStringConvertible { let description: String }

    let fd: Int32
    private let context: OpaquePointer
    let ssl: OpaquePointer
    private var buffer: [UInt8] = []
    /// Every line read, for failure messages.
    private(set) var received: [String] = []
    /// SHA-256 of the server's certificate, lowercase hex.
    let serverFingerprint: String

    init(port: Int, certificateFile: String? = nil, keyFile: String? = nil) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        // A bound on every blocking call, so a broken server fails the test instead of hanging it.
        var limit = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        let address = try SocketAddress(host: "127.0.0.1", port: port)
        guard address.withSockAddr({ connect(fd, $0, $1) }) == 0 else {
            let code = errno
            close(fd)
            throw IOError(errnoCode: code, function: "connect")
        }
        let context = ctls_client_context_new()!
        if let certificateFile, let keyFile {
            SSL_CTX_use_certificate_chain_file(context, certificateFile)
            SSL_CTX_use_PrivateKey_file(context, keyFile, SSL_FILETYPE_PEM)
        }
        let ssl = SSL_new(context)!
        self.context = context
        self.ssl = ssl
        SSL_set_fd(ssl, fd)
        guard SSL_connect(ssl) == 1 else {
            SSL_free(ssl)
            SSL_CTX_free(context)
            close(fd)
            throw Failure(description: "TLS handshake failed")
        }
        var digest = [UInt8](repeating: 0, count: 32)
        if let cert = ctls_peer_certificate(ssl) {
            _ = ctls_certificate_sha256(cert, &digest)
            X509_free(cert)
        }
        serverFingerprint = digest.map { String(format: "%02x", $0) }.joined()
    }

    deinit {
        SSL_free(ssl)
        SSL_CTX_free(context)
        close(fd)
    }

    func line(_ text: String) throws {
        let bytes = Array((text + "\r\n").utf8)
        let n = bytes.withUnsafeBytes { SSL_write(ssl, $0.baseAddress, Int32($0.count)) }
        guard n == bytes.count else { throw Failure(description: "SSL_write failed") }
    }

    /// Reads one line; nil at end of stream. Throws after `timeout` seconds.
    func readLine(timeout: Double = 20) throws -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let lf = buffer.firstIndex(of: 0x0A) {
                var end = lf
                if end > 0 && buffer[end - 1] == 0x0D { end -= 1 }
                let text = String(decoding: buffer[..<end], as: UTF8.self)
                buffer.removeFirst(lf + 1)
                received.append(text)
                return text
            }
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { throw LoopbackTimeout(waitingFor: "a line over TLS, after \(received.suffix(3))") }
            if SSL_pending(ssl) == 0 {
                var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                let ready = poll(&pfd, 1, Int32(left * 1000) + 1)
                if ready <= 0 { continue }
            }
            var chunk = [UInt8](repeating: 0, count: 16384)
            let n = chunk.withUnsafeMutableBytes { SSL_read(ssl, $0.baseAddress, Int32($0.count)) }
            if n <= 0 {
                let code = SSL_get_error(ssl, n)
                if code == ctls_error_want_read() { continue }
                return nil
            }
            buffer += chunk[..<Int(n)]
        }
    }

    /// Reads until a line satisfies `predicate`; returns it.
    @discardableResult
    func waitFor(_ what: String, timeout: Double = 20, _ predicate: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let left = deadline.timeIntervalSinceNow
            guard left > 0, let line = try readLine(timeout: left) else {
                throw LoopbackTimeout(waitingFor: "\(what), after \(received.suffix(3))")
            }
            if predicate(line) { return line }
        }
    }
}
