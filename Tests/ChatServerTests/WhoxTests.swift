@testable import ChatServer
import XCTest

final class WhoxTests: XCTestCase {
    func testFieldsComeInSpecOrderWithToken() {
        let net = TestNet()
        let alice = net.user("alice"), bob = net.user("bob")
        alice.send("JOIN #c"); bob.send("JOIN #c")
        bob.send("AWAY :out")
        _ = alice.lines()
        alice.send("WHO bob %rnaft,42")
        XCTAssertEqual(alice.plainLines(), [":test.server 354 alice 42 bob G 0 :bob Real",
                                            ":test.server 315 alice bob :End of /WHO list"])
        alice.send("WHO #c %tcuihsndfloar,7")
        let lines = alice.plainLines()
        XCTAssertEqual(lines.count, 3)
        XCTAssertTrue(lines.contains(":test.server 354 alice 7 #c ~alice 127.0.0.1 127.0.0.1 test.server alice H@ 0 0 0 n/a :alice Real"))
        XCTAssertTrue(lines.contains(":test.server 354 alice 7 #c ~bob 127.0.0.1 127.0.0.1 test.server bob G 0 0 0 n/a :bob Real"))
    }

    func testTokenRulesAndUnknownFields() {
        let net = TestNet()
        let alice = net.user("alice")
        alice.send("WHO alice %tn,1234")
        XCTAssertEqual(alice.plainLines().first, ":test.server 354 alice 0 :alice")
        alice.send("WHO alice %tn,ab")
        XCTAssertEqual(alice.plainLines().first, ":test.server 354 alice 0 :alice")
        alice.send("WHO alice %nzq")
        XCTAssertEqual(alice.plainLines().first, ":test.server 354 alice :alice")
        alice.send("WHO alice %")
        XCTAssertEqual(alice.plainLines(), [":test.server 315 alice alice :End of /WHO list"])
        alice.send("WHO nobody %n")
        XCTAssertEqual(alice.codes(), ["315"])
    }

    func testVisibilityAndOperatorFilterMatchPlainWho() {
        let net = TestNet()
        let alice = net.user("alice"), ghost = net.user("ghost"), root = net.user("root")
        ghost.send("MODE ghost +i")
        root.send("OPER root sesame")
        _ = root.lines()
        alice.send("WHO * %n")
        let seen = alice.plainLines().dropLast().map { $0.split(separator: ":").last! }
        XCTAssertEqual(Set(seen), ["alice", "root"])
        alice.send("WHO * o%n")
        XCTAssertEqual(alice.plainLines().first, ":test.server 354 alice :root")
        // The % form must not be read as the plain "o" flag.
        alice.send("WHO alice %o")
        XCTAssertEqual(alice.plainLines().first, ":test.server 354 alice :n/a")
        // Plain WHO is unchanged.
        alice.send("WHO alice")
        XCTAssertEqual(alice.plainLines().first, ":test.server 352 alice * ~alice 127.0.0.1 test.server alice H :0 alice Real")
        alice.send("VERSION")
        XCTAssertTrue(alice.plainLines().contains { $0.contains(" WHOX ") })
    }

    func testAccountField() throws {
        let net = TestNet.withStorage()
        let alice = net.user("alice")
        alice.send("REGISTER * * :long-password-1")
        _ = alice.lines()
        let bob = net.user("bob")
        bob.send("WHO alice %na")
        XCTAssertEqual(bob.plainLines().first, ":test.server 354 bob alice :alice")
        bob.send("WHO bob %na")
        XCTAssertEqual(bob.plainLines().first, ":test.server 354 bob bob :0")
    }
}
