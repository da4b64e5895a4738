import CoreLoop
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A blocking loopback UDP socket for tests; every receive has a deadline.
final class TestUDPSocket {
    let fd: Int32
    let port: Int

    init() {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        let address = try! SocketAddress(host: "127.0.0.1", port: 0)
        _ = address.withSockAddr { bind(fd, $0, $1) }
        self.fd = fd
        port = ListeningSocket.localAddress(of: fd)!.port!
    }

    deinit { close(fd) }

    func send(_ bytes: [UInt8], to port: Int) {
        let address = try! SocketAddress(host: "127.0.0.1", port: port)
        _ = address.withSockAddr { sa, len in bytes.withUnsafeBytes { sendto(fd, $0.baseAddress, $0.count, 0, sa, len) } }
    }

    func send(_ text: String, to port: Int) { send(Array(text.utf8), to: port) }

    /// The next datagram, or nil after `timeout` seconds (0: only what is already there).
    func receive(timeout: Double = 20) -> [UInt8]? {
        var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&pfd, 1, Int32(timeout * 1000)) > 0 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 65536)
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        return n >= 0 ? Array(buffer[..<n]) : nil
    }
}
