import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The real `chat` executable, built next to the test bundle, run as a
/// script would run it: its output goes to files (a pipe could fill and
/// stall it), it is killed if it outlives its deadline, and it never reads a
/// settings file of the machine it runs on (`XDG_CONFIG_HOME` is a fresh folder).
///
/// Thread-safety: the test thread that made it.
final class ChatBinary {
    let process = Process()
    let outPath: String
    let errPath: String
    private let folder: String

    static var path: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("chat").path
    }

    init(_ arguments: [String], environment: [String: String] = [:], in directory: String? = nil) throws {
        folder = NSTemporaryDirectory() + "chat-bin-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        outPath = folder + "/stdout"
        errPath = folder + "/stderr"
        FileManager.default.createFile(atPath: outPath, contents: nil)
        FileManager.default.createFile(atPath: errPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: Self.path)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env["XDG_CONFIG_HOME"] = folder
        env["CHAT_PASSWORD"] = nil
        for (k, v) in environment { env[k] = v }
        process.environment = env
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle(forWritingAtPath: outPath)
        process.standardError = FileHandle(forWritingAtPath: errPath)
        try process.run()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        try? FileManager.default.removeItem(atPath: folder)
    }

    var stdout: String { (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? "" }
    var stderr: String { (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? "" }

    /// Waits for the exit and returns the status; kills it and fails the test after `timeout`.
    @discardableResult
    func wait(timeout: Double = 60, file: StaticString = #filePath, line: UInt = #line) -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            guard Date() < deadline else {
                kill(process.processIdentifier, SIGKILL)
                XCTFail("chat \(process.arguments ?? []) still running after \(timeout)s; stderr: \(stderr)", file: file, line: line)
                return -1
            }
            usleep(10_000)
        }
        return process.terminationStatus
    }

    /// Runs `chat ARGUMENTS` to the end.
    static func run(_ arguments: [String], environment: [String: String] = [:], in directory: String? = nil,
                    timeout: Double = 60, file: StaticString = #filePath, line: UInt = #line) throws -> (status: Int32, out: String, err: String) {
        let chat = try ChatBinary(arguments, environment: environment, in: directory)
        let status = chat.wait(timeout: timeout, file: file, line: line)
        return (status, chat.stdout, chat.stderr)
    }
}

/// Waits, without a fixed sleep, for `condition` (checked every 10 ms); fails after `timeout`.
func waitUntil(_ what: String, timeout: Double = 30, file: StaticString = #filePath, line: UInt = #line,
               _ condition: () -> Bool) {
    let deadline = Date().addingTimeInterval(timeout)
    while !condition() {
        guard Date() < deadline else { return XCTFail("timed out after \(timeout)s waiting for \(what)", file: file, line: line) }
        usleep(10_000)
    }
}
