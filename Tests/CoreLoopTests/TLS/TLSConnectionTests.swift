@testable import CoreLoop
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// TLS on the loop, against Python's `ssl` module (an independent client)
/// and against our own client side.
final class TLSConnectionTests: XCTestCase {
    static let batch = 64 * 1024
    var thread: LoopThread!
    var directory: String!
    var certificateFile: String { directory + "/cert.pem" }
    var keyFile: String { directory + "/key.pem" }

    override func setUpWithError() throws {
        thread = try LoopThread()
        directory = NSTemporaryDirectory() + "tls-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try TLSContext.writeSelfSigned(commonName: "localhost", certificateFile: certificateFile, keyFile: keyFile)
    }

    override func tearDown() {
        thread.shutdown()
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func startServer(alpn: [String] = [], handshakeTimeout: Nanoseconds = .seconds(10),
                             limits: ConnectionLimits = ConnectionLimits()) throws -> TLSEchoServer {
        let context = try TLSContext.server(certificateFile: certificateFile, keyFile: keyFile, alpn: alpn)
        return try thread.sync { try TLSEchoServer(loop: self.thread.loop, context: context, handshakeTimeout: handshakeTimeout, limits: limits) }
    }

    // MARK: Pure parts

    func testALPNWireFormatPrefixesLengthsAndSkipsInvalidNames() {
        XCTAssertEqual(TLSContext.alpnWireFormat(["http/1.1"]), [8] + Array("http/1.1".utf8))
        XCTAssertEqual(TLSContext.alpnWireFormat(["h2", "", "http/1.1"]), [2] + Array("h2".utf8) + [8] + Array("http/1.1".utf8))
        XCTAssertNil(TLSContext.alpnWireFormat([]))
        XCTAssertNil(TLSContext.alpnWireFormat([String(repeating: "x", count: 256)]))
    }

    func testFingerprintOfGeneratedCertificateMatchesTheContextsAndPrintsWithColons() throws {
        let fromFile = try TLSContext.fingerprint(ofCertificateFile: certificateFile)
        let context = try TLSContext.server(certificateFile: certificateFile, keyFile: keyFile)
        XCTAssertEqual(context.certificateFingerprint, fromFile)
        XCTAssertEqual(fromFile.count, 64)
        XCTAssertEqual(TLSContext.colonSeparated("ab01ff"), "AB:01:FF")
        // The key file must not be readable by others.
        let mode = try FileManager.default.attributesOfItem(atPath: keyFile)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)
    }

    func testMismatchedKeyIsRefusedWithATypedError() throws {
        let other = directory + "/other"
        try TLSContext.writeSelfSigned(commonName: "other", certificateFile: other + "-cert.pem", keyFile: other + "-key.pem")
        XCTAssertThrowsError(try TLSContext.server(certificateFile: certificateFile, keyFile: other + "-key.pem")) { error in
            guard case TLSError.privateKey = error else { return XCTFail("unexpected \(error)") }
        }
        XCTAssertThrowsError(try TLSContext.server(certificateFile: directory + "/missing.pem", keyFile: keyFile)) { error in
            guard case TLSError.certificate = error else { return XCTFail("unexpected \(error)") }
        }
    }

    // MARK: A real client

    func testPythonClientEchoesOverTLS13AndTLS12() throws {
        let server = try startServer()
        let port = try thread.sync { server.port }
        let expected = try thread.sync { server.context.certificateFingerprint }
        let modern = try PythonTLSClient.run(["mode": "echo", "port": port, "payload": "hello over tls\n"])
        XCTAssertEqual(modern["echoed"] as? Bool, true)
        XCTAssertEqual(modern["version"] as? String, "TLSv1.3")
        XCTAssertEqual(modern["serverCert"] as? String, expected)
        let older = try PythonTLSClient.run(["mode": "echo", "port": port, "payload": "hello\n", "maxVersion": "1.2"])
        XCTAssertEqual(older["echoed"] as? Bool, true)
        XCTAssertEqual(older["version"] as? String, "TLSv1.2")
        let versions = try thread.sync { server.sessions.map(\.version) }
        XCTAssertEqual(versions, ["TLSv1.3", "TLSv1.2"])
    }

