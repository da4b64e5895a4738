@testable import ChatServer
import XCTest

/// SASL SCRAM-SHA-256 through the AUTHENTICATE handler, against the
/// hand-written client in `ScramTestClient`.
final class ScramTests: XCTestCase {
    /// RFC 7677 §3: user "user", password "pencil".
    func testRFC7677Vector() {
        let salt = [UInt8](Data(base64Encoded: "W22ZaJ0SNY7soEsUEjb6gQ==")!)
        let verifier = ScramVerifier.derive(password: "pencil", salt: salt, iterations: 4096)
        var client = ScramTestClient(user: "user", password: "pencil", clientNonce: "rOprNGfwEbeRWgbNEkqO")
        let serverFirst = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"
        XCTAssertEqual(client.clientFirst, "n,,n=user,r=rOprNGfwEbeRWgbNEkqO")
        XCTAssertEqual(client.clientFinal(serverFirst: serverFirst),
                       "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")
        XCTAssertTrue(client.verify(serverFinal: "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="))
        // The server's side from the stored verifier alone.
        let authMessage = Array("n=user,r=rOprNGfwEbeRWgbNEkqO,\(serverFirst),c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0".utf8)
        XCTAssertEqual(Base64.encode(ScramCrypto.hmac(key: verifier.serverKey, authMessage)), "6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")
        let proof = [UInt8](Data(base64Encoded: "dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")!)
        let clientKey = ScramCrypto.xor(proof, ScramCrypto.hmac(key: verifier.storedKey, authMessage))
        XCTAssertEqual(ScramCrypto.sha256(clientKey), verifier.storedKey)
    }

    func testMessageParsing() {
        XCTAssertEqual(ScramClientFirst("n,,n=us=2Cer=3D,r=abc")?.username, "us,er=")
        XCTAssertEqual(ScramClientFirst("n,a=bob,n=bob,r=x")?.authorizationID, "bob")
        XCTAssertEqual(ScramClientFirst("y,,n=bob,r=x")?.gs2Header, "y,,")
        XCTAssertNil(ScramClientFirst("p=tls-unique,,n=bob,r=x"), "no channel binding offered")
        XCTAssertNil(ScramClientFirst("n,,m=ext,n=bob,r=x"), "mandatory extension")
        XCTAssertNil(ScramClientFirst("n,,n=b=2Xob,r=x"), "bad escape")
        XCTAssertNil(ScramClientFirst("n,,n=bob"))
        XCTAssertNil(ScramClientFinal("c=biws,r=x,p=short"))
    }

    /// Runs the exchange for `user` on a fresh connection; returns the connection.
    @discardableResult
    private func scramLogIn(_ net: TestNet, nick: String, account: String, password: String,
                            file: StaticString = #filePath, line: UInt = #line) -> (user: TestUser, ok: Bool, answer: [String]) {
        let u = net.connect()
        u.send("CAP LS 302")
        let ls = u.plainLines().joined(separator: " ")
        XCTAssertTrue(ls.contains("sasl=PLAIN,EXTERNAL,SCRAM-SHA-256"), ls, file: file, line: line)
        u.send("CAP REQ :sasl")
        u.send("NICK \(nick)")
        u.send("USER \(nick) 0 * :\(nick)")
        _ = u.lines()
        u.send("AUTHENTICATE SCRAM-SHA-256")
        XCTAssertEqual(u.plainLines(), ["AUTHENTICATE +"], file: file, line: line)
        var client = ScramTestClient(user: account, password: password)
        u.send("AUTHENTICATE " + ScramTestClient.b64(client.clientFirst))
        let challenge = u.plainLines()
        guard challenge.count == 1, challenge[0].hasPrefix("AUTHENTICATE "),
              let serverFirst = ScramTestClient.unb64(String(challenge[0].dropFirst(13))),
              let final = client.clientFinal(serverFirst: serverFirst) else {
            return (u, false, challenge)
        }
        u.send("AUTHENTICATE " + ScramTestClient.b64(final))
        let answer = u.plainLines()
        guard answer.count == 1, answer[0].hasPrefix("AUTHENTICATE "),
              let serverFinal = ScramTestClient.unb64(String(answer[0].dropFirst(13))) else {
            return (u, false, answer)  // the caller checks the 904
        }
        XCTAssertTrue(client.verify(serverFinal: serverFinal), "the server proves it knows the verifier", file: file, line: line)
        u.send("AUTHENTICATE +")
        return (u, true, answer)
    }

    func testRegisteredAccountLogsInWithScram() {
        let net = TestNet.withStorage()
        let alice = net.user("alice")
        alice.send("REGISTER * * :correct-horse-battery")
        XCTAssertTrue(alice.codes().contains("900"))
        XCTAssertTrue(try net.storage!.hasScramVerifier(account: "alice"), "stored at creation")
        let (u, ok, _) = scramLogIn(net, nick: "alice2", account: "alice", password: "correct-horse-battery")
        XCTAssertTrue(ok)
        XCTAssertEqual(u.codes(), ["900", "903"])
        XCTAssertEqual(u.client?.account, "alice")
        u.send("CAP END")
        XCTAssertTrue(u.codes().contains("001"))
    }

