@testable import ChatServer
import CoreLoop
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// Downloads driven by the socket draining (DownloadPump on CoreLoop's
/// `notifyWhenWritable`), through the real daemon on loopback: a reader
/// that stops and resumes, a chat line to a downloading client, and FILE GET
/// over TLS and over WebSocket. Every wait has a deadline; nothing sleeps.
final class FileFlowTests: XCTestCase {
    var daemon: DaemonThread!
    var dataDir = ""

    override func setUpWithError() throws {
        dataDir = FileTestSupport.dataDir()
        let dir = dataDir
        daemon = try DaemonThread(storage: try ChatStorage(path: dir + "/chatd.sqlite")) {
            $0.dataDir = dir
            $0.limits.maxConnectionsPerIP = 0
            $0.limits.floodLinesPerSecond = 0
            $0.tlsListen = ["127.0.0.1:0"]
            $0.http.listen = ["127.0.0.1:0"]
        }
        daemon.start()
    }

    override func tearDown() {
        daemon.stop()
        try? FileManager.default.removeItem(atPath: dataDir)
    }

    /// Runs `body` on the daemon's loop and returns its answer.
    private func onLoop<T>(_ body: @escaping (IRCServer) -> T) throws -> T {
        let done = DispatchSemaphore(value: 0)
        var answer: T?
        let server = daemon.daemon.server
        daemon.daemon.loop.execute {
            answer = body(server)
            done.signal()
        }
        guard done.wait(timeout: .now() + 20) == .success, let answer else { throw LoopbackTimeout(waitingFor: "a loop task") }
        return answer
    }

