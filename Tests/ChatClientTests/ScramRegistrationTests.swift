import ChatClient
import ChatServer
import Foundation
import XCTest

/// The client's SCRAM-SHA-256 (ChatServer's `ScramClientSide`, driven by `RegistrationMachine`).
final class ScramRegistrationTests: XCTestCase {
    func m(_ line: String) -> IRCMessage { try! IRCMessage(parsing: line) }

    func sent(_ actions: [RegistrationMachine.Action]) -> [String] {
        actions.compactMap { if case .send(let m) = $0 { return m.line } else { return nil } }
    }

    func b64(_ s: String) -> String { Data(s.utf8).base64EncodedString() }

    /// RFC 7677 §3 through the public client API.
    func testRFC7677VectorOnTheClientSide() {
        var client = ScramClientSide(user: "user", password: "pencil", nonce: "rOprNGfwEbeRWgbNEkqO")
        XCTAssertEqual(client.clientFirst, "n,,n=user,r=rOprNGfwEbeRWgbNEkqO")
        XCTAssertEqual(client.clientFinal(serverFirst: "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"),
                       "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")
        XCTAssertTrue(client.verify(serverFinal: "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="))
        XCTAssertFalse(client.verify(serverFinal: "v=AAAATRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="))
        XCTAssertNil(client.clientFinal(serverFirst: "r=someoneelse,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"), "the nonce must extend ours")
    }

    func testMachinePrefersScramAndChecksTheServer() {
        var r = RegistrationMachine(nick: "user", user: "u", realName: "U", account: "user", password: "pencil", wanted: [])
        r.scramNonce = "rOprNGfwEbeRWgbNEkqO"
        _ = r.start()
        XCTAssertEqual(sent(r.receive(m(":srv CAP * LS :sasl=PLAIN,EXTERNAL,SCRAM-SHA-256"))), ["CAP REQ :sasl"])
        XCTAssertEqual(sent(r.receive(m(":srv CAP * ACK :sasl"))), ["AUTHENTICATE SCRAM-SHA-256"])
        XCTAssertEqual(sent(r.receive(m("AUTHENTICATE +"))), ["AUTHENTICATE " + b64("n,,n=user,r=rOprNGfwEbeRWgbNEkqO")])
        let serverFirst = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"
        XCTAssertEqual(sent(r.receive(m("AUTHENTICATE " + b64(serverFirst)))),
                       ["AUTHENTICATE " + b64("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")])
        XCTAssertEqual(sent(r.receive(m("AUTHENTICATE " + b64("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")))), ["AUTHENTICATE +"])
        XCTAssertEqual(sent(r.receive(m(":srv 903 user :SASL authentication successful"))), ["CAP :END"])
    }

    func testAServerThatCannotProveItselfIsRefused() {
        var r = RegistrationMachine(nick: "user", user: "u", realName: "U", account: "user", password: "pencil", wanted: [])
        r.scramNonce = "rOprNGfwEbeRWgbNEkqO"
        _ = r.start()
        _ = r.receive(m(":srv CAP * LS :sasl=SCRAM-SHA-256"))
        _ = r.receive(m(":srv CAP * ACK :sasl"))
        _ = r.receive(m("AUTHENTICATE +"))
        _ = r.receive(m("AUTHENTICATE " + b64("r=rOprNGfwEbeRWgbNEkqOxyz,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")))
        XCTAssertEqual(r.receive(m("AUTHENTICATE " + b64("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="))),
                       [.failed(.loginFailed("the server could not prove it knows the password (SCRAM)"))])
    }

    func testRefusedScramFallsBackToPlainOnce() {
        var r = RegistrationMachine(nick: "alice", user: "a", realName: "A", account: "alice", password: "secret-pw", wanted: [])
        _ = r.start()
        _ = r.receive(m(":srv CAP * LS :sasl=PLAIN,SCRAM-SHA-256"))
        XCTAssertEqual(sent(r.receive(m(":srv CAP * ACK :sasl"))), ["AUTHENTICATE SCRAM-SHA-256"])
        _ = r.receive(m("AUTHENTICATE +"))
        // An account from before SCRAM has no verifier: the server says 904.
        XCTAssertEqual(sent(r.receive(m(":srv 904 alice :SASL authentication failed"))), ["AUTHENTICATE PLAIN"])
        XCTAssertEqual(sent(r.receive(m("AUTHENTICATE +"))), ["AUTHENTICATE YWxpY2UAYWxpY2UAc2VjcmV0LXB3"])
        XCTAssertEqual(r.receive(m(":srv 904 alice :SASL authentication failed")), [.failed(.loginFailed("SASL authentication failed"))])
    }
}
