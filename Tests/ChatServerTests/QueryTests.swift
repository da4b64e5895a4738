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

    /// `C<n`/`C>n` and `T<n`/`T>n` are ages in minutes (created or topic set
    /// less or more than n minutes ago), as irctest's FaketimeListTestCase
    /// reads the modern docs.
    func testListFiltersByCreationAndTopicAge() {
        let net = TestNet()
        let a = net.user("a"), asker = net.user("asker")
        a.send("JOIN #old")
        a.send("TOPIC #old :first")
        net.clock.advance(seconds: 120)
        a.send("JOIN #new")
        a.send("TOPIC #new :second")
        a.send("JOIN #bare")
        net.clock.advance(seconds: 60)
        _ = a.lines()
        func listed(_ filter: String) -> [String] { asker.listedChannels(filter) }
        XCTAssertEqual(listed("C>2"), ["#old"])
        XCTAssertEqual(listed("C<2"), ["#bare", "#new"])
        XCTAssertEqual(listed("C<0"), [])
        XCTAssertEqual(listed("C>0"), ["#bare", "#new", "#old"])
        XCTAssertEqual(listed("C<10"), ["#bare", "#new", "#old"])
        XCTAssertEqual(listed("T>2"), ["#old"])
        XCTAssertEqual(listed("T<2"), ["#new"], "a channel without a topic has no topic age")
        XCTAssertEqual(listed("T>0"), ["#new", "#old"])
        XCTAssertEqual(listed("C<10,T>2"), ["#old"], "every age term must hold")
        XCTAssertEqual(listed("C>999999999999999999"), [], "a huge age saturates instead of wrapping")
        XCTAssertEqual(listed("C>-99999999999999999"), ["#bare", "#new", "#old"])
        XCTAssertEqual(listed("Cx,#old"), ["#old"], "a term that is no age is a name")
    }

    func testNamesOfSeveralChannelsEndsOnce() {
        let net = TestNet()
        let a = net.user("a"), asker = net.user("asker")
        a.send("JOIN #x,#y")
        _ = a.lines()
        asker.send("NAMES #x,#nope,#y")
        XCTAssertEqual(asker.plainLines(), [
            ":test.server 353 asker = #x :@a", ":test.server 353 asker = #y :@a",
            ":test.server 366 asker #x,#nope,#y :End of /NAMES list",
        ], "one 366 for the list (irctest's testNamesMultipleChannels2812)")
        asker.send("NAMES #x,")
        XCTAssertEqual(asker.codes(), ["353", "366"])
        asker.send("VERSION")
        XCTAssertTrue(asker.plainLines().contains { $0.contains(",NAMES:4,") })
    }
}
