@testable import ChatServer
import CoreLoop
import Foundation
import HTTPCore
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// `http.tlsListen` on loopback: HTTPS (`GET /healthz`), IRC over WSS (the
/// upgrade and registration through TLS), and a plain-HTTP client on the
/// TLS port, which gets no HTTP answer and a closed connection.
final class HTTPSListenerTests: XCTestCase {
    var directory: String!
    var daemon: DaemonThread!
    var httpsPort: Int { daemon.daemon.httpListeners[0].address.port! }

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "https-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let dir = directory!
        daemon = try DaemonThread { config in
            config.dataDir = dir  // no certificate configured: one is generated here
            config.http.listen = []
            config.http.tlsListen = ["127.0.0.1:0"]
        }
        daemon.start()
    }

    override func tearDown() {
        daemon?.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    func testHealthzOverTLS() throws {
        let c = try TLSLoopbackIRCClient(port: httpsPort)
        XCTAssertEqual(c.serverFingerprint, try TLSContext.fingerprint(ofCertificateFile: TLSSettings.generatedCertificatePath(dataDir: directory)))
        try c.write(Array("GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".utf8))
        var raw: [UInt8] = []
        while let bytes = try c.readBytes() { raw += bytes }
        let text = String(decoding: raw, as: UTF8.self)
        XCTAssertTrue(text.hasPrefix("HTTP/1.1 200 "), text)
        XCTAssertTrue(text.hasSuffix("\r\n\r\nok\n") || text.hasSuffix("\r\n\r\nok"), text)
    }

    func testIRCOverSecureWebSocket() throws {
        let c = try TLSLoopbackIRCClient(port: httpsPort)
        let handshake = "GET /irc HTTP/1.1\r\nHost: 127.0.0.1:\(httpsPort)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: text.ircv3.net\r\n\r\n"
        try c.write(Array(handshake.utf8))
        var buffer: [UInt8] = []
        var headEnd: Int?
        while headEnd == nil {
            guard let bytes = try c.readBytes() else { return XCTFail("closed during the handshake") }
            buffer += bytes
            headEnd = LoopbackWebSocketClient.find([13, 10, 13, 10], in: buffer)
        }
        let head = String(decoding: buffer[..<headEnd!], as: UTF8.self)
        XCTAssertTrue(head.hasPrefix("HTTP/1.1 101 "), head)
        XCTAssertTrue(head.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="), head)
        buffer.removeFirst(headEnd! + 4)
        for line in ["NICK wss", "USER wss 0 * :over TLS"] {
            try c.write(WebSocketFrameWriter.frame(.text, Array(line.utf8), fin: true, mask: [1, 2, 3, 4]))
        }
        let parser = WebSocketFrameParser(maxPayload: 1 << 20, maskRule: .forbidden)
        var lines: [String] = []
        while !lines.contains(where: { $0.contains(" 001 wss ") }) {
            switch buffer.withUnsafeBytes({ parser.parse($0) }) {
            case .frame(let frame, let used):
                buffer.removeFirst(used)
                if frame.opcode == .text { lines.append(String(decoding: frame.payload, as: UTF8.self)) }
            case .failure(let error):
                return XCTFail("bad frame: \(error)")
            case .incomplete:
                guard let bytes = try c.readBytes() else { return XCTFail("closed before 001: \(lines)") }
                buffer += bytes
            }
        }
    }

    func testCertificateReloadWorksWithOnlyAnHTTPSListener() throws {
        let done = DispatchSemaphore(value: 0)
        var notes: [String] = []
        let host = daemon.daemon
        host.loop.execute {
            host.reloadCertificates { result in
                notes = result
                done.signal()
            }
        }
        XCTAssertEqual(done.wait(timeout: .now() + 20), .success)
        XCTAssertTrue(notes.contains { $0.hasPrefix("TLS certificate loaded") }, "\(notes)")
    }

    func testPlainHTTPToTheTLSPortFailsCleanly() throws {
        let plain = try LoopbackIRCClient(port: httpsPort)
        try plain.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        // The handshake fails: the server closes (perhaps after a TLS alert), and never answers in HTTP.
        let raw = try plain.readAllBytes(timeout: 20)
        XCTAssertFalse(String(decoding: raw, as: UTF8.self).contains("HTTP/1.1"), "\(raw)")
        // The listener is still fine afterwards.
        let c = try TLSLoopbackIRCClient(port: httpsPort)
        try c.write(Array("GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".utf8))
        XCTAssertEqual(try c.readBytes().map { String(decoding: $0.prefix(12), as: UTF8.self) }, "HTTP/1.1 200")
    }
}
