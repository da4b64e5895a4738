@testable import ChatServer
import CoreLoop
import Foundation
import XCTest

/// The console's `files` and `file-delete` verbs and the status fields.
final class FileConsoleTests: XCTestCase {
    func ask(_ host: ConsoleHost, _ json: String) -> [String: Any] {
        var reply: ConsoleReply?
        ConsoleVerbs.handle(try! ConsoleRequest(line: Data(json.utf8)), host: host) { reply = $0 }
        guard let reply else { XCTFail("no reply to \(json)"); return [:] }
        return try! JSONSerialization.jsonObject(with: reply.line) as! [String: Any]
    }

    func testListDeleteAndStatus() throws {
        let net = FileTestSupport.net()
        let host = FakeConsoleHost(net)
        let alice = FileTestSupport.account(net, "alice")
        alice.send("JOIN #room")
        _ = alice.lines()
        let content = Array("some text\n".utf8)
        let id = try XCTUnwrap(FileTestSupport.storedID(FileTestSupport.upload(alice, to: "#room", content)))
        _ = try XCTUnwrap(FileTestSupport.storedID(FileTestSupport.upload(alice, to: "#room", name: "b.txt", Array("other\n".utf8))))
        let status = ask(host, ##"{"cmd":"status"}"##)
        XCTAssertEqual(status["filesStored"] as? Int, 2)
        XCTAssertEqual(status["fileBytesStored"] as? Int, content.count + 6)
        let all = ask(host, ##"{"cmd":"files"}"##)["files"] as? [[String: Any]] ?? []
        XCTAssertEqual(all.count, 2)
        XCTAssertEqual(all.first?["filename"] as? String, "notes.txt")
        XCTAssertEqual(all.first?["uploader"] as? String, "alice")
        XCTAssertEqual(all.first?["target"] as? String, "#room")
        XCTAssertEqual((ask(host, ##"{"cmd":"files","target":"#ROOM"}"##)["files"] as? [Any])?.count, 2)
        XCTAssertEqual((ask(host, ##"{"cmd":"files","target":"#other"}"##)["files"] as? [Any])?.count, 0)
        XCTAssertEqual(ask(host, #"{"cmd":"file-delete","id":\#(id)}"#)["ok"] as? Bool, true)
        XCTAssertEqual(ask(host, #"{"cmd":"file-delete","id":\#(id)}"#)["error"] as? String, "no such file: \(id)")
        XCTAssertEqual(ask(host, ##"{"cmd":"status"}"##)["filesStored"] as? Int, 1)
        alice.send("FILE GET \(id)")
        XCTAssertEqual(alice.codes(), ["FAIL"])
    }
}

/// A transport whose send queue only drains when the test says so.
final class SlowTransport: ClientTransport {
    private(set) var sent: [UInt8] = []
    var queuedBytes = 0
    var maxQueued = 0
    /// When set, the transport reports draining as a socket does.
    var reportsDrain = false
    /// What a socket would close the connection past ("SendQ exceeded"); 0: no limit.
    var sendQueueLimit = 0
    /// What a closing socket reports (the peer left, or its queue passed the limit).
    var isOpen = true
    private(set) var closeReason: String?
    private var waiters: [() -> Void] = []
    func send(_ chunk: ByteChunk) -> Bool {
        sent += chunk.bytes
        queuedBytes += chunk.count
        maxQueued = max(maxQueued, queuedBytes)
        return true
    }
    /// Lines sent so far, without CR LF.
    var sentLines: [String] {
        String(decoding: sent, as: UTF8.self).components(separatedBy: "\r\n").filter { !$0.isEmpty }
    }
    func close(reason: String, afterFlush: Bool) { closeReason = closeReason ?? reason }
    var pendingInputBytes: Int { 0 }
    var bytesIn: UInt64 { 0 }
    var bytesOut: UInt64 { UInt64(sent.count) }
    func pauseReading() {}
    func resumeReading() {}
    func drain() {
        queuedBytes = 0
        let ready = waiters
        waiters = []
        for callback in ready { callback() }
    }
    func notifyWhenWritable(queuedAtMost: Int, _ callback: @escaping () -> Void) -> Bool {
        guard reportsDrain else { return false }
        waiters.append(callback)
        return true
    }
    var waiting: Int { waiters.count }
}

final class FileBackpressureTests: XCTestCase {
    /// A download never puts more than the pump's window (plus a line) in
    /// the send queue, and continues only as the queue drains.
    func testDownloadFollowsTheSendQueue() throws {
        let net = FileTestSupport.net()
        let alice = FileTestSupport.account(net, "alice")
        alice.send("JOIN #room")
        _ = alice.lines()
        let big = Array(String(repeating: "0123456789abcdef\n", count: 30_000).utf8)  // 510 kB
        let id = try XCTUnwrap(FileTestSupport.storedID(FileTestSupport.upload(alice, to: "#room", name: "big.txt", big)))
        let slow = SlowTransport()
        let client = try XCTUnwrap(net.server.accept(slow, host: "127.0.0.1"))
        for line in ["NICK slow", "USER slow 0 * :Slow", "JOIN #room", "FILE GET \(id)"] {
            _ = Array((line + "\r\n").utf8).withUnsafeBytes { net.server.receive($0, from: client) }
        }
        var rounds = 0
        while !String(decoding: slow.sent.suffix(64), as: UTF8.self).contains("FILE DONE \(id)") {
            XCTAssertLessThanOrEqual(slow.queuedBytes, DownloadPump.window + 1_024, "round \(rounds)")
            rounds += 1
            guard rounds < 1_000 else { return XCTFail("download did not finish") }
            slow.drain()
            net.server.files.downloads.pump()
        }
        XCTAssertGreaterThan(rounds, big.count * 4 / 3 / DownloadPump.window - 1, "sent in many rounds, not at once")
        XCTAssertLessThanOrEqual(slow.maxQueued, DownloadPump.window + 4_096)
        let lines = String(decoding: slow.sent, as: UTF8.self).components(separatedBy: "\r\n").map {
            $0.hasPrefix("@") ? String($0[$0.index(after: $0.firstIndex(of: " ")!)...]) : $0
        }
        XCTAssertEqual(FileTestSupport.downloaded(lines, id: id), big)
    }

    /// With a transport that reports draining, the drain alone moves the
    /// download on: nobody calls `pump()`.
    func testDrainingTransportDrivesTheDownload() throws {
        let net = FileTestSupport.net()
        let alice = FileTestSupport.account(net, "alice")
        alice.send("JOIN #room")
        _ = alice.lines()
        let big = Array(String(repeating: "0123456789abcdef\n", count: 30_000).utf8)  // 510 kB
        let id = try XCTUnwrap(FileTestSupport.storedID(FileTestSupport.upload(alice, to: "#room", name: "big.txt", big)))
        let slow = SlowTransport()
        slow.reportsDrain = true
        let client = try XCTUnwrap(net.server.accept(slow, host: "127.0.0.1"))
        for line in ["NICK slow", "USER slow 0 * :Slow", "JOIN #room", "FILE GET \(id)"] {
            _ = Array((line + "\r\n").utf8).withUnsafeBytes { net.server.receive($0, from: client) }
        }
        var drains = 0
        while !String(decoding: slow.sent.suffix(64), as: UTF8.self).contains("FILE DONE \(id)") {
            XCTAssertEqual(slow.waiting, 1, "the pump waits on the transport (drain \(drains))")
            XCTAssertEqual(net.server.files.downloads.waitingCount, 1)
            XCTAssertLessThanOrEqual(slow.queuedBytes, DownloadPump.window + 1_024)
            drains += 1
            guard drains < 1_000 else { return XCTFail("download did not finish") }
            slow.drain()
        }
        XCTAssertGreaterThan(drains, big.count * 4 / 3 / DownloadPump.window - 1)
        XCTAssertEqual(slow.waiting, 0)
        XCTAssertEqual(net.server.files.downloads.activeCount, 0)
        let lines = String(decoding: slow.sent, as: UTF8.self).components(separatedBy: "\r\n").map {
            $0.hasPrefix("@") ? String($0[$0.index(after: $0.firstIndex(of: " ")!)...]) : $0
        }
        XCTAssertEqual(FileTestSupport.downloaded(lines, id: id), big)
    }
}