    func testALPNAgreesOnHTTP11AndClientsWithoutALPNStillConnect() throws {
        let server = try startServer(alpn: ["http/1.1"])
        let port = try thread.sync { server.port }
        let web = try PythonTLSClient.run(["mode": "echo", "port": port, "payload": "GET\n", "alpn": ["h2", "http/1.1"]])
        XCTAssertEqual(web["alpn"] as? String, "http/1.1")
        let irc = try PythonTLSClient.run(["mode": "echo", "port": port, "payload": "NICK a\n"])
        XCTAssertEqual(irc["echoed"] as? Bool, true)
        XCTAssertTrue(irc["alpn"] is NSNull)
        let agreed = try thread.sync { server.sessions.map(\.alpn) }
        XCTAssertEqual(agreed, ["http/1.1", nil])
    }

    func testSessionTicketsLetAClientResume() throws {
        let server = try startServer()
        let port = try thread.sync { server.port }
        for version in ["1.3", "1.2"] {
            let answer = try PythonTLSClient.run(["mode": "resume", "port": port, "maxVersion": version])
            XCTAssertEqual(answer["reused"] as? Bool, true, "TLS \(version): \(answer)")
        }
    }

    func testStalledHandshakeIsDroppedAfterTheTimeout() throws {
        let server = try startServer(handshakeTimeout: .milliseconds(300))
        let port = try thread.sync { server.port }
        let started = Date()
        let client = try RawClient(port: port)
        // Say nothing: the server must hang up by itself.
        XCTAssertEqual(try client.readUntilClosed(timeout: 15), 0, "no bytes before the close")
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), 0.29)
        try waitUntil(thread, "close recorded") { !server.closeReasons.isEmpty }
        XCTAssertEqual(try thread.sync { server.closeReasons }, [.local("TLS handshake timed out")])
    }

    func testGarbageInsteadOfClientHelloIsClosedWithoutHarm() throws {
        let server = try startServer()
        let port = try thread.sync { server.port }
        let client = try RawClient(port: port)
        try client.send("NICK plaintext\r\nUSER a 0 * :b\r\n")
        _ = try client.readUntilClosed(timeout: 15)  // an alert, then the close
        try waitUntil(thread, "close recorded") { !server.closeReasons.isEmpty }
        let reasons = try thread.sync { server.closeReasons }
        XCTAssertEqual(reasons.count, 1)
        XCTAssertTrue(reasons[0].description.hasPrefix("TLS handshake failed"), "\(reasons)")
        XCTAssertEqual(try thread.sync { server.bytesDelivered }, 0, "no plaintext reached the delegate")
        // The server goes on serving.
        let answer = try PythonTLSClient.run(["mode": "echo", "port": port, "payload": "still here\n"])
        XCTAssertEqual(answer["echoed"] as? Bool, true)
    }

    func testQueuedLinesLeaveInOneSSLWrite() throws {
        let server = try startServer()
        let line = Array("PRIVMSG #c :a line of chat\r\n".utf8)
        var before: UInt64 = 0
        var session: TLSSession?
        try thread.sync {
            server.onRead = { connection, bytes in
                session = connection.tls
                before = connection.tls!.writeCalls
                // 100 separate chunks queued in one turn, as a busy channel does.
                for _ in 0..<100 { line.withUnsafeBytes { connection.write(ByteChunk($0)) } }
                return bytes.count
            }
        }
        let port = try thread.sync { server.port }
        let answer = try PythonTLSClient.run(["mode": "download", "port": port, "size": line.count * 100])
        XCTAssertEqual(answer["size"] as? Int, line.count * 100)
        // The session outlives its connection: held here.
        let after = try thread.sync { session?.writeCalls ?? 0 }
        XCTAssertEqual(after - before, 1)
    }

    func testLargeOutputArrivesIntactThroughPartialWrites() throws {
        let server = try startServer()
        var block = [UInt8](repeating: 0, count: 4096)
        for i in block.indices { block[i] = UInt8(truncatingIfNeeded: i &* 31 &+ 7) }
        let blocks = 512  // 2 MiB: far more than the socket buffer takes at once
        var session: TLSSession?
        try thread.sync {
            server.onRead = { connection, bytes in
                session = connection.tls
                for _ in 0..<blocks { block.withUnsafeBytes { connection.write(ByteChunk($0)) } }
                return bytes.count
            }
        }
        let port = try thread.sync { server.port }
        let answer = try PythonTLSClient.run(["mode": "download", "port": port, "size": block.count * blocks])
        var whole = Data()
        for _ in 0..<blocks { whole.append(contentsOf: block) }
        XCTAssertEqual(answer["size"] as? Int, whole.count)
        XCTAssertEqual(answer["sha256"] as? String, sha256Hex(whole))
        let writes = try thread.sync { session?.writeCalls ?? 0 }
        XCTAssertGreaterThanOrEqual(writes, UInt64(whole.count / TLSConnectionTests.batch))
        // One call per region the socket takes (the reader sets the pace,
        // so the count varies), never one per queued chunk.
        XCTAssertLessThan(writes, UInt64(blocks / 2), "regions of up to 64 KiB, not a write per chunk")
    }

    func testSendQueueLimitCountsPlaintext() throws {
        var limits = ConnectionLimits()
        limits.outboundHardLimit = 100_000
        let server = try startServer(limits: limits)
        try thread.sync {
            server.onRead = { connection, bytes in
                let big = [UInt8](repeating: 65, count: 150_000)
                big.withUnsafeBytes { connection.write(ByteChunk($0)) }
                return bytes.count
            }
        }
        let port = try thread.sync { server.port }
        let answer = try PythonTLSClient.run(["mode": "download", "port": port, "size": 150_000])
        XCTAssertLessThan(answer["size"] as? Int ?? 0, 150_000)
        try waitUntil(thread, "close recorded") { !server.closeReasons.isEmpty }
        XCTAssertEqual(try thread.sync { server.closeReasons }, [.sendQueueExceeded])
    }

    func testOwnClientPresentsACertificateTheServerFingerprints() throws {
        let server = try startServer()
        let port = try thread.sync { server.port }
        let clientCert = directory + "/client-cert.pem", clientKey = directory + "/client-key.pem"
        let clientFingerprint = try TLSContext.writeSelfSigned(commonName: "alice", certificateFile: clientCert, keyFile: clientKey)
        let clientContext = try TLSContext.client(certificateFile: clientCert, keyFile: clientKey)
        let collector = Collector()
        try thread.sync {
            TCPConnector.connect(loop: self.thread.loop, to: try SocketAddress(host: "127.0.0.1", port: port)) { result in
                guard case .success(let connection) = result else { return }
                connection.delegate = collector
                collector.connection = connection
                try? connection.enableTLS(clientContext, handshakeTimeout: .seconds(10), serverName: "localhost")
                try? connection.start()
                "hello\n".utf8CString.dropLast().map { UInt8(bitPattern: $0) }.withUnsafeBytes { connection.write(ByteChunk($0)) }
            }
        }
        try waitUntil(thread, "echo") { collector.received == Array("hello\n".utf8) }
        let seen = try thread.sync { server.sessions.first?.peerFingerprint }
        XCTAssertEqual(seen, clientFingerprint)
        XCTAssertEqual(try thread.sync { collector.connection?.tls?.isEstablished }, true)
        try thread.sync { collector.connection?.close(reason: .local("done")) }
    }
}

