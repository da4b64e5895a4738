@testable import ChatServer
import CoreLoop
import Foundation
import XCTest

/// The daemon with a plain and a TLS listener on loopback, reached by a
/// plain client and by OpenSSL clients: mixed channels, WHOIS, `users`,
/// certificate generation and reload, STS and SASL EXTERNAL end to end.
final class TLSDaemonTests: XCTestCase {
    var directory: String!
    var daemon: DaemonThread!

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "tlsd-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() {
        daemon?.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func start(storage: ChatStorage? = nil, _ configure: (inout ServerConfig) -> Void = { _ in }) throws {
        let dir = directory!
        daemon = try DaemonThread(storage: storage) { config in
            config.dataDir = dir
            config.tlsListen = ["127.0.0.1:0"]
            configure(&config)
        }
        daemon.start()
    }

    private var tlsPort: Int { daemon.daemon.tlsListeners[0].address.port! }

    /// Runs a console verb on the loop and waits for its one reply.
    private func console(_ json: String) throws -> [String: Any] {
        let done = DispatchSemaphore(value: 0)
        var answer: ConsoleReply?
        let request = try ConsoleRequest(line: Data(json.utf8))
        let host = daemon.daemon
        host.loop.execute {
            ConsoleVerbs.handle(request, host: host) { reply in
                answer = reply
                done.signal()
            }
        }
        guard done.wait(timeout: .now() + 20) == .success, let answer else { throw LoopbackTimeout(waitingFor: "console reply") }
        switch answer {
        case .ok(let fields): return fields
        case .error(let error): throw error
        }
    }

    private func register(_ client: TLSLoopbackIRCClient, _ nick: String) throws {
        try client.line("NICK \(nick)")
        try client.line("USER \(nick) 0 * :\(nick)")
        try client.waitFor("001") { $0.contains(" 001 ") }
    }

    private func register(_ client: LoopbackIRCClient, _ nick: String) throws {
        try client.line("NICK \(nick)")
        try client.line("USER \(nick) 0 * :\(nick)")
        try client.waitFor("001") { $0.contains(" 001 ") }
    }

    /// A TLS connection refused before its handshake (here: one too many
    /// from the address) is closed at once, not after the 5 s flush timeout
    /// its ERROR would wait for: a peer that never says hello cannot pile up
    /// descriptors that way.
    func testARefusedTLSConnectionThatNeverHandshakesIsClosedAtOnce() throws {
        try start { $0.limits.maxConnectionsPerIP = 1 }
        let first = try LoopbackIRCClient(port: daemon.port)
        try first.register("first")
        let silent = try LoopbackIRCClient(port: tlsPort)  // TCP only: no ClientHello
        let started = Date()
        _ = try silent.readAllBytes(timeout: 20)
        XCTAssertLessThan(Date().timeIntervalSince(started), 2.5, "closed at once, not after the flush timeout")
    }

