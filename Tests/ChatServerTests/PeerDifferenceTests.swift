@testable import ChatServer
import XCTest

/// Replies where chatd differed from ngIRCd 26 and InspIRCd 3 on the same
/// input and the standards (RFC 2812, the modern client docs, IRCv3) side
/// with the peers.
final class PeerDifferenceTests: XCTestCase {
    func testTagsFromAClientWithoutMessageTagsAreIgnoredNotTooLong() {
        let net = TestNet()
        let u = net.user("u"), v = net.user("v")
        u.send("@a=b PING :still")
        XCTAssertEqual(u.plainLines(), [":test.server PONG test.server :still"])
        u.send("@+x=y PRIVMSG v :hi")
        XCTAssertEqual(v.lines(), [":u!~u@127.0.0.1 PRIVMSG v :hi"])
        u.send("@a=b")
        u.send("@" + String(repeating: "a", count: 4095) + " PING x")
        XCTAssertEqual(u.codes(), ["417"])
        u.assertNothingUnread()
        v.assertNothingUnread()
    }
}
