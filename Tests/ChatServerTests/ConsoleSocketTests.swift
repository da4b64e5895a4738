@testable import ChatServer
import CoreLoop
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The console over a real Unix socket, the daemon on its own thread.
final class ConsoleSocketTests: XCTestCase {
    var server: DaemonThread!
    var daemon: ChatDaemon { server.daemon }
    var path = ""

    override func setUpWithError() throws {
        path = NSTemporaryDirectory() + "console-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sock"
        server = try DaemonThread(withConsole: true) {
            $0.consoleSocket = self.path
            $0.limits.maxConnectionsPerIP = 0
            $0.limits.floodLinesPerSecond = 0
        }
    }

    func startDaemon() { server.start() }

    override func tearDown() {
        server.stop()
        unlink(path)
    }

    /// A blocking console connection.
    func connect() throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard SocketAddress.unix(path: path).withSockAddr({ Glibc.connect(fd, $0, $1) }) == 0 else {
            throw IOError(errnoCode: errno, function: "connect")
        }
        var tv = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        return fd
    }

    func exchange(_ fd: Int32, _ text: String) throws -> [String] {
        _ = text.withCString { write(fd, $0, strlen($0)) }
        let expected = text.filter { $0 == "\n" }.count
        var lines: [String] = []
        var pending = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while lines.count < expected {
            let n = read(fd, &buffer, buffer.count)
            guard n > 0 else { break }
            pending.append(contentsOf: buffer[0..<n])
            while let lf = pending.firstIndex(of: 0x0A) {
                lines.append(String(decoding: pending[pending.startIndex..<lf], as: UTF8.self))
                pending = Data(pending[(lf + 1)...])
            }
        }
        return lines
    }

    func testRepliesComeInOrderAndErrorsKeepTheConnectionUsable() throws {
        var info = stat()
        XCTAssertEqual(stat(path, &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o600)
        startDaemon()
        let fd = try connect()
        defer { close(fd) }
        let replies = try exchange(fd, "{\"cmd\":\"status\"}\nnot json\n{\"cmd\":\"nope\"}\n{\"cmd\":\"channels\"}\n")
        XCTAssertEqual(replies.count, 4)
        XCTAssertTrue(replies[0].contains("\"ok\":true") && replies[0].contains("\"protocol\":1"))
        XCTAssertEqual(replies[1], #"{"error":"malformed JSON","ok":false}"#)
        XCTAssertEqual(replies[2], #"{"error":"unknown command: nope","ok":false}"#)
        XCTAssertEqual(replies[3], #"{"channels":[],"ok":true}"#)
    }

    /// A listing bigger than a client connection may queue (4 MiB) reaches
    /// the admin whole: 10,000 channels with 390-byte topics are ~4.7 MB.
    func testAListingPastFourMebibytesArrivesWhole() throws {
        let server = daemon.server
        let topic = String(repeating: "t", count: 390)
        for u in 0..<200 {
            let client = try XCTUnwrap(server.accept(InMemoryTransport(), host: "10.0.0.2"))
            var text = "NICK lister\(u)\r\nUSER l 0 * :L\r\n"
            for c in 0..<50 { text += "JOIN #listing-\(u)-\(c)\r\nTOPIC #listing-\(u)-\(c) :\(topic)\r\n" }
            _ = Array(text.utf8).withUnsafeBytes { server.receive($0, from: client) }
        }
        XCTAssertEqual(server.channels.count, 10_000)
        startDaemon()
        let fd = try connect()
        defer { close(fd) }
        let reply = try exchange(fd, #"{"cmd":"channels"}"# + "\n")
        XCTAssertEqual(reply.count, 1, "one reply line, not a closed connection")
        XCTAssertGreaterThan(reply.first?.utf8.count ?? 0, 4 * 1024 * 1024)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data((reply.first ?? "").utf8)) as? [String: Any])
        XCTAssertEqual((json["channels"] as? [Any])?.count, 10_000)
        XCTAssertNotNil(daemon.consoleWorker, "encoded on the console's worker, not the loop")
    }

    func testOversizedLineIsRefusedAndClosed() throws {
        startDaemon()
        let fd = try connect()
        defer { close(fd) }
        let big = String(repeating: "x", count: 70_000)
        _ = big.withCString { write(fd, $0, strlen($0)) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        var reply = Data()
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n <= 0 { break }
            reply.append(contentsOf: buffer[0..<n])
        }
        XCTAssertTrue(String(decoding: reply, as: UTF8.self).contains("request line too long"))
    }

    func testPeersWithOtherUIDsAreRefused() throws {
        daemon.consoleAllowedUIDs = [getuid() &+ 12345]  // not us
        startDaemon()
        let fd = try connect()
        defer { close(fd) }
        let replies = try exchange(fd, "{\"cmd\":\"status\"}\n")
        XCTAssertEqual(replies, [#"{"error":"permission denied","ok":false}"#])
    }
}
