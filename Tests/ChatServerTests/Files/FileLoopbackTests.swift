@testable import ChatServer
import Foundation
import XCTest

/// FILE through the real daemon on loopback: channel and private shares,
/// and chat latency while a megabyte is uploaded and downloaded.
final class FileLoopbackTests: XCTestCase {
    var daemon: DaemonThread!
    var dataDir = ""

    override func setUpWithError() throws {
        dataDir = FileTestSupport.dataDir()
        let dir = dataDir
        daemon = try DaemonThread(storage: try ChatStorage(path: dir + "/chatd.sqlite")) {
            $0.dataDir = dir
            $0.limits.maxConnectionsPerIP = 0
            $0.limits.floodLinesPerSecond = 0
        }
        daemon.start()
    }

    override func tearDown() {
        daemon.stop()
        try? FileManager.default.removeItem(atPath: dataDir)
    }

    /// A text of `bytes` bytes, lines numbered so a shifted chunk would show.
    static func text(bytes: Int) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while out.count < bytes {
            out += Array("line \(i): the quick brown fox jumps over the lazy dog ✓\n".utf8)
            i += 1
        }
        return Array(out.prefix(bytes - 1)) + [0x0A]
    }

    /// alice (with an account, to upload) and bob, both in #share.
    static func sharingPair(port: Int, bobReceiveBuffer: Int32? = nil) throws -> (alice: LoopbackIRCClient, bob: LoopbackIRCClient) {
        let alice = try LoopbackIRCClient(port: port)
        try alice.registerAccount("alice")
        let bob = try LoopbackIRCClient(port: port, receiveBuffer: bobReceiveBuffer)
        try bob.register("bob")
        for c in [alice, bob] {
            try c.line("JOIN #share")
            try c.waitFor("join") { $0.contains(" 366 ") }
        }
        return (alice, bob)
    }

    func testChannelShareIsDownloadedByteIdentical() throws {
        let (alice, bob) = try Self.sharingPair(port: daemon.port)
        let content = Self.text(bytes: 200_000)
        let id = try alice.uploadFile(to: "#share", name: "notes.txt", content)
        try bob.waitFor("the share notice") { $0.contains("PRIVMSG #share :alice shared notes.txt") && $0.hasSuffix("FILE GET \(id)") }
        XCTAssertEqual(try bob.downloadFile(id), content)
    }

    func testPrivateShare() throws {
        let alice = try LoopbackIRCClient(port: daemon.port)
        try alice.registerAccount("alice")
        let bob = try LoopbackIRCClient(port: daemon.port)
        try bob.registerAccount("bob")
        let content = Self.text(bytes: 5_000)
        let id = try alice.uploadFile(to: "bob", name: "for-bob.txt", content)
        try bob.waitFor("the private notice") { $0.contains("PRIVMSG bob :alice shared for-bob.txt") }
        XCTAssertEqual(try bob.downloadFile(id), content)
        let carol = try LoopbackIRCClient(port: daemon.port)
        try carol.register("carol")
        try carol.line("FILE GET \(id)")
        try carol.waitFor("NOT_ALLOWED") { $0.contains("FAIL FILE NOT_ALLOWED \(id)") }
    }

    /// 50 members chat (one line every 20 ms, each timed to its echo at
    /// another member) while a megabyte is uploaded, then while 20 of them
    /// download it: the p99 must not jump. Bounded: 50 rounds per phase.
    func testChatLatencyDuringUploadAndDownloads() throws {
        let members = try (0..<50).map { i -> LoopbackIRCClient in
            let c = try LoopbackIRCClient(port: daemon.port)
            try c.register("m\(i)")
            try c.line("JOIN #busy")
            try c.waitFor("join") { $0.contains("366") }
            return c
        }
        let alice = try LoopbackIRCClient(port: daemon.port)
        try alice.registerAccount("alice")
        try alice.line("JOIN #busy")
        try alice.waitFor("join") { $0.contains("366") }
        let listener = members[49]

        /// One timed line from a member, read back at `listener`; returns seconds.
        func roundTrip(_ n: Int) throws -> Double {
            let start = Date()
            try members[n % 20].line("PRIVMSG #busy :ping \(n)")  // 20..<40 download, 49 listens
            try listener.waitFor("ping \(n)") { $0.hasSuffix(":ping \(n)") }
            return Date().timeIntervalSince(start)
        }
        func p99(_ samples: [Double]) -> Double { samples.sorted()[min(samples.count - 1, samples.count * 99 / 100)] }

        let quiet = try (0..<50).map(roundTrip)
        let content = Self.text(bytes: 1_048_576)
        let shared = Shared(downloads: 20)
        let uploadDone = DispatchSemaphore(value: 0)
        Thread {
            shared.set { $0.id = (try? alice.uploadFile(to: "#busy", name: "big.txt", content)) ?? "" }
            uploadDone.signal()
        }.start()
        var during = try (50..<100).map(roundTrip)
        XCTAssertEqual(uploadDone.wait(timeout: .now() + 60), .success, "upload finished")
        let id = shared.get { $0.id }
        XCTAssertFalse(id.isEmpty)

        // 20 members download at once (on their own threads) while the rest chat.
        let group = DispatchGroup()
        for i in 20..<40 {
            group.enter()
            Thread {
                let ok = (try? members[i].downloadFile(id)) == content
                shared.set { $0.results[i - 20] = ok }
                group.leave()
            }.start()
        }
        during += try (100..<150).map(roundTrip)
        XCTAssertEqual(group.wait(timeout: .now() + 120), .success, "downloads finished")
        XCTAssertEqual(shared.get { $0.results }, [Bool](repeating: true, count: 20), "every download byte-identical")
        // Generous on a loaded 2-core machine; a queued megabyte per client would blow it.
        XCTAssertLessThan(p99(during), max(0.5, p99(quiet) * 20), "quiet p99 \(p99(quiet)), during \(p99(during))")
    }
}

/// What the test's threads hand back, behind a lock.
private final class Shared: @unchecked Sendable {
    struct Values {
        var id = ""
        var results: [Bool]
    }
    private var values: Values
    private let lock = NSLock()
    init(downloads: Int) { values = Values(results: [Bool](repeating: false, count: downloads)) }
    func set(_ change: (inout Values) -> Void) { lock.lock(); change(&values); lock.unlock() }
    func get<T>(_ read: (Values) -> T) -> T { lock.lock(); defer { lock.unlock() }; return read(values) }
}
