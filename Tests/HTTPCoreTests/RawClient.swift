import CoreLoop
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A blocking loopback client for the HTTP tests: sends bytes, reads with
/// a deadline (never a fixed sleep), parses responses.
final class RawClient {
    let fd: Int32
    var buffer: [UInt8] = []

    struct Timeout: Error { let what: String }

    /// - Parameter source: the loopback address to connect from (127.0.0.0/8), as another machine would.
    init(port: Int, source: String? = nil) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        if let source {
            let local = try SocketAddress(host: source, port: 0)
            guard local.withSockAddr({ bind(fd, $0, $1) }) == 0 else {
                let code = errno
                close(fd)
                throw IOError(errnoCode: code, function: "bind")
            }
        }
        let address = try SocketAddress(host: "127.0.0.1", port: port)
        guard address.withSockAddr({ connect(fd, $0, $1) }) == 0 else {
            let code = errno
            close(fd)
            throw IOError(errnoCode: code, function: "connect")
        }
    }

    deinit { close(fd) }

    func send(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw IOError(errnoCode: errno, function: "send") }
            sent += n
        }
    }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    /// Reads more into `buffer`; false at end of stream.
    @discardableResult
    func fill(timeout: Double = 20) throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { throw Timeout(what: "bytes") }
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, Int32(left * 1000) + 1)
            if ready <= 0 { continue }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, 65536, 0) }
            if n == 0 { return false }
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                if errno == ECONNRESET { return false }
                throw IOError(errnoCode: errno, function: "recv")
            }
            buffer += chunk[..<n]
            return true
        }
    }

    /// Reads until `count` bytes are buffered (or the stream ends).
    func read(atLeast count: Int, timeout: Double = 20) throws {
        while buffer.count < count { guard try fill(timeout: timeout) else { return } }
    }

    struct Response {
        var status: Int
        var headers: [String: String]
        var body: [UInt8]
        var text: String { String(decoding: body, as: UTF8.self) }
    }

    /// Reads one response (Content-Length or chunked bodies; none for HEAD
    /// or 1xx/204/304). Nil if the stream ended before a head.
    func response(head isHead: Bool = false, timeout: Double = 20) throws -> Response? {
        var end: Int?
        while end == nil {
            end = Self.find([13, 10, 13, 10], in: buffer)
            if end == nil { guard try fill(timeout: timeout) else { return nil } }
        }
        let headText = String(decoding: buffer[..<end!], as: UTF8.self)
        buffer.removeFirst(end! + 4)
        var lines = headText.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        let status = Int(statusLine[1])!
        var headers: [String: String] = [:]
        for line in lines {
            let parts = line.split(separator: ":", maxSplits: 1)
            headers[parts[0].lowercased()] = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        }
        var body: [UInt8] = []
        if isHead || status < 200 || status == 204 || status == 304 {
        } else if headers["transfer-encoding"] == "chunked" {
            while true {
                var lineEnd = Self.find([13, 10], in: buffer)
                while lineEnd == nil { guard try fill(timeout: timeout) else { return nil }; lineEnd = Self.find([13, 10], in: buffer) }
                let size = Int(String(decoding: buffer[..<lineEnd!], as: UTF8.self), radix: 16)!
                buffer.removeFirst(lineEnd! + 2)
                try read(atLeast: size + 2, timeout: timeout)
                body += buffer[..<size]
                buffer.removeFirst(size + 2)
                if size == 0 { break }
            }
        } else if let length = headers["content-length"].flatMap({ Int($0) }) {
            try read(atLeast: length, timeout: timeout)
            body = Array(buffer[..<min(length, buffer.count)])
            buffer.removeFirst(body.count)
        }
        return Response(status: status, headers: headers, body: body)
    }

    /// Waits for the server to close; throws if it does not within `timeout`.
    func expectClose(timeout: Double = 20) throws {
        while try fill(timeout: timeout) {}
    }

    static func find(_ needle: [UInt8], in hay: [UInt8]) -> Int? {
        guard hay.count >= needle.count else { return nil }
        for i in 0...(hay.count - needle.count) where hay[i] == needle[0] && Array(hay[i..<(i + needle.count)]) == needle { return i }
        return nil
    }
}
