import CoreLoop
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The real `chatd` executable, started on a loopback port and a data folder.
final class ChatdProcess {
    let process = Process()
    let port: Int
    let dataDir: String
    let logPath: String
    let configPath: String

    /// The chatd binary built next to this test bundle.
    static var binary: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("chatd").path
    }

    /// A loopback port that was free a moment ago.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        let address = try SocketAddress(host: "127.0.0.1", port: 0)
        _ = address.withSockAddr { bind(fd, $0, $1) }
        return ListeningSocket.localAddress(of: fd)!.port!
    }

    init(dataDir: String, port: Int? = nil, extraConfig: String = "", arguments: [String] = []) throws {
        self.dataDir = dataDir
        self.port = try port ?? Self.freePort()
        let base = NSTemporaryDirectory() + "chatd-proc-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        logPath = base + ".log"
        configPath = base + ".json"
        try """
        {"serverName": "proc.test", "logLevel": "debug", "history": {"flushIntervalMillis": 50},
         "accounts": {"registrationsPerAddressPerHour": 0, "registrationsPerHour": 0},
         "limits": {"floodLinesPerSecond": 0}\(extraConfig)}
        """.write(toFile: configPath, atomically: true, encoding: .utf8)
        FileManager.default.createFile(atPath: logPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["--config", configPath, "--listen", "127.0.0.1:\(self.port)", "--data-dir", dataDir,
                             "--http-listen", "127.0.0.1:0"] + arguments  // not the default 8080: tests run side by side
        process.standardError = FileHandle(forWritingAtPath: logPath)
        process.standardOutput = FileHandle.nullDevice
        try process.run()
    }

    /// Connects once the server accepts, retrying until the deadline.
    func connect(timeout: Double = 30) throws -> LoopbackIRCClient {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let client = try? LoopbackIRCClient(port: port) { return client }
            guard process.isRunning else { throw LoopbackTimeout(waitingFor: "chatd (exited \(process.terminationStatus)): \(log)") }
            guard Date() < deadline else { throw LoopbackTimeout(waitingFor: "chatd to listen") }
            usleep(20_000)
        }
    }

    func signal(_ signo: Int32) { kill(process.processIdentifier, signo) }

    /// Waits for the process to exit; returns its status.
    func waitForExit(timeout: Double = 30) throws -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            guard Date() < deadline else {
                signal(SIGKILL)
                throw LoopbackTimeout(waitingFor: "chatd to exit")
            }
            usleep(10_000)
        }
        return process.terminationStatus
    }

    func removeFiles() {
        try? FileManager.default.removeItem(atPath: logPath)
        try? FileManager.default.removeItem(atPath: configPath)
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    static func temporaryDataDir() -> String {
        NSTemporaryDirectory() + "chatd-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
    }
}
