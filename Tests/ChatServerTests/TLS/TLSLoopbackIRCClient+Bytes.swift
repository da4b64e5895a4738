import CTLS
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Raw bytes over the TLS client, for speaking HTTP and WebSocket through it
/// (the line methods are for IRC). Use one or the other on a client: these
/// do not share the line buffer.
///
/// Thread-safety: the test thread that made the client.
extension TLSLoopbackIRCClient {
    func write(_ bytes: [UInt8]) throws {
        let n = bytes.withUnsafeBytes { SSL_write(ssl, $0.baseAddress, Int32($0.count)) }
        guard n == bytes.count else { throw Failure(description: "SSL_write failed") }
    }

    /// Whatever arrives next; nil at the end of the stream. Throws after `timeout` seconds.
    func readBytes(timeout: Double = 20) throws -> [UInt8]? {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { throw LoopbackTimeout(waitingFor: "bytes over TLS") }
            if SSL_pending(ssl) == 0 {
                var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                if poll(&pfd, 1, Int32(left * 1000) + 1) <= 0 { continue }
            }
            var chunk = [UInt8](repeating: 0, count: 16384)
            let n = chunk.withUnsafeMutableBytes { SSL_read(ssl, $0.baseAddress, Int32($0.count)) }
            if n <= 0 {
                if SSL_get_error(ssl, n) == ctls_error_want_read() { continue }
                return nil
            }
            return Array(chunk[..<Int(n)])
        }
    }
}