    func testPlaintextAndTLSUsersShareAChannel() throws {
        try start()
        // First start with no certificate configured: one was generated in the data folder.
        let generated = TLSSettings.generatedCertificatePath(dataDir: directory)
        XCTAssertTrue(FileManager.default.fileExists(atPath: generated))
        let alice = try TLSLoopbackIRCClient(port: tlsPort)
        XCTAssertEqual(alice.serverFingerprint, try TLSContext.fingerprint(ofCertificateFile: generated))
        let bob = try LoopbackIRCClient(port: daemon.port)
        try register(alice, "alice")
        try register(bob, "bob")
        try alice.line("JOIN #mix")
        // Precise: the 005 line mentions JOIN too (TARGMAX).
        try alice.waitFor("own join") { $0.hasPrefix(":alice!") && $0.contains(" JOIN ") }
        try bob.line("JOIN #mix")
        try bob.waitFor("end of names") { $0.contains(" 366 ") }
        try alice.waitFor("bob's join") { $0.hasPrefix(":bob!") && $0.contains("JOIN") }
        try alice.line("PRIVMSG #mix :from tls")
        XCTAssertTrue(try bob.waitFor("alice's message") { $0.contains("PRIVMSG") }.hasSuffix(":from tls"))
        try bob.line("PRIVMSG #mix :from plain")
        XCTAssertTrue(try alice.waitFor("bob's message") { $0.contains("PRIVMSG") }.hasSuffix(":from plain"))

        try bob.line("WHOIS alice")
        XCTAssertTrue(try bob.waitFor("671") { $0.contains(" 671 ") || $0.contains(" 318 ") }.contains(" 671 bob alice "))
        try alice.line("WHOIS bob")
        XCTAssertTrue(try alice.waitFor("318") { $0.contains(" 671 ") || $0.contains(" 318 ") }.contains(" 318 "), "no 671 for plain bob")

        let users = try console(#"{"cmd":"users"}"#)["users"] as? [[String: Any]] ?? []
        let transports = Dictionary(uniqueKeysWithValues: users.map { ($0["nick"] as? String ?? "", $0["transport"] as? String ?? "") })
        XCTAssertEqual(transports, ["alice": "tls", "bob": "tcp"])
    }

    func testCertificateReplacedAndReloadedWithoutDroppingConnections() throws {
        let configFile = directory + "/config.json"
        try Data(#"{"dataDir": "\#(directory!)"}"#.utf8).write(to: URL(fileURLWithPath: configFile))
        try start()
        daemon.daemon.configPath = configFile
        let certificate = TLSSettings.generatedCertificatePath(dataDir: directory)
        let key = TLSSettings.generatedKeyPath(dataDir: directory)
        let first = try TLSContext.fingerprint(ofCertificateFile: certificate)
        let old = try TLSLoopbackIRCClient(port: tlsPort)
        try register(old, "old")
        XCTAssertEqual(old.serverFingerprint, first)

        // Renewed on disk, then `chatctl reload`.
        let renewed = try TLSContext.writeSelfSigned(commonName: "renewed.example", certificateFile: certificate, keyFile: key)
        XCTAssertNotEqual(renewed, first)
        let notes = try console(#"{"cmd":"reload"}"#)["notes"] as? [String] ?? []
        XCTAssertTrue(notes.contains { $0.contains("TLS certificate loaded") && $0.contains(renewed) }, "\(notes)")
        let fresh = try TLSLoopbackIRCClient(port: tlsPort)
        XCTAssertEqual(fresh.serverFingerprint, renewed, "new connections get the new certificate")
        // The connection from before the reload is still served.
        try old.line("PING :still-here")
        try old.waitFor("PONG") { $0.contains("PONG") && $0.hasSuffix("still-here") }

        // A broken file is refused, and the last good certificate stays.
        try Data("not a certificate".utf8).write(to: URL(fileURLWithPath: certificate))
        let refused = try console(#"{"cmd":"reload"}"#)["notes"] as? [String] ?? []
        XCTAssertTrue(refused.contains { $0.contains("not reloaded") }, "\(refused)")
        XCTAssertEqual(try TLSLoopbackIRCClient(port: tlsPort).serverFingerprint, renewed)
    }

    func testSTSOnBothListenersAndSASLExternalWithAClientCertificate() throws {
        let storage = try ChatStorage(path: directory + "/chatd.sqlite")
        try storage.createAccount(AccountRecord(name: "carol", email: nil, passwordHash: "x", createdAtMillis: 0))
        try start(storage: storage) { $0.tls.stsDurationSeconds = 3600 }

        let plain = try LoopbackIRCClient(port: daemon.port)
        try plain.line("CAP LS 302")
        XCTAssertTrue(try plain.waitFor("CAP LS") { $0.contains(" CAP ") && $0.contains(" LS ") && !$0.contains(" LS * ") }.contains("sts=port=\(tlsPort)"))

        let clientCert = directory + "/carol-cert.pem", clientKey = directory + "/carol-key.pem"
        let fingerprint = try TLSContext.writeSelfSigned(commonName: "carol", certificateFile: clientCert, keyFile: clientKey)
        let linked = try console(#"{"cmd":"account-add-certfp","name":"carol","fingerprint":"\#(TLSContext.colonSeparated(fingerprint))"}"#)
        XCTAssertEqual(linked["fingerprint"] as? String, fingerprint)

        let carol = try TLSLoopbackIRCClient(port: tlsPort, certificateFile: clientCert, keyFile: clientKey)
        try carol.line("CAP LS 302")
        XCTAssertTrue(try carol.waitFor("CAP LS") { $0.contains(" CAP ") && $0.contains(" LS ") && !$0.contains(" LS * ") }.contains("sts=duration=3600"))
        try carol.line("CAP REQ :sasl")
        try carol.waitFor("ACK") { $0.contains("ACK") }
        try carol.line("AUTHENTICATE EXTERNAL")
        try carol.waitFor("AUTHENTICATE +") { $0 == "AUTHENTICATE +" }
        try carol.line("AUTHENTICATE +")
        XCTAssertTrue(try carol.waitFor("903 or 904") { $0.contains(" 903 ") || $0.contains(" 904 ") }.contains(" 903 "))

        // Another certificate is not linked to anything.
        let strangerCert = directory + "/s-cert.pem", strangerKey = directory + "/s-key.pem"
        try TLSContext.writeSelfSigned(commonName: "stranger", certificateFile: strangerCert, keyFile: strangerKey)
        let stranger = try TLSLoopbackIRCClient(port: tlsPort, certificateFile: strangerCert, keyFile: strangerKey)
        try stranger.line("CAP REQ :sasl")
        try stranger.line("AUTHENTICATE EXTERNAL")
        try stranger.waitFor("AUTHENTICATE +") { $0 == "AUTHENTICATE +" }
        try stranger.line("AUTHENTICATE +")
        XCTAssertTrue(try stranger.waitFor("903 or 904") { $0.contains(" 903 ") || $0.contains(" 904 ") }.contains(" 904 "))
    }
}
