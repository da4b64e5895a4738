@testable import ChatServer
import Foundation
import XCTest

final class AccountTests: XCTestCase {
    override class func setUp() {
        PasswordHasher.cost = 1  // fast hashes for handler tests; the format is the same
    }

    func plain(_ account: String, _ password: String, authz: String = "") -> String {
        Data("\(authz)\0\(account)\0\(password)".utf8).base64EncodedString()
    }

    /// Registers `nick` with an account and returns the logged-in user.
    @discardableResult
    func registered(_ net: TestNet, _ nick: String, password: String = "correct horse") -> TestUser {
        let u = net.user(nick)
        u.send("REGISTER * * :\(password)")
        XCTAssertEqual(u.plainLines().first, ":test.server REGISTER SUCCESS \(nick) :Account \(nick) registered")
        return u
    }

    func testRegisterCreatesADurableAccountAndLogsIn() throws {
        let net = TestNet.withStorage()
        let u = net.user("alice")
        u.send("REGISTER * alice@example.org :correct horse")
        XCTAssertEqual(u.plainLines(), [
            ":test.server REGISTER SUCCESS alice :Account alice registered",
            ":test.server 900 alice alice!~alice@127.0.0.1 alice :You are now logged in as alice",
        ])
        let stored = try XCTUnwrap(try net.storage!.account(named: "ALICE"))
        XCTAssertEqual(stored.email, "alice@example.org")
        XCTAssertTrue(stored.passwordHash.hasPrefix("$y$"), "yescrypt, parameters in the string")
        XCTAssertFalse(stored.passwordHash.contains("correct"))
        XCTAssertEqual(u.client?.account, "alice")
    }

    func testRegisterErrors() {
        let net = TestNet.withStorage { $0.accounts.minPasswordLength = 10 }
        registered(net, "taken", password: "long enough pw")
        let u = net.user("bob")
        u.send("REGISTER * * short")
        XCTAssertEqual(u.plainLines(), [":test.server FAIL REGISTER WEAK_PASSWORD bob :Passwords need at least 10 characters"])
        u.send("REGISTER taken * :long enough pw")
        XCTAssertEqual(u.plainLines(), [":test.server FAIL REGISTER ACCOUNT_EXISTS taken :That name is in use"])
        u.send("REGISTER 9bad * :long enough pw")
        XCTAssertTrue(u.plainLines().first?.contains("BAD_ACCOUNT_NAME") ?? false)
        u.send("REGISTER * not-an-email :long enough pw")
        XCTAssertTrue(u.plainLines().first?.contains("INVALID_EMAIL") ?? false)
        u.send("REGISTER * * :long enough pw")
        _ = u.lines()
        u.send("REGISTER * * :long enough pw")
        XCTAssertTrue(u.plainLines().first?.contains("ALREADY_AUTHENTICATED") ?? false)

        let early = net.connect()
        early.send("REGISTER * * :long enough pw")
        XCTAssertTrue(early.plainLines().first?.contains("NEED_NICK") ?? false)

        let noStorage = TestNet().user("x")
        noStorage.send("REGISTER * * :long enough pw")
        XCTAssertTrue(noStorage.plainLines().first?.contains("TEMPORARILY_UNAVAILABLE") ?? false)
    }

    func testTakenAccountOfflineStillExistsAfterQuit() {
        let net = TestNet.withStorage()
        registered(net, "alice").send("QUIT")
        let u = net.user("bob")
        u.send("REGISTER alice * :whatever123")
        XCTAssertTrue(u.plainLines().first?.contains("ACCOUNT_EXISTS") ?? false)
    }

