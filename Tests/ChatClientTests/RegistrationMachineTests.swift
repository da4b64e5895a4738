import ChatClient
import ChatServer
import XCTest

final class RegistrationMachineTests: XCTestCase {
    func m(_ line: String) -> IRCMessage { try! IRCMessage(parsing: line) }

    func sent(_ actions: [RegistrationMachine.Action]) -> [String] {
        actions.compactMap { if case .send(let m) = $0 { return m.line } else { return nil } }
    }

    // CAP is encoded with its last parameter in trailing form (IRCMessage does so
    // for text commands); servers read `CAP :END` and `CAP END` alike.
    func testPlainRegistrationRequestsOfferedCapsOnly() {
        var r = RegistrationMachine(nick: "alice", user: "alice", realName: "Alice", account: nil, password: nil,
                                    wanted: ["server-time", "batch", "nonexistent"])
        XCTAssertEqual(sent(r.start()), ["CAP LS :302", "NICK alice", "USER alice 0 * Alice"])
        // A multi-line LS: nothing is requested until the last line.
        XCTAssertEqual(sent(r.receive(m(":srv CAP * LS * :batch sasl=PLAIN"))), [])
        XCTAssertEqual(sent(r.receive(m(":srv CAP * LS :server-time echo-message"))), ["CAP REQ :server-time batch"])
        XCTAssertEqual(sent(r.receive(m(":srv CAP * ACK :server-time batch"))), ["CAP :END"])
        XCTAssertEqual(r.receive(m(":srv 001 alice :Welcome")), [.registered(nick: "alice", caps: ["server-time", "batch"])])
        XCTAssertTrue(r.isDone)
    }

    func testSASLPlainSuccess() {
        var r = RegistrationMachine(nick: "alice", user: "a", realName: "A", account: "alice", password: "secret-pw", wanted: [])
        _ = r.start()
        XCTAssertEqual(sent(r.receive(m(":srv CAP * LS :sasl=PLAIN"))), ["CAP REQ :sasl"])
        XCTAssertEqual(sent(r.receive(m(":srv CAP * ACK sasl"))), ["AUTHENTICATE PLAIN"])
        // base64("alice\0alice\0secret-pw")
        XCTAssertEqual(sent(r.receive(m("AUTHENTICATE +"))), ["AUTHENTICATE YWxpY2UAYWxpY2UAc2VjcmV0LXB3"])
        XCTAssertEqual(r.receive(m(":srv 900 alice alice!a@h alice :You are now logged in")), [.loggedIn(account: "alice")])
        XCTAssertEqual(sent(r.receive(m(":srv 903 alice :SASL authentication successful"))), ["CAP :END"])
    }

    func testSASLFailureFails() {
        var r = RegistrationMachine(nick: "alice", user: "a", realName: "A", account: "alice", password: "wrong", wanted: [])
        _ = r.start()
        _ = r.receive(m(":srv CAP * LS :sasl"))
        _ = r.receive(m(":srv CAP * ACK :sasl"))
        _ = r.receive(m("AUTHENTICATE +"))
        XCTAssertEqual(r.receive(m(":srv 904 alice :SASL authentication failed")), [.failed(.loginFailed("SASL authentication failed"))])
    }

    func testAccountWithoutSASLOnServerFails() {
        var r = RegistrationMachine(nick: "alice", user: "a", realName: "A", account: "alice", password: "pw", wanted: ["batch"])
        _ = r.start()
        XCTAssertEqual(r.receive(m(":srv CAP * LS :batch")), [.failed(.loginFailed("the server offers no SASL"))])
    }

    func testNickInUseTriesUnderscore() {
        var r = RegistrationMachine(nick: "bob", user: "b", realName: "B", account: nil, password: nil, wanted: [])
        _ = r.start()
        XCTAssertEqual(sent(r.receive(m(":srv 433 * bob :Nickname is already in use"))), ["NICK bob_"])
        XCTAssertEqual(r.receive(m(":srv 001 bob_ :hi")), [.registered(nick: "bob_", caps: [])])
    }

    func testSASLPayloadOfExactly400IsFollowedByPlus() {
        // 300 raw bytes → 400 base64 characters.
        let pieces = SASLPlain.authenticateParams(account: "a", password: String(repeating: "x", count: 296))
        XCTAssertEqual(pieces.map(\.count), [400, 1])
        XCTAssertEqual(pieces.last, "+")
    }
}
