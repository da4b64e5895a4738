@testable import ChatServer
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// SIGHUP reloads the configuration like `chatctl reload`.
final class SighupReloadTests: XCTestCase {
    var server: ChatdProcess?
    var files: [String] = []

    override func tearDown() {
        if let server {
            if server.process.isRunning { server.signal(SIGKILL) }
            server.removeFiles()
        }
        for file in files { try? FileManager.default.removeItem(atPath: file) }
    }

    /// The MOTD lines of a fresh client's welcome.
    func motd(of server: ChatdProcess, nick: String) throws -> [String] {
        let client = try server.connect()
        try client.line("NICK \(nick)")
        try client.line("USER \(nick) 0 * :\(nick)")
        var lines: [String] = []
        while true {
            let line = try client.waitForNumeric("372", "376", "422")
            guard let message = try? IRCMessage(parsing: line), message.command == "372" else { break }
            lines.append(message.params[1])
        }
        return lines
    }

    /// A daemon whose MOTD file says "The old message"; the file's path.
    func startWithMotdFile(extraConfig: String = "") throws -> (ChatdProcess, motdPath: String) {
        let dir = ChatdProcess.temporaryDataDir()
        files.append(dir)
        let motdPath = dir + ".motd"
        files.append(motdPath)
        try "The old message".write(toFile: motdPath, atomically: true, encoding: .utf8)
        let server = try ChatdProcess(dataDir: dir, extraConfig: #", "motdFile": "\#(motdPath)""# + extraConfig)
        self.server = server
        return (server, motdPath)
    }

    func testSighupReadsTheNewMotdForNewClients() throws {
        let (server, motdPath) = try startWithMotdFile()
        XCTAssertEqual(try motd(of: server, nick: "before"), ["- The old message"])

        try "A new day\nwith two lines".write(toFile: motdPath, atomically: true, encoding: .utf8)
        server.signal(SIGHUP)
        let deadline = Date().addingTimeInterval(20)
        while !server.log.contains("configuration reloaded") {
            guard Date() < deadline else { return XCTFail("no reload after SIGHUP: \(server.log)") }
            usleep(10_000)
        }
        XCTAssertEqual(try motd(of: server, nick: "after"), ["- A new day", "- with two lines"])
        XCTAssertTrue(server.process.isRunning, "SIGHUP must not stop the server")

        // A broken file is refused and the old settings stay.
        try "{ not json".write(toFile: server.configPath, atomically: true, encoding: .utf8)
        server.signal(SIGHUP)
        while !server.log.contains("reload refused") {
            guard Date() < deadline else { return XCTFail("no refusal logged: \(server.log)") }
            usleep(10_000)
        }
        XCTAssertEqual(try motd(of: server, nick: "later"), ["- A new day", "- with two lines"])
        server.signal(SIGTERM)
        XCTAssertEqual(try server.waitForExit(), 0, server.log)
    }
}

extension SighupReloadTests {
    /// An operator's REHASH reloads like SIGHUP and reports the outcome as NOTICEs.
    func testOperatorRehashReloadsTheRunningDaemon() throws {
        let (server, motdPath) = try startWithMotdFile(
            extraConfig: #", "operators": [{"name": "root", "password": "sesame", "hostMask": "*"}]"#)
        let oper = try server.connect()
        try oper.register("oper")
        try oper.line("OPER root sesame")
        _ = try oper.waitForNumeric("381")

        try "Rehashed".write(toFile: motdPath, atomically: true, encoding: .utf8)
        try oper.line("REHASH")
        XCTAssertTrue(try oper.waitForNumeric("382").contains(server.configPath))
        _ = try oper.waitFor("the outcome") { $0.contains("NOTICE oper :*** Rehash done") }
        XCTAssertEqual(try motd(of: server, nick: "after"), ["- Rehashed"])

        try "{ not json".write(toFile: server.configPath, atomically: true, encoding: .utf8)
        try oper.line("REHASH")
        _ = try oper.waitFor("the refusal") { $0.contains("NOTICE oper :*** Rehash failed: reload refused") }
        XCTAssertEqual(try motd(of: server, nick: "later"), ["- Rehashed"], "the running configuration is kept")
        server.signal(SIGTERM)
        XCTAssertEqual(try server.waitForExit(), 0, server.log)
    }

    /// Without storage there is no readers pool: reload makes a thread for the files.
    func testReloadWithoutStorageReadsOnAThreadOfItsOwn() throws {
        let path = ChatdProcess.temporaryDataDir() + ".json"
        files.append(path)
        try #"{"motd": "first"}"#.write(toFile: path, atomically: true, encoding: .utf8)
        let daemon = try DaemonThread()
        daemon.daemon.configPath = path
        daemon.start()
        defer { daemon.stop() }
        try #"{"motd": "second"}"#.write(toFile: path, atomically: true, encoding: .utf8)
        let answered = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var motd: [String]?
        nonisolated(unsafe) var failure: Error?
        let target = daemon.daemon
        target.loop.execute {
            target.reload { result in
                if case .failure(let error) = result { failure = error }
                motd = target.server.motdLines
                answered.signal()
            }
        }
        XCTAssertEqual(answered.wait(timeout: .now() + 20), .success, "reload never answered")
        XCTAssertNil(failure)
        XCTAssertEqual(motd, ["second"])
    }
}
