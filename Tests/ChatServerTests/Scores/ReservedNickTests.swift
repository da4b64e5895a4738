@testable import ChatServer
import XCTest

/// The score service's nick is reserved, with scores on or off: NICK during
/// registration and after it, in any case form, and REGISTER of the name.
final class ReservedNickTests: XCTestCase {
    func testNoOneTakesScoreBotWithScoresOff() {
        let net = TestNet()
        let u = net.connect()
        u.send("NICK ScoreBot")
        XCTAssertEqual(u.plainLines(), [":test.server 432 * ScoreBot :Nickname is reserved for the score service"])
        u.send("NICK scorebot")
        XCTAssertEqual(u.codes(), ["432"], "the case mapping folds it")
        u.send("NICK fan")
        u.send("USER fan 0 * :Fan")
        XCTAssertTrue(u.codes().contains("001"), "another nick registers")
        u.send("NICK SCOREBOT")
        XCTAssertEqual(u.plainLines(), [":test.server 432 fan SCOREBOT :Nickname is reserved for the score service"])
        XCTAssertEqual(u.client?.nick, "fan")
    }

    func testNoOneTakesScoreBotWhileItSpeaksInTheRooms() {
        let net = TestNet()
        let board = net.scoreBoard()
        board.liveMatch()
        let u = net.user("fan")
        u.send("NICK ScoreBot")
        XCTAssertEqual(u.codes(), ["432"])
        u.send("NICK ScoreBot_")
        XCTAssertEqual(u.codes(), ["NICK"], "only the exact name is reserved")
    }

    func testTheNameCannotBeRegisteredAsAnAccount() {
        let net = TestNet.withStorage()
        let u = net.user("fan")
        u.send("REGISTER ScoreBot * :long-enough-password")
        XCTAssertEqual(u.plainLines(), [":test.server FAIL REGISTER BAD_ACCOUNT_NAME ScoreBot :Nickname is reserved for the score service"])
    }
}