/// Collects what a client connection receives (loop thread only).
private final class Collector: StreamConnectionDelegate {
    var connection: StreamConnection?
    var received: [UInt8] = []
    func connection(_ connection: StreamConnection, didRead bytes: UnsafeRawBufferPointer) -> Int {
        received += bytes
        return bytes.count
    }
    func connectionDidClose(_ connection: StreamConnection, reason: CloseReason) {}
}

/// A blocking plain TCP client, to play a client that never speaks TLS.
private final class RawClient {
    let fd: Int32
    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        let address = try SocketAddress(host: "127.0.0.1", port: port)
        guard address.withSockAddr({ connect(fd, $0, $1) }) == 0 else { throw IOError(errnoCode: errno, function: "connect") }
    }
    deinit { close(fd) }
    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        guard bytes.withUnsafeBytes({ Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == bytes.count else {
            throw IOError(errnoCode: errno, function: "send")
        }
    }
    /// Reads until the server closes; returns the bytes seen. Throws at the deadline.
    func readUntilClosed(timeout: TimeInterval) throws -> Int {
        let deadline = Date().addingTimeInterval(timeout)
        var total = 0
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { throw TestTimeout(what: "the server to close") }
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&pfd, 1, Int32(left * 1000) + 1) > 0 else { continue }
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 || (n < 0 && errno == ECONNRESET) { return total }
            if n < 0 { if errno == EINTR { continue }; throw IOError(errnoCode: errno, function: "recv") }
            total += n
        }
    }
}

func sha256Hex(_ data: Data) -> String {
    // Through Python would be circular for this test; use the shell's sha256sum.
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = ["sha256sum"]
    let input = Pipe(), output = Pipe()
    process.standardInput = input
    process.standardOutput = output
    try? process.run()
    DispatchQueue.global().async {
        input.fileHandleForWriting.write(data)
        try? input.fileHandleForWriting.close()
    }
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return String(text.prefix(64))
}