    func testSASLPlainLogsInBeforeRegistrationCompletes() {
        let net = TestNet.withStorage()
        registered(net, "alice").send("QUIT")
        let u = net.connect()
        u.send("CAP LS 302")
        let capLines = u.plainLines()
        XCTAssertTrue(capLines.joined(separator: " ").contains("sasl=PLAIN"))
        u.send("CAP REQ :sasl")
        u.send("NICK alice")
        u.send("USER alice 0 * :Alice")
        u.send("AUTHENTICATE PLAIN")
        XCTAssertEqual(u.plainLines().last, "AUTHENTICATE +")
        u.send("AUTHENTICATE " + plain("alice", "correct horse"))
        XCTAssertEqual(u.codes(), ["900", "903"])
        u.send("AUTHENTICATE PLAIN")
        XCTAssertEqual(u.plainLines().last, "AUTHENTICATE +", "re-authentication (sasl-3.2) may start")
        u.send("AUTHENTICATE *")
        XCTAssertEqual(u.codes(), ["906"])
        u.send("CAP END")
        XCTAssertEqual(u.codes().first, "001", "the reserved nick is its owner's")
        XCTAssertEqual(u.client?.account, "alice")
    }

    func testSASLChunkingAbortAndErrors() {
        let net = TestNet.withStorage { $0.accounts.loginMaxFailures = 0 }
        let longPassword = String(repeating: "p", count: 300)
        let u = net.user("chunky")
        u.send("REGISTER * * :\(longPassword)")
        _ = u.lines()
        u.send("QUIT")

        let c = net.connect()
        c.send("NICK chunky")
        c.send("AUTHENTICATE PLAIN")
        _ = c.lines()
        let payload = plain("chunky", longPassword)
        XCTAssertEqual(payload.count, 412)
        c.send("AUTHENTICATE " + payload.prefix(400))
        XCTAssertEqual(c.lines(), [], "a 400-byte piece means more follows")
        c.send("AUTHENTICATE " + payload.dropFirst(400))
        XCTAssertEqual(c.codes(), ["900", "903"])

        let d = net.connect()
        d.send("AUTHENTICATE DIGEST-MD5")  // SCRAM-SHA-256 is offered now (ScramTests)
        XCTAssertEqual(d.codes(), ["908", "904"])
        d.send("AUTHENTICATE PLAIN")
        d.send("AUTHENTICATE *")
        XCTAssertEqual(d.codes(), ["AUTHENTICATE", "906"])
        d.send("AUTHENTICATE PLAIN")
        d.send("AUTHENTICATE " + plain("chunky", "wrong password"))
        XCTAssertEqual(d.codes(), ["AUTHENTICATE", "904"])
        d.send("AUTHENTICATE PLAIN")
        d.send("AUTHENTICATE " + String(repeating: "A", count: 401))
        XCTAssertEqual(d.codes(), ["AUTHENTICATE", "905"])
        d.send("AUTHENTICATE PLAIN")
        d.send("AUTHENTICATE " + plain("nobody", "whatever"))
        XCTAssertEqual(d.codes(), ["AUTHENTICATE", "904"], "no such account fails like a wrong password")
    }

    func testPassAccountColonPasswordForClientsWithoutSASL() {
        let net = TestNet.withStorage()
        registered(net, "alice").send("QUIT")
        let ok = net.connect()
        ok.send("PASS :alice:correct horse")
        ok.send("NICK alice")
        ok.send("USER alice 0 * :Alice")
        XCTAssertEqual(Array(ok.codes().prefix(2)), ["900", "001"])

        let bad = net.connect()
        bad.send("PASS alice:wrong")
        bad.send("NICK someone")
        bad.send("USER s 0 * :S")
        XCTAssertEqual(bad.codes(), ["464", "ERROR"])
        XCTAssertEqual(bad.closed, "Bad password")
    }

    func testThrottleForgetsKeysWhoseFailuresAgedOut() {
        var throttle = LoginThrottle(maxFailures: 3, windowSeconds: 60)
        let second: UInt64 = 1_000_000_000
        for i in 0..<100 { throttle.recordFailure(["ip:10.0.0.\(i)", "account:random\(i)"], now: 10 * second) }
        throttle.recordFailure(["ip:10.0.0.1"], now: 50 * second)
        XCTAssertEqual(throttle.trackedKeys, 200)
        throttle.sweep(now: 75 * second)
        XCTAssertEqual(throttle.trackedKeys, 1, "only the address with a failure still in the window")
        throttle.sweep(now: 110 * second)
        XCTAssertEqual(throttle.trackedKeys, 0)
    }

