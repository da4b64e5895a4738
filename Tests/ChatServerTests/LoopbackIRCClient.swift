@testable import ChatServer
import CoreLoop
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A blocking IRC client over loopback for integration tests. Every read has
/// a deadline; nothing sleeps for a fixed time.
final class LoopbackIRCClient {
    let fd: Int32
    private var buffer: [UInt8] = []
    private(set) var received: [String] = []

    init(port: Int, receiveBuffer: Int32? = nil) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        if var size = receiveBuffer {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        let address = try SocketAddress(host: "127.0.0.1", port: port)
        guard address.withSockAddr({ connect(fd, $0, $1) }) == 0 else {
            let code = errno
            close(fd)
            throw IOError(errnoCode: code, function: "connect")
        }
    }

    deinit { close(fd) }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw IOError(errnoCode: errno, function: "send") }
            sent += n
        }
    }

    func line(_ text: String) throws { try send(text + "\r\n") }

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
            guard left > 0 else { throw LoopbackTimeout(waitingFor: "a line") }
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, Int32(left * 1000) + 1)
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, 65536, 0) }
            if n == 0 { return nil }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                if errno == ECONNRESET { return nil }
                throw IOError(errnoCode: errno, function: "recv")
            }
            buffer += chunk[..<n]
        }
    }

    /// Reads until a line satisfies `predicate`; returns it.
    @discardableResult
    func waitFor(_ what: String, timeout: Double = 20, _ predicate: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let left = deadline.timeIntervalSinceNow
            guard left > 0, let line = try readLine(timeout: left) else { throw LoopbackTimeout(waitingFor: what) }
            if predicate(line) { return line }
        }
    }

    /// Reads a whole CAP LS reply, which 302 may cut into several lines
    /// (all but the last marked `*`); returns the lines joined.
    @discardableResult
    func waitForCapLS(timeout: Double = 20) throws -> String {
        var lines: [String] = []
        try waitFor("CAP LS", timeout: timeout) { line in
            guard line.contains(" CAP "), line.contains(" LS ") else { return false }
            lines.append(line)
            return !line.contains(" LS * ")
        }
        return lines.joined(separator: "\n")
    }

    /// Reads until a numeric reply with one of `codes` (matched on the
    /// command word: the digits may well appear in a message's text).
    @discardableResult
    func waitForNumeric(_ codes: String..., timeout: Double = 20) throws -> String {
        try waitFor("numeric \(codes)", timeout: timeout) { line in
            (try? IRCMessage(parsing: line)).map { codes.contains($0.command) } ?? false
        }
    }

    /// Registers and waits for the end of the MOTD.
    func register(_ nick: String) throws {
        try line("NICK \(nick)")
        try line("USER \(nick) 0 * :\(nick)")
        try waitForNumeric("376", "422")
    }

    /// Reads until the server closes; returns the lines read.
    func readToEnd(timeout: Double = 20) throws -> [String] {
        var lines: [String] = []
        let deadline = Date().addingTimeInterval(timeout)
        while let line = try readLine(timeout: max(0.01, deadline.timeIntervalSinceNow)) { lines.append(line) }
        return lines
    }
}

struct LoopbackTimeout: Error, CustomStringConvertible {
    let waitingFor: String
    var description: String { "timed out waiting for \(waitingFor)" }
}
