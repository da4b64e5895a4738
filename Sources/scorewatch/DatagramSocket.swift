import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A connected UDP socket: sends to the server's score port and receives
/// only from it (the kernel filters other senders).
///
/// Thread-safety: one thread.
final class DatagramSocket {
    private let fd: Int32

    init(host: String, port: UInt16) throws {
        fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        var address = try IPv4.address(host, port)
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
    }

    deinit { close(fd) }

    func send(_ bytes: [UInt8]) throws {
        _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, 0) }
    }

    /// One datagram, or nil if none arrives within `timeout` seconds.
    func receive(timeout: Double) -> [UInt8]? {
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&pfd, 1, Int32(timeout * 1000)) > 0 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, 4096, 0) }
        return n > 0 ? Array(buffer[..<n]) : nil
    }
}