    func testFailedLoginsAreThrottledPerAddressAndAccount() {
        let net = TestNet.withStorage {
            $0.accounts.loginMaxFailures = 3
            $0.accounts.loginFailureWindowSeconds = 60
        }
        registered(net, "alice").send("QUIT")
        func attempt(_ password: String, host: String = "127.0.0.1") -> [String] {
            let c = net.connect(host: host)
            c.send("AUTHENTICATE PLAIN")
            c.send("AUTHENTICATE " + plain("alice", password))
            return c.plainLines()
        }
        for _ in 0..<3 { XCTAssertTrue(attempt("wrong").last!.contains("SASL authentication failed")) }
        let throttled = attempt("correct horse")
        XCTAssertTrue(throttled.last!.contains(" 904 ") && throttled.last!.contains("try again in"), "\(throttled)")
        // Per account too: another address is refused for this account.
        XCTAssertTrue(attempt("correct horse", host: "127.0.0.9").last!.contains("try again in"))
        net.clock.advance(seconds: 61)
        XCTAssertTrue(attempt("correct horse").contains { $0.contains(" 903 ") })
    }

    func testRegisteredNicksAreProtected() {
        let net = TestNet.withStorage()
        let owner = registered(net, "alice")
        owner.send("NICK alicia")
        _ = owner.lines()

        let squatter = net.connect()
        squatter.send("NICK alice")
        squatter.send("USER x 0 * :X")
        XCTAssertEqual(squatter.plainLines(), [":test.server 433 * alice :Nickname is registered to an account; log in (SASL, or PASS account:password) or choose another nick"])
        squatter.send("NICK notalice")
        XCTAssertEqual(squatter.codes().first, "001")
        squatter.send("NICK ALICE")
        XCTAssertEqual(squatter.codes(), ["433"])

        owner.send("NICK alice")
        XCTAssertEqual(owner.plainLines(), [":alicia!~alice@127.0.0.1 NICK alice"], "the owner may take it back")
    }

    func testOperatorAccountsAndAccountCapabilities() {
        let net = TestNet.withStorage { $0.accounts.operatorAccounts = ["Boss"] }
        let watcher = net.user("watcher", caps: ["account-notify", "extended-join", "account-tag"])
        watcher.send("JOIN #c")
        let boss = net.user("boss")
        boss.send("JOIN #c")
        _ = watcher.lines(); _ = boss.lines()
        boss.send("REGISTER * * :correct horse")
        XCTAssertEqual(boss.plainLines(), [":test.server REGISTER SUCCESS boss :Account boss registered",
                                           ":test.server 900 boss boss!~boss@127.0.0.1 boss :You are now logged in as boss",
                                           ":boss!~boss@127.0.0.1 MODE boss +o"], "told of the +o the account gives")
        XCTAssertTrue(boss.client!.isOperator)
        XCTAssertEqual(watcher.plainLines(), [":boss!~boss@127.0.0.1 ACCOUNT boss"])
        boss.send("PRIVMSG #c :hello")
        XCTAssertEqual(watcher.lines(), ["@account=boss :boss!~boss@127.0.0.1 PRIVMSG #c :hello"])
        boss.send("PART #c")
        boss.send("JOIN #c")
        XCTAssertEqual(watcher.plainLines().last, ":boss!~boss@127.0.0.1 JOIN #c boss :boss Real")
        watcher.send("WHOIS boss")
        XCTAssertTrue(watcher.plainLines().contains(":test.server 330 watcher boss boss :is logged in as"))
    }

