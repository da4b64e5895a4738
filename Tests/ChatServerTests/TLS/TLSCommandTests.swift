@testable import ChatServer
import CoreLoop
import Foundation
import XCTest

/// The IRC side of TLS, in memory: WHOIS 671, the `sts` capability, SASL
/// EXTERNAL, certificate fingerprints in storage, and the configuration keys.
final class TLSCommandTests: XCTestCase {
    let fingerprint = String(repeating: "ab", count: 32)

    // MARK: WHOIS

    func testWhoisShows671OnlyForSecureConnections() {
        let net = TestNet()
        let secure = net.connect()
        secure.transport.isSecure = true
        secure.send("NICK alice")
        secure.send("USER alice 0 * :Alice")
        _ = secure.lines()
        let plain = net.user("bob")
        plain.send("WHOIS alice")
        let aboutAlice = plain.plainLines()
        XCTAssertTrue(aboutAlice.contains { $0.contains(" 671 bob alice :is using a secure connection") }, "\(aboutAlice)")
        secure.send("WHOIS bob")
        let aboutBob = secure.codes()
        XCTAssertTrue(aboutBob.contains("318"))
        XCTAssertFalse(aboutBob.contains("671"))
    }

    // MARK: STS

    func testSTSNamesThePortOnPlainAndTheDurationOnTLSConnections() {
        let net = TestNet()
        net.server.stsPolicy = STSPolicy(port: 6697, durationSeconds: 86_400)
        let plain = net.connect()
        plain.send("CAP LS 302")
        XCTAssertTrue(plain.plainLines().joined().contains("sts=port=6697"))
        let secure = net.connect()
        secure.transport.isSecure = true
        secure.send("CAP LS 302")
        let offered = secure.plainLines().joined()
        XCTAssertTrue(offered.contains("sts=duration=86400"), offered)
        XCTAssertFalse(offered.contains("sts=port"))
        // Over WebSocket: the policy's port is a raw IRC TLS listener the client could not use.
        let web = net.connect()
        web.transport.takesSTSPolicy = false
        web.send("CAP LS 302")
        XCTAssertFalse(web.plainLines().joined().contains("sts"), "no sts for a WebSocket client")
        // Without 302 a capability has no value, so STS is not shown.
        let old = net.connect()
        old.send("CAP LS")
        XCTAssertFalse(old.plainLines().joined().contains("sts"))
        // A policy is not requested, only read.
        plain.send("CAP REQ sts")
        XCTAssertTrue(plain.plainLines().joined().contains("NAK"))
    }

    func testNoSTSWithoutAPolicy() {
        let net = TestNet()
        let plain = net.connect()
        plain.send("CAP LS 302")
        XCTAssertFalse(plain.plainLines().joined().contains("sts"))
    }

    // MARK: SASL EXTERNAL

    private func netWithCertificateAccount() throws -> TestNet {
        let net = TestNet.withStorage()
        try net.storage!.createAccount(AccountRecord(name: "Alice", email: nil, passwordHash: "x", createdAtMillis: 0))
        XCTAssertEqual(try net.storage!.addCertificateFingerprint(CertificateFingerprint(fingerprint)!, toAccount: "alice", atMillis: 1), .added)
        try net.server.loadPersistentState()
        return net
    }

    private func externalLogin(_ net: TestNet, fingerprint: String?, secure: Bool = true, response: String = "+") -> [String] {
        let u = net.connect()
        u.transport.isSecure = secure
        u.transport.peerCertificateFingerprint = fingerprint
        u.send("CAP REQ :sasl")
        u.send("NICK visitor")
        u.send("USER visitor 0 * :Visitor")
        u.send("AUTHENTICATE EXTERNAL")
        var lines = u.plainLines()
        if lines.contains("AUTHENTICATE +") {
            u.send("AUTHENTICATE \(response)")
            lines += u.plainLines()
        }
        return lines
    }

    func testExternalLogsInTheAccountLinkedToTheCertificate() throws {
        let net = try netWithCertificateAccount()
        let lines = externalLogin(net, fingerprint: fingerprint)
        XCTAssertTrue(lines.contains { $0.contains(" 900 ") && $0.contains("Alice") }, "\(lines)")
        XCTAssertTrue(lines.contains { $0.contains(" 903 ") }, "\(lines)")
    }

    func testExternalWithAMatchingAuthorizationIdentity() throws {
        let net = try netWithCertificateAccount()
        let lines = externalLogin(net, fingerprint: fingerprint, response: Data("alice".utf8).base64EncodedString())
        XCTAssertTrue(lines.contains { $0.contains(" 903 ") }, "\(lines)")
    }

    func testExternalRefusesAnotherAccountsNameAnUnknownCertificateAndNoCertificate() throws {
        let net = try netWithCertificateAccount()
        let otherName = externalLogin(net, fingerprint: fingerprint, response: Data("mallory".utf8).base64EncodedString())
        XCTAssertTrue(otherName.contains { $0.contains(" 904 ") }, "\(otherName)")
        XCTAssertFalse(otherName.contains { $0.contains(" 903 ") })
        let unknown = externalLogin(net, fingerprint: String(repeating: "cd", count: 32))
        XCTAssertTrue(unknown.contains { $0.contains(" 904 ") }, "\(unknown)")
        // No certificate: refused at once, before any AUTHENTICATE +.
        let none = externalLogin(net, fingerprint: nil, secure: false)
        XCTAssertFalse(none.contains("AUTHENTICATE +"))
        XCTAssertTrue(none.contains { $0.contains(" 904 ") && $0.contains("client certificate") }, "\(none)")
    }

