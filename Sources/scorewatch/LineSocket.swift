import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A TCP connection read line by line with poll deadlines (IPv4 loopback or
/// any IPv4 address).
///
/// Thread-safety: one thread.
final class LineSocket {
    private let fd: Int32
    private var buffer: [UInt8] = []

    init(host: String, port: UInt16) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = try IPv4.address(host, port)
        let ok = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard ok == 0 else { close(fd); throw ValidationError("cannot connect to \(host):\(port): \(String(cString: strerror(errno)))") }
    }

    deinit { close(fd) }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw ValidationError("connection lost") }
            sent += n
        }
    }

    /// One line, or nil if none arrives within `timeout` seconds.
    func readLine(timeout: Double) throws -> String? {
        let deadline = Date().addingTimeInterval(max(0, timeout))
        while true {
            if let lf = buffer.firstIndex(of: 0x0A) {
                let end = lf > 0 && buffer[lf - 1] == 0x0D ? lf - 1 : lf
                defer { buffer.removeFirst(lf + 1) }
                return String(decoding: buffer[..<end], as: UTF8.self)
            }
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let wait = Int32(max(0, deadline.timeIntervalSinceNow) * 1000)
            guard poll(&pfd, 1, wait) > 0 else { return nil }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, 4096, 0) }
            guard n > 0 else { throw ValidationError("the server closed the connection") }
            buffer += chunk[..<n]
            // A server line is at most a few kilobytes; more without LF is not IRC.
            guard buffer.count < 65536 else { throw ValidationError("overlong line from the server") }
        }
    }
}

/// IPv4 socket addresses from text.
enum IPv4 {
    static func address(_ host: String, _ port: UInt16) throws -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        let name = host == "localhost" ? "127.0.0.1" : host
        guard inet_pton(AF_INET, name, &address.sin_addr) == 1 else { throw ValidationError("\(host) is not an IPv4 address") }
        return address
    }
}
