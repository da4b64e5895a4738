@testable import ChatServer
import XCTest

final class QueryTests: XCTestCase {
    func testSmallQueries() {
        let net = TestNet()
        let alice = net.user("alice"), bob = net.user("bob")
        bob.send("AWAY :brb")
        alice.send("ISON bob carol Alice")
        XCTAssertEqual(alice.plainLines(), [":test.server 303 alice :bob alice"])
        alice.send("USERHOST bob nobody")
        XCTAssertEqual(alice.plainLines(), [":test.server 302 alice :bob=-~bob@127.0.0.1"])
        alice.send("VERSION")
        XCTAssertEqual(alice.codes().first, "351")
        alice.send("TIME")
        XCTAssertEqual(alice.codes(), ["391"])
        alice.send("MOTD")
        XCTAssertEqual(alice.codes(), ["375", "372", "376"])
        alice.send("LUSERS")
        XCTAssertEqual(alice.codes(), ["251", "252", "254", "255", "265", "266"])
    }

    func testListFiltersAndHidesNothingButCounts() {
        let net = TestNet()
        let alice = net.user("alice")
        alice.send("JOIN #one,#two")
        alice.send("TOPIC #two :second")
        _ = alice.lines()
        alice.send("LIST #two")
        XCTAssertEqual(alice.plainLines(), [":test.server 321 alice Channel :Users  Name",
                                            ":test.server 322 alice #two 1 :second",
                                            ":test.server 323 alice :End of /LIST"])
    }

    func testKeyAlreadySet() {
        let net = TestNet()
        let op = net.user("op")
        op.send("JOIN #k")
        op.send("MODE #k +k one")
        _ = op.lines()
        op.send("MODE #k +k two")
        XCTAssertEqual(op.codes(), ["467"])
        op.send("MODE #k +k :has space")
        op.send("MODE #k -k x")
        op.send("MODE #k +k bad,key")
        XCTAssertEqual(op.codes(), ["467", "MODE", "525"])
    }

    func testInviteErrors() {
        let net = TestNet()
        let op = net.user("op"), bob = net.user("bob")
        op.send("JOIN #i"); bob.send("JOIN #i")
        _ = op.lines()
        op.send("INVITE bob #i")
        XCTAssertEqual(op.codes(), ["443"])
        op.send("INVITE ghost #i")
        XCTAssertEqual(op.codes(), ["401"])
        op.send("INVITE bob #none")
        XCTAssertEqual(op.codes(), ["403"])
    }
}
