@testable import ChatServer
import XCTest

/// +C: CTCP to the channel is refused except ACTION.
final class NoCTCPModeTests: XCTestCase {
    func testRecognisesCTCPButNotAction() {
        XCTAssertTrue(CTCPText.isCTCPOtherThanAction("\u{1}VERSION\u{1}"))
        XCTAssertTrue(CTCPText.isCTCPOtherThanAction("\u{1}PING 123"))
        XCTAssertTrue(CTCPText.isCTCPOtherThanAction("\u{1}ACTIONS\u{1}"))
        XCTAssertTrue(CTCPText.isCTCPOtherThanAction("\u{1}"))
        XCTAssertFalse(CTCPText.isCTCPOtherThanAction("\u{1}ACTION waves\u{1}"))
        XCTAssertFalse(CTCPText.isCTCPOtherThanAction("\u{1}ACTION\u{1}"))
        XCTAssertFalse(CTCPText.isCTCPOtherThanAction("\u{1}action waves"))
        XCTAssertFalse(CTCPText.isCTCPOtherThanAction("hello \u{1}VERSION\u{1}"))
        XCTAssertFalse(CTCPText.isCTCPOtherThanAction(""))
    }

    func testPlusCStopsCTCPButLetsActionAndTextThrough() {
        let net = TestNet()
        let op = net.user("op"), bob = net.user("bob")
        op.send("JOIN #c"); bob.send("JOIN #c")
        _ = op.lines(); _ = bob.lines()

        bob.send("PRIVMSG #c :\u{1}PING 1\u{1}")
        XCTAssertEqual(op.plainLines(), [":bob!~bob@127.0.0.1 PRIVMSG #c :\u{1}PING 1\u{1}"], "without +C CTCP passes")

        bob.send("MODE #c +C")
        XCTAssertEqual(bob.codes(), ["482"], "only operators set it")
        op.send("MODE #c +C")
        XCTAssertEqual(op.plainLines(), [":op!~op@127.0.0.1 MODE #c +C"])
        _ = bob.lines()
        op.send("MODE #c")
        let modes = op.plainLines()
        XCTAssertTrue(modes.first?.hasSuffix(" 324 op #c :+Cnt") ?? false, "\(modes)")

        bob.send("PRIVMSG #c :\u{1}ACTION waves\u{1}")
        bob.send("PRIVMSG #c :hello")
        XCTAssertEqual(op.plainLines(), [":bob!~bob@127.0.0.1 PRIVMSG #c :\u{1}ACTION waves\u{1}",
                                         ":bob!~bob@127.0.0.1 PRIVMSG #c :hello"])
        bob.send("PRIVMSG #c :\u{1}VERSION\u{1}")
        XCTAssertEqual(bob.plainLines(), [":test.server 404 bob #c :Cannot send to channel (+C: no CTCP but ACTION)"])
        bob.send("NOTICE #c :\u{1}VERSION chatd\u{1}")
        XCTAssertEqual(bob.plainLines(), [], "NOTICE is never answered with an error")
        XCTAssertEqual(op.plainLines(), [], "neither reached the channel")

        op.send("MODE #c -C")
        _ = op.lines(); _ = bob.lines()
        bob.send("PRIVMSG #c :\u{1}VERSION\u{1}")
        XCTAssertEqual(op.plainLines(), [":bob!~bob@127.0.0.1 PRIVMSG #c :\u{1}VERSION\u{1}"])
    }
}
