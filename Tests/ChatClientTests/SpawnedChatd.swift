import CoreLoop
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The real `chatd` executable on a free loopback port and its own data
/// folder, for tests that drive the real `chat` binary (in tmux) against a
/// real server process. Stopped with SIGTERM, then SIGKILL if it lingers.
///
/// Thread-safety: the test thread that made it.
final class SpawnedChatd {
    let process = Process()
    let port: Int
    let folder: String

    static var binary: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("chatd").path
    }

    /// `config` is the config.json text; the port and data folder are flags.
    init(config: String = #"{"limits": {"floodLinesPerSecond": 0}}"#, arguments: [String] = []) throws {
        let folder = NSTemporaryDirectory() + "chatd-spawn-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        self.folder = folder
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        do {
            try config.write(toFile: folder + "/config.json", atomically: true, encoding: .utf8)
            port = try Self.freePort()
        } catch {
            try? FileManager.default.removeItem(atPath: folder)
            throw error
        }
        FileManager.default.createFile(atPath: folder + "/log", contents: nil)
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["--config", folder + "/config.json", "--listen", "127.0.0.1:\(port)",
                             "--data-dir", folder + "/data",
                             "--http-listen", "127.0.0.1:0"] + arguments  // not the default 8080: tests run side by side
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: folder + "/log")
        do {
            try process.run()
        } catch {
            try? FileManager.default.removeItem(atPath: folder)
            throw error
        }
    }

    var log: String { (try? String(contentsOfFile: folder + "/log", encoding: .utf8)) ?? "" }

    /// Waits until the server accepts connections.
    func waitUntilListening(timeout: Double = 30, file: StaticString = #filePath, line: UInt = #line) {
        waitUntil("chatd to listen on \(port) (log: \(log))", timeout: timeout, file: file, line: line) {
            guard process.isRunning else { return true }
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(fd) }
            guard let address = try? SocketAddress(host: "127.0.0.1", port: port) else { return false }
            return address.withSockAddr { connect(fd, $0, $1) } == 0
        }
        XCTAssertTrue(process.isRunning, "chatd exited: \(log)", file: file, line: line)
    }

    /// Stops the server and removes its folder (best effort: a server that
    /// outlived SIGKILL's wait may still hold a file). Here, not only in
    /// `deinit`: XCTest keeps every test case, and so its `chatd`, until the
    /// process exits, when no deinit runs, so a folder per test was left in /tmp.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGTERM)
            let deadline = Date().addingTimeInterval(20)
            while process.isRunning && Date() < deadline { usleep(10_000) }
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                let killed = Date().addingTimeInterval(5)
                while process.isRunning && Date() < killed { usleep(10_000) }
            }
        }
        try? FileManager.default.removeItem(atPath: folder)
    }

    deinit { stop() }

    /// A loopback port that was free a moment ago.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        let address = try SocketAddress(host: "127.0.0.1", port: 0)
        _ = address.withSockAddr { bind(fd, $0, $1) }
        return ListeningSocket.localAddress(of: fd)!.port!
    }
}
