@testable import ChatServer
import CoreLoop
import Foundation
import HTTPCore
#if canImport(Glibc)
import Glibc
#endif

/// A blocking WebSocket client over loopback for tests: the handshake, then
/// masked frames out and frames in, each read with a deadline.
final class LoopbackWebSocketClient {
    let fd: Int32
    var buffer: [UInt8] = []
    /// The 101 (or refusal) the handshake got.
    private(set) var status = 0
    private(set) var responseHead = ""
    private(set) var responseBody = ""

    struct Timeout: Error { let what: String }

    init(port: Int, path: String = "/irc", protocols: [String] = ["text.ircv3.net"], origin: String? = nil,
         extraHeaders: String = "") throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        let address = try SocketAddress(host: "127.0.0.1", port: port)
        guard address.withSockAddr({ connect(fd, $0, $1) }) == 0 else {
            let code = errno
            close(fd)
            throw IOError(errnoCode: code, function: "connect")
        }
        var request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        if !protocols.isEmpty { request += "Sec-WebSocket-Protocol: \(protocols.joined(separator: ", "))\r\n" }
        if let origin { request += "Origin: \(origin)\r\n" }
        request += extraHeaders + "\r\n"
        try sendRaw(Array(request.utf8))
        var end: Int?
        while end == nil {
            end = Self.find([13, 10, 13, 10], in: buffer)
            if end == nil { guard try fill() else { throw Timeout(what: "handshake response") } }
        }
        responseHead = String(decoding: buffer[..<end!], as: UTF8.self)
        buffer.removeFirst(end! + 4)
        status = Int(responseHead.split(separator: " ")[1]) ?? 0
        if status != 101, let lengthLine = responseHead.components(separatedBy: "\r\n").first(where: { $0.lowercased().hasPrefix("content-length:") }),
           let length = Int(lengthLine.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) {
            while buffer.count < length { guard try fill() else { break } }
            responseBody = String(decoding: buffer.prefix(length), as: UTF8.self)
        }
    }

    deinit { close(fd) }

    func header(_ name: String) -> String? {
        responseHead.components(separatedBy: "\r\n").first { $0.lowercased().hasPrefix(name.lowercased() + ":") }
            .map { String($0.split(separator: ":", maxSplits: 1)[1]).trimmingCharacters(in: .whitespaces) }
    }

    func sendRaw(_ bytes: [UInt8]) throws {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw IOError(errnoCode: errno, function: "send") }
            sent += n
        }
    }

    func send(_ opcode: WebSocketOpcode, _ payload: [UInt8], fin: Bool = true) throws {
        try sendRaw(WebSocketFrameWriter.frame(opcode, payload, fin: fin, mask: [0x11, 0x22, 0x33, 0x44]))
    }

    /// One IRC line as one text frame.
    func line(_ text: String) throws { try send(.text, Array(text.utf8)) }

    @discardableResult
    func fill(timeout: Double = 20) throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { throw Timeout(what: "bytes") }
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&pfd, 1, Int32(left * 1000) + 1) <= 0 { continue }
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

    /// The next frame from the server; nil at end of stream.
    func frame(timeout: Double = 20) throws -> WebSocketFrame? {
        let parser = WebSocketFrameParser(maxPayload: 1 << 20, maskRule: .forbidden)
        while true {
            let outcome = buffer.withUnsafeBytes { parser.parse($0) }
            switch outcome {
            case .frame(let f, let used):
                buffer.removeFirst(used)
                return f
            case .failure(let e):
                throw e
            case .incomplete:
                guard try fill(timeout: timeout) else { return nil }
            }
        }
    }

    /// The next text or binary message's text, skipping control frames; nil at the end or on a close frame.
    func readLine(timeout: Double = 20) throws -> String? {
        while let f = try frame(timeout: timeout) {
            switch f.opcode {
            case .text, .binary: return String(decoding: f.payload, as: UTF8.self)
            case .close: return nil
            default: continue
            }
        }
        return nil
    }

    @discardableResult
    func waitFor(_ what: String, timeout: Double = 20, _ predicate: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let left = deadline.timeIntervalSinceNow
            guard left > 0, let line = try readLine(timeout: left) else { throw Timeout(what: what) }
            if predicate(line) { return line }
        }
    }

    /// Reads frames until a close frame; returns its code (nil: none before the end).
    func closeCode(timeout: Double = 20) throws -> UInt16? {
        while let f = try frame(timeout: timeout) {
            if f.opcode == .close { return f.payload.count >= 2 ? UInt16(f.payload[0]) << 8 | UInt16(f.payload[1]) : 1005 }
        }
        return nil
    }

    func register(_ nick: String) throws {
        try line("NICK \(nick)")
        try line("USER \(nick) 0 * :\(nick)")
        try waitFor("001") { $0.contains(" 001 ") }
    }

    static func find(_ needle: [UInt8], in hay: [UInt8]) -> Int? {
        guard hay.count >= needle.count else { return nil }
        for i in 0...(hay.count - needle.count) where hay[i] == needle[0] && Array(hay[i..<(i + needle.count)]) == needle { return i }
        return nil
    }
}