    func testWrongPasswordUnknownAccountAndDecoySalt() {
        let net = TestNet.withStorage()
        let alice = net.user("alice")
        alice.send("REGISTER * * :correct-horse-battery")
        _ = alice.lines()
        let (bad, ok, answer) = scramLogIn(net, nick: "x1", account: "alice", password: "wrong-password!")
        XCTAssertFalse(ok)
        XCTAssertEqual(answer, [":test.server 904 x1 :SASL authentication failed"])
        XCTAssertNil(bad.client?.account)
        // An unknown name looks the same, with the same salt each time.
        func salt(_ name: String) -> String? {
            let u = net.connect()
            u.send("CAP REQ :sasl"); u.send("NICK s\(Int.random(in: 0...99_999))"); _ = u.lines()
            u.send("AUTHENTICATE SCRAM-SHA-256"); _ = u.lines()
            u.send("AUTHENTICATE " + ScramTestClient.b64("n,,n=\(name),r=abcdef"))
            let line = u.plainLines().first ?? ""
            u.send("AUTHENTICATE *")  // ends the exchange, and its place in the throttle
            return ScramTestClient.unb64(String(line.dropFirst(13))).flatMap { ScramTestClient.fields($0)["s"] }
        }
        XCTAssertNotNil(salt("nobody"))
        XCTAssertEqual(salt("nobody"), salt("NOBODY"))
        XCTAssertNotEqual(salt("nobody"), salt("alice"))
        let (_, ghostOK, ghostAnswer) = scramLogIn(net, nick: "x2", account: "nobody", password: "whatever-it-is")
        XCTAssertFalse(ghostOK)
        XCTAssertEqual(ghostAnswer, [":test.server 904 x2 :SASL authentication failed"])
    }

    func testFailuresCountTowardsTheThrottle() {
        let net = TestNet.withStorage { $0.accounts.loginMaxFailures = 2 }
        let alice = net.user("alice")
        alice.send("REGISTER * * :correct-horse-battery")
        _ = alice.lines()
        for i in 0..<2 {
            let (u, ok, _) = scramLogIn(net, nick: "g\(i)", account: "alice", password: "guess-number-\(i)")
            XCTAssertFalse(ok)
            _ = u.lines()
        }
        let u = net.connect()
        u.send("CAP REQ :sasl"); u.send("NICK late"); _ = u.lines()
        u.send("AUTHENTICATE SCRAM-SHA-256"); _ = u.lines()
        u.send("AUTHENTICATE " + ScramTestClient.b64("n,,n=alice,r=abcdef"))
        let refused = u.plainLines()
        XCTAssertEqual(refused.count, 1)
        XCTAssertTrue(refused[0].contains(" 904 late :Too many failed log-ins"), refused[0])
    }

    func testOldAccountGetsItsVerifierAtItsNextPlainLogIn() throws {
        let net = TestNet.withStorage()
        // An account from before SCRAM: a yescrypt hash and no verifier.
        let record = AccountRecord(name: "old", email: nil, passwordHash: try PasswordHasher.hash("an-old-password"),
                                   createdAtMillis: 0)
        try net.storage!.createAccount(record)
        XCTAssertFalse(try net.storage!.hasScramVerifier(account: "old"))
        let (first, ok, _) = scramLogIn(net, nick: "o1", account: "old", password: "an-old-password")
        XCTAssertFalse(ok, "no verifier yet")
        _ = first.lines()
        let plain = net.connect()
        plain.send("PASS old:an-old-password"); plain.send("NICK old"); plain.send("USER old 0 * :Old")
        XCTAssertTrue(plain.codes().contains("900"))
        XCTAssertTrue(try net.storage!.hasScramVerifier(account: "old"), "derived from the PLAIN log-in")
        let (u, scramOK, _) = scramLogIn(net, nick: "o2", account: "old", password: "an-old-password")
        XCTAssertTrue(scramOK)
        XCTAssertEqual(u.codes(), ["900", "903"])
    }

    func testPasswordChangeReplacesTheVerifier() throws {
        let net = TestNet.withStorage()
        let alice = net.user("alice")
        alice.send("REGISTER * * :correct-horse-battery")
        _ = alice.lines()
        let verifier = ScramVerifier.derive(password: "a-brand-new-one")
        XCTAssertTrue(try net.storage!.setPassword("alice", hash: try PasswordHasher.hash("a-brand-new-one"), verifier: verifier))
        XCTAssertFalse(scramLogIn(net, nick: "a1", account: "alice", password: "correct-horse-battery").ok)
        XCTAssertTrue(scramLogIn(net, nick: "a2", account: "alice", password: "a-brand-new-one").ok)
        XCTAssertFalse(try net.storage!.setPassword("nobody", hash: "x", verifier: verifier))
    }

    func testAbortAndMalformedMessages() {
        let net = TestNet.withStorage()
        let u = net.connect()
        u.send("CAP REQ :sasl"); u.send("NICK n"); _ = u.lines()
        u.send("AUTHENTICATE SCRAM-SHA-256"); _ = u.lines()
        u.send("AUTHENTICATE *")
        XCTAssertEqual(u.codes(), ["906"])
        XCTAssertNil(u.client?.saslScram)
        u.send("AUTHENTICATE SCRAM-SHA-256"); _ = u.lines()
        u.send("AUTHENTICATE " + ScramTestClient.b64("p=tls-unique,,n=x,r=y"))
        XCTAssertEqual(u.codes(), ["904"])
        XCTAssertNil(u.client?.saslScram)
        u.send("AUTHENTICATE NOPE")
        XCTAssertEqual(u.plainLines(), [":test.server 908 n PLAIN,EXTERNAL,SCRAM-SHA-256 :are available SASL mechanisms",
                                        ":test.server 904 n :SASL authentication failed"])
    }
}