    func testSASLCapabilityListsExternal() {
        let net = TestNet.withStorage()
        let u = net.connect()
        u.send("CAP LS 302")
        XCTAssertTrue(u.plainLines().joined().contains("sasl=PLAIN,EXTERNAL"))
        u.send("AUTHENTICATE DIGEST-MD5")
        XCTAssertTrue(u.plainLines().contains { $0.contains(" 908 ") && $0.contains("PLAIN,EXTERNAL,SCRAM-SHA-256") })
    }

    // MARK: Storage and console

    func testFingerprintsLinkToOneAccountAndGoWithIt() throws {
        let storage = try ChatStorage()
        try storage.createAccount(AccountRecord(name: "alice", email: nil, passwordHash: "x", createdAtMillis: 0))
        try storage.createAccount(AccountRecord(name: "bob", email: nil, passwordHash: "x", createdAtMillis: 0))
        let fp = CertificateFingerprint(fingerprint)!
        XCTAssertEqual(try storage.addCertificateFingerprint(fp, toAccount: "ALICE", atMillis: 1), .added)
        XCTAssertEqual(try storage.addCertificateFingerprint(fp, toAccount: "alice", atMillis: 2), .alreadyLinked)
        XCTAssertEqual(try storage.addCertificateFingerprint(fp, toAccount: "bob", atMillis: 3), .linkedToOther("alice"))
        XCTAssertEqual(try storage.addCertificateFingerprint(fp, toAccount: "nobody", atMillis: 4), .noSuchAccount)
        XCTAssertEqual(try storage.account(forCertificateFingerprint: fp)?.name, "alice")
        XCTAssertEqual(try storage.certificateFingerprints(ofAccount: "alice"), [fp.hex])
        try storage.deleteAccount(named: "alice")
        XCTAssertNil(try storage.account(forCertificateFingerprint: fp), "deleting the account forgets its certificates")
    }

    func testFingerprintAcceptsColonsAndCaseAndRefusesOtherText() {
        let colons = TLSContext.colonSeparated(fingerprint)
        XCTAssertEqual(CertificateFingerprint(colons)?.hex, fingerprint)
        XCTAssertEqual(CertificateFingerprint(fingerprint.uppercased())?.hex, fingerprint)
        XCTAssertNil(CertificateFingerprint(String(fingerprint.dropLast())))
        XCTAssertNil(CertificateFingerprint(String(repeating: "zz", count: 32)))
        XCTAssertNil(CertificateFingerprint(""))
    }

    // MARK: Configuration

    private func parse(_ json: String) throws -> ServerConfig {
        try ConfigLoader.parse(Data(json.utf8), file: "test.json")
    }

    func testListenTakesStringsAndTLSObjects() throws {
        let config = try parse("""
            {"listen": ["127.0.0.1:6667", {"address": "127.0.0.1:6697", "tls": true}, {"address": "[::1]:6668"}],
             "tls": {"certificate": "/etc/c.pem", "key": "/etc/k.pem", "handshakeTimeoutSeconds": 5, "stsDurationSeconds": 600}}
            """)
        XCTAssertEqual(config.listen, ["127.0.0.1:6667", "[::1]:6668"])
        XCTAssertEqual(config.tlsListen, ["127.0.0.1:6697"])
        XCTAssertEqual(config.tls.certificateFile, "/etc/c.pem")
        XCTAssertEqual(config.tls.keyFile, "/etc/k.pem")
        XCTAssertEqual(config.tls.handshakeTimeoutSeconds, 5)
        XCTAssertEqual(config.tls.stsDurationSeconds, 600)
        XCTAssertEqual(try parse("{}").tlsListen, [])
        XCTAssertEqual(try parse("{}").tls, TLSSettings())
    }

    func testBadTLSConfigurationNamesTheKey() {
        let cases: [(String, String)] = [
            (#"{"listen": [{"tls": true}]}"#, "listen[0].address"),
            (#"{"listen": [{"address": "127.0.0.1:1", "tls": "yes"}]}"#, "listen[0].tls"),
            (#"{"listen": [{"address": "127.0.0.1:1", "secure": true}]}"#, "listen[0].secure"),
            (#"{"listen": [{"address": "nowhere", "tls": true}]}"#, "listen[0]"),
            (#"{"listen": [7]}"#, "listen[0]"),
            (#"{"tls": {"certificate": "/c.pem"}}"#, "tls.key"),
            (#"{"tls": {"handshakeTimeoutSeconds": 0}}"#, "tls.handshakeTimeoutSeconds"),
            (#"{"tls": {"colour": 1}}"#, "tls.colour"),
        ]
        for (json, key) in cases {
            XCTAssertThrowsError(try parse(json), json) { error in
                XCTAssertTrue("\(error)".contains(key), "\(json): \(error)")
            }
        }
    }
}