    /// IRCv3 SASL: a log-in after registration answers 900 and 903 and
    /// leaves the nick alone; a second one to the same account says so again.
    func testLogInAfterRegistrationKeepsTheNick() {
        let net = TestNet.withStorage()
        registered(net, "alice").send("QUIT")
        let u = net.user("guest", caps: ["sasl"])
        u.send("AUTHENTICATE PLAIN")
        XCTAssertEqual(u.plainLines(), ["AUTHENTICATE +"])
        u.send("AUTHENTICATE " + plain("alice", "correct horse"))
        XCTAssertEqual(u.plainLines(), [
            ":test.server 900 guest guest!~guest@127.0.0.1 alice :You are now logged in as alice",
            ":test.server 903 guest :SASL authentication successful",
        ])
        XCTAssertEqual(u.client?.nick, "guest")
        u.send("AUTHENTICATE PLAIN")
        u.send("AUTHENTICATE " + plain("alice", "correct horse"))
        XCTAssertEqual(u.codes(), ["AUTHENTICATE", "900", "903"])
    }

    /// A network where the account alice exists (and has left), with the
    /// workers held so a log-in stays in flight until `runPending()`; and a
    /// fresh connection.
    func aliceExistsWorkersHeld() -> (TestNet, TestUser) {
        let net = TestNet.withStorage()
        registered(net, "alice").send("QUIT")
        net.workers.deferred = true
        return (net, net.connect())
    }

    func testInputHeldDuringAPassLogInFlowsAgainAfterIt() {
        let (net, u) = aliceExistsWorkersHeld()
        u.send("PASS :alice:correct horse")
        u.send("NICK alice")
        u.send("USER alice 0 * :A")
        XCTAssertEqual(u.feed("JOIN #held\r\n"), 0, "held while the password is checked")
        XCTAssertTrue(u.transport.paused)
        net.workers.runPending()
        XCTAssertFalse(u.transport.paused, "reading resumes once the log-in is answered")
        XCTAssertTrue(u.codes().contains("001"))
        u.send("JOIN #held")
        XCTAssertTrue(u.plainLines().contains { $0.hasSuffix(" JOIN #held") })
    }

    func testALogInAnsweredAfterTheConnectionDroppedReachesNoOne() {
        // Completions find their client again by id (a weak reference would
        // give every client that logs in a side table): once it has left,
        // the lookup is empty, and a client admitted later is not it.
        let (net, u) = aliceExistsWorkersHeld()
        u.send("CAP LS 302")
        u.send("CAP REQ :sasl")
        u.send("AUTHENTICATE PLAIN")
        u.send("AUTHENTICATE " + plain("alice", "correct horse"))
        XCTAssertEqual(net.workers.pendingCount, 1, "the password check is in flight")
        let gone = try! XCTUnwrap(u.client)
        net.server.transportClosed(gone, reason: "Connection reset by peer")
        XCTAssertNil(net.server.clients[gone.id])
        _ = u.lines()
        let later = net.user("bob")
        net.workers.runPending()
        XCTAssertEqual(u.lines(), [], "nothing is sent to a client that has gone")
        XCTAssertNil(later.client?.account, "the answer is not taken for someone else")
        XCTAssertNil(gone.account)
        XCTAssertEqual(later.plainLines().filter { $0.contains(" 900 ") }, [])
        let again = net.user("carol")
        again.send("PING :alive")
        XCTAssertEqual(again.codes(), ["PONG"])
    }

    func testHashingRunsOnTheWorkersNotInline() {
        let net = TestNet.withStorage()
        net.workers.deferred = true
        let u = net.user("alice")
        u.send("REGISTER * * :correct horse")
        XCTAssertEqual(u.lines(), [], "nothing is answered until the worker has hashed")
        XCTAssertEqual(net.workers.pendingCount, 1)
        u.send("PING :after")
        XCTAssertTrue(u.transport.paused, "alice's later lines wait, so her answers stay in order")
        XCTAssertEqual(u.lines(), [])
        let bob = net.user("bob")
        bob.send("PING :still responsive")
        XCTAssertEqual(bob.codes(), ["PONG"], "the server keeps serving others meanwhile")
        net.workers.runPending()
        XCTAssertEqual(u.codes(), ["REGISTER", "900"])
        XCTAssertFalse(u.transport.paused)
    }
}
