@testable import ChatServer
import CoreLoop
import Foundation
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The real chatd process with a TLS listener: `kill -HUP` picks up a
/// certificate renewed on disk for new handshakes, keeps the connections
/// that were open, and keeps the last good certificate when the new files
/// do not load.
final class TLSSighupProcessTests: XCTestCase {
    var server: ChatdProcess?
    var dataDir = ""

    override func tearDown() {
        if let server {
            if server.process.isRunning { server.signal(SIGKILL) }
            server.removeFiles()
        }
        try? FileManager.default.removeItem(atPath: dataDir)
    }

    /// A TLS client once the listener accepts (the process may still be starting).
    func tlsClient(port: Int, timeout: Double = 30) throws -> TLSLoopbackIRCClient {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let client = try? TLSLoopbackIRCClient(port: port) { return client }
            guard server!.process.isRunning else { throw LoopbackTimeout(waitingFor: "chatd (exited): \(server!.log)") }
            guard Date() < deadline else { throw LoopbackTimeout(waitingFor: "the TLS listener: \(server!.log)") }
            usleep(20_000)
        }
    }

    /// New handshakes until one sees `fingerprint` (the reload runs on a worker after the signal).
    func waitForFingerprint(_ fingerprint: String, port: Int) throws {
        let deadline = Date().addingTimeInterval(30)
        var seen = ""
        while seen != fingerprint {
            guard Date() < deadline else { return XCTFail("new handshakes still see \(seen), not \(fingerprint): \(server!.log)") }
            seen = try tlsClient(port: port).serverFingerprint
            if seen != fingerprint { usleep(20_000) }
        }
    }

    func waitForLog(_ text: String) {
        let deadline = Date().addingTimeInterval(30)
        while !server!.log.contains(text) {
            guard Date() < deadline else { return XCTFail("no \"\(text)\" in the log: \(server!.log)") }
            usleep(10_000)
        }
    }

    func testSighupReloadsTheCertificateAndKeepsOpenConnections() throws {
        dataDir = ChatdProcess.temporaryDataDir()
        let tlsPort = try ChatdProcess.freePort()
        let server = try ChatdProcess(dataDir: dataDir, arguments: ["--tls-listen", "127.0.0.1:\(tlsPort)"])
        self.server = server
        let old = try tlsClient(port: tlsPort)
        // No certificate configured: the one generated on first start is served.
        let certificate = TLSSettings.generatedCertificatePath(dataDir: dataDir)
        let key = TLSSettings.generatedKeyPath(dataDir: dataDir)
        let first = try TLSContext.fingerprint(ofCertificateFile: certificate)
        XCTAssertEqual(old.serverFingerprint, first)
        try old.line("NICK before")
        try old.line("USER before 0 * :Before")
        try old.waitFor("001") { $0.contains(" 001 ") }

        // Renewed on disk (as certbot would), then SIGHUP.
        let renewed = try TLSContext.writeSelfSigned(commonName: "renewed.example", certificateFile: certificate, keyFile: key)
        XCTAssertNotEqual(renewed, first)
        server.signal(SIGHUP)
        try waitForFingerprint(renewed, port: tlsPort)
        waitForLog("TLS certificate loaded, SHA-256 \(renewed)")

        // The connection from before is still served, on its old session.
        XCTAssertEqual(old.serverFingerprint, first)
        try old.line("PING :still-here")
        try old.waitFor("PONG") { $0.contains("PONG") && $0.hasSuffix("still-here") }
        let fresh = try tlsClient(port: tlsPort)
        try fresh.line("NICK after")
        try fresh.line("USER after 0 * :After")
        try fresh.waitFor("001") { $0.contains(" 001 ") }

        // A certificate that does not load: logged, and the renewed one stays.
        try Data("not a certificate".utf8).write(to: URL(fileURLWithPath: certificate))
        server.signal(SIGHUP)
        waitForLog("TLS certificate not reloaded")
        XCTAssertEqual(try tlsClient(port: tlsPort).serverFingerprint, renewed)
        XCTAssertTrue(server.process.isRunning)
        try old.line("PING :after-the-bad-one")
        try old.waitFor("PONG") { $0.hasSuffix("after-the-bad-one") }

        server.signal(SIGTERM)
        XCTAssertEqual(try server.waitForExit(), 0)
    }
}
