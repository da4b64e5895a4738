@testable import ChatServer
import Foundation
import XCTest

/// Downloads under a send-queue limit below the pump's 64 KiB window: the
/// pump must stay under the client's own limit, or it drops the very client
/// it serves ("SendQ exceeded"). Waits are on lines, with deadlines.
final class FileSmallSendQueueTests: XCTestCase {
    var daemon: DaemonThread!
    var dataDir = ""
    /// Well below the 64 KiB window (and a round's 32 KiB budget), well above a welcome burst.
    static let sendQueueBytes = 12_000

    override func setUpWithError() throws {
        dataDir = FileTestSupport.dataDir()
        let dir = dataDir
        daemon = try DaemonThread(storage: try ChatStorage(path: dir + "/chatd.sqlite")) {
            $0.dataDir = dir
            $0.limits.floodLinesPerSecond = 0
            $0.limits.sendQueueBytes = Self.sendQueueBytes
        }
        daemon.start()
    }

    override func tearDown() {
        daemon?.stop()
        try? FileManager.default.removeItem(atPath: dataDir)
    }

    func testWindowFollowsTheSendQueueLimit() {
        XCTAssertEqual(DownloadPump.clientWindow(sendQueueLimit: 0), DownloadPump.window, "no limit: the full window")
        XCTAssertEqual(DownloadPump.clientWindow(sendQueueLimit: 1_048_576), DownloadPump.window)
        XCTAssertEqual(DownloadPump.clientWindow(sendQueueLimit: 12_000), 6_000)
        XCTAssertEqual(DownloadPump.clientWindow(sendQueueLimit: 100), DownloadPump.minimumWindow)
    }

    /// A slow reader (small receive buffer) downloads 300 kB through a
    /// 12 kB send queue to the end, and is still connected afterwards.
    func testDownloadCompletesUnderASmallSendQueue() throws {
        let (alice, bob) = try FileLoopbackTests.sharingPair(port: daemon.port, bobReceiveBuffer: 4096)
        let content = FileLoopbackTests.text(bytes: 300_000)
        let id = try alice.uploadFile(to: "#share", name: "big.txt", content)
        try bob.waitFor("the share notice") { $0.hasSuffix("FILE GET \(id)") }

        XCTAssertEqual(try bob.downloadFile(id), content)
        try bob.line("PING :still-here")
        let pong = try bob.waitFor("PONG") { $0.contains("PONG") || $0.hasPrefix("ERROR") }
        XCTAssertTrue(pong.contains("still-here"), "bob was dropped: \(pong)")
    }
}