    private func waitOnLoop(_ what: String, _ condition: @escaping (IRCServer) -> Bool) throws {
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if try onLoop(condition) { return }
            usleep(2_000)  // yield to the loop between checks, not a timed wait
        }
        throw LoopbackTimeout(waitingFor: what)
    }

    /// Uploads `content` to `#share` from a new account; returns the id.
    private func share(_ content: [UInt8]) throws -> String {
        let alice = try LoopbackIRCClient(port: daemon.port)
        try alice.registerAccount("alice")
        try alice.line("JOIN #share")
        try alice.waitFor("join") { $0.contains(" 366 ") }
        return try alice.uploadFile(to: "#share", name: "big.txt", content)
    }

    /// The reader stops reading mid-file: the pump fills its queue to the
    /// window and then waits with no round scheduled (nothing polls). A
    /// private message sent meanwhile arrives long before the end of the
    /// file; when the reader resumes, the download finishes byte-identical.
    func testSlowReaderFinishesWithoutPollingAndChatIsNotBehindTheFile() throws {
        let content = FileLoopbackTests.text(bytes: 1_048_576)
        let id = try share(content)
        let bob = try LoopbackIRCClient(port: daemon.port, receiveBuffer: 4096)
        try bob.register("bob")
        try bob.line("JOIN #share")
        try bob.waitFor("join") { $0.contains(" 366 ") }
        let carol = try LoopbackIRCClient(port: daemon.port)
        try carol.register("carol")

        // On loopback the kernel would grow the server's send buffer past
        // the whole file (tcp_wmem); a fixed one stands for a distant reader.
        try onLoop { server in
            guard let socket = server.clients.registered(named: "bob")?.connection as? SocketClientTransport else { return }
            var size: Int32 = 16_384
            setsockopt(socket.connection.fd, SOL_SOCKET, SO_SNDBUF, &size, socklen_t(4))
        }
        try bob.line("FILE GET \(id)")
        try waitOnLoop("bob's download waiting for his socket") { $0.files.downloads.waitingCount == 1 }
        let (scheduled, queued) = try onLoop { server -> (Bool, Int) in
            let bob = server.clients.registered(named: "bob")
            return (server.files.downloads.hasScheduledRound, bob?.transport.queuedBytes ?? -1)
        }
        XCTAssertFalse(scheduled, "no round runs while the only download waits on its socket")
        XCTAssertLessThanOrEqual(queued, DownloadPump.window + 1_024, "never more than the window queued")
        XCTAssertGreaterThan(queued, DownloadPump.resumeMark, "the queue waits to drain")

        try carol.line("PRIVMSG bob :hello while you download")
        try carol.line("PING :sync")
        try carol.waitFor("PONG") { $0.contains("PONG") }  // the message is in bob's queue now

        var bytes: [UInt8] = []
        var bytesBeforeChat: Int?
        let marker = " FILE DATA \(id) :"
        let deadline = Date().addingTimeInterval(60)
        while true {
            guard let line = try bob.readLine(timeout: max(0.01, deadline.timeIntervalSinceNow)) else {
                throw LoopbackTimeout(waitingFor: "FILE DONE")
            }
            if let range = line.range(of: marker) {
                bytes += try XCTUnwrap(Data(base64Encoded: String(line[range.upperBound...])))
            } else if line.hasSuffix(":hello while you download") {
                bytesBeforeChat = bytes.count
            } else if line.hasSuffix(" FILE DONE \(id)") {
                break
            }
        }
        XCTAssertTrue(bytes == content, "byte-identical (\(bytes.count) of \(content.count) bytes)")
        let before = try XCTUnwrap(bytesBeforeChat, "the chat line arrived before FILE DONE")
        // What was queued or in the kernel when it was sent: the window and
        // the socket buffers, not the rest of the file.
        XCTAssertLessThan(before, content.count / 2, "chat line after \(before) of \(content.count) file bytes")
        try waitOnLoop("the download forgotten") { $0.files.downloads.activeCount == 0 }
    }

    func testDownloadOverTLSIsByteIdentical() throws {
        let content = FileLoopbackTests.text(bytes: 400_000)
        let id = try share(content)
        let tlsPort = daemon.daemon.tlsListeners[0].address.port!
        let bob = try TLSLoopbackIRCClient(port: tlsPort)
        try bob.line("NICK bob")
        try bob.line("USER bob 0 * :bob")
        try bob.waitFor("001") { $0.contains(" 001 ") }
        try bob.line("JOIN #share")
        try bob.waitFor("join") { $0.contains(" 366 ") }
        try bob.line("FILE GET \(id)")
        let bytes = try Self.download(id) { try bob.waitFor($0, $1) }
        XCTAssertTrue(bytes == content, "byte-identical (\(bytes.count) of \(content.count) bytes)")
    }

    func testDownloadOverWebSocketIsByteIdentical() throws {
        let content = FileLoopbackTests.text(bytes: 400_000)
        let id = try share(content)
        let webPort = daemon.daemon.httpListeners[0].address.port!
        let bob = try LoopbackWebSocketClient(port: webPort, protocols: ["text.ircv3.net"])
        try bob.register("bob")
        try bob.line("JOIN #share")
        try bob.waitFor("join") { $0.contains(" 366 ") }
        try bob.line("FILE GET \(id)")
        let bytes = try Self.download(id) { try bob.waitFor($0, $1) }
        XCTAssertTrue(bytes == content, "byte-identical (\(bytes.count) of \(content.count) bytes)")
    }

    /// The bytes of `FILE GET id`'s DATA lines until its DONE, read through
    /// `waitFor` (any client type's: TLS, WebSocket).
    static func download(_ id: String, waitFor: (String, (String) -> Bool) throws -> String) throws -> [UInt8] {
        var bytes: [UInt8] = []
        let marker = " FILE DATA \(id) :"
        while true {
            let line = try waitFor("DATA or DONE") { $0.contains(marker) || $0.hasSuffix(" FILE DONE \(id)") || $0.contains(" FAIL ") }
            guard let range = line.range(of: marker) else {
                XCTAssertTrue(line.hasSuffix(" FILE DONE \(id)"), line)
                return bytes
            }
            bytes += try XCTUnwrap(Data(base64Encoded: String(line[range.upperBound...])))
        }
    }
}
