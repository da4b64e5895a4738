@testable import ChatServer
import XCTest

/// draft/message-redaction through the in-memory transport: who may redact,
/// who hears of it, and what history keeps.
final class RedactionTests: XCTestCase {
    static let caps = ["message-tags", "echo-message", "batch", "server-time", "draft/message-redaction", "draft/chathistory"]

    /// `user` says `text` in `#chan`; its msgid, from the echo.
    func say(_ user: TestUser, _ text: String, to target: String = "#chan") throws -> String {
        user.send("PRIVMSG \(target) :\(text)")
        let echo = try IRCMessage(parsing: user.lines().last!)
        return try XCTUnwrap(echo.tag("msgid"))
    }

    func history(_ user: TestUser, _ target: String = "#chan") throws -> [String] {
        user.send("CHATHISTORY LATEST \(target) * 10")
        return try user.lines().map { try IRCMessage(parsing: $0) }.filter { $0.command == "PRIVMSG" }.map { $0.params[1] }
    }

    func testAuthorsAndChannelOperatorsRedactOthersAreRefused() throws {
        let net = TestNet.withStorage()
        let op = net.user("op", caps: Self.caps), user = net.user("user", caps: Self.caps), plain = net.user("plain")
        for u in [op, user, plain] { u.send("JOIN #chan") }
        for u in [op, user, plain] { _ = u.lines() }

        let mine = try say(op, "oops")
        _ = user.lines(); _ = plain.lines()
        op.send("REDACT #chan \(mine) :typo")
        XCTAssertEqual(op.plainLines(), [":op!~op@127.0.0.1 REDACT #chan \(mine) :typo"])
        let relayed = try IRCMessage(parsing: XCTUnwrap(user.lines().first))
        XCTAssertEqual(relayed.command, "REDACT")
        XCTAssertEqual(relayed.params, ["#chan", mine, "typo"])
        XCTAssertNotNil(relayed.tag("msgid"), "a REDACT has a msgid of its own")
        plain.assertNothingUnread("no capability, no REDACT")

        let theirs = try say(user, "spam")
        _ = op.lines()
        user.send("REDACT #chan \(try say(op, "from the op")) :mine now?")
        XCTAssertTrue(user.plainLines().contains { $0.hasPrefix(":test.server FAIL REDACT REDACT_FORBIDDEN #chan ") })
        _ = op.lines()
        op.send("REDACT #chan \(theirs) :spam")
        XCTAssertEqual(op.plainLines(), [":op!~op@127.0.0.1 REDACT #chan \(theirs) :spam"], "a channel operator may redact anyone's")
        XCTAssertEqual(try history(user), ["from the op"], "both redacted messages left history")
    }

    func testRedactedMessagesLeaveStoredHistoryToo() throws {
        let net = TestNet.withStorage()
        let op = net.user("op", caps: Self.caps)
        op.send("JOIN #chan")
        _ = op.lines()
        let first = try say(op, "first"), second = try say(op, "second")
        net.server.history!.flush()
        XCTAssertEqual(net.server.history!.unwrittenCount, 0, "both on disk")
        op.send("REDACT #chan \(first)")
        XCTAssertEqual(op.plainLines(), [":op!~op@127.0.0.1 REDACT #chan \(first)"])
        XCTAssertNil(try net.storage!.storedMessage(msgid: first, key: "#chan"), "deleted on the writer")
        XCTAssertNotNil(try net.storage!.storedMessage(msgid: second, key: "#chan"))
        XCTAssertEqual(try history(op), ["second"])
        op.send("REDACT #chan \(first)")
        XCTAssertEqual(op.plainLines(), [":test.server FAIL REDACT UNKNOWN_MSGID #chan \(first) :This message does not exist or is too old"])
    }

    func testUnknownMessagesWrongChannelsAndBadTargets() throws {
        let net = TestNet.withStorage()
        let op = net.user("op", caps: Self.caps)
        op.send("JOIN #chan,#other")
        _ = op.lines()
        let msgid = try say(op, "hello")
        op.send("REDACT #chan nosuchid")
        XCTAssertEqual(op.plainLines(), [":test.server FAIL REDACT UNKNOWN_MSGID #chan nosuchid :This message does not exist or is too old"])
        op.send("REDACT #other \(msgid)")
        XCTAssertEqual(op.codes(), ["FAIL"], "the msgid is not #other's")
        let outsider = net.user("outsider", caps: Self.caps)
        outsider.send("REDACT #chan \(msgid)")
        XCTAssertEqual(outsider.plainLines(), [":test.server FAIL REDACT INVALID_TARGET #chan :You cannot delete messages from this target"],
                       "a non-member learns nothing about which msgids exist")
        op.send("REDACT #nowhere \(msgid)")
        XCTAssertEqual(op.plainLines(), [":test.server FAIL REDACT INVALID_TARGET #nowhere :You cannot delete messages from this target"])
        op.send("REDACT")
        XCTAssertEqual(op.codes(), ["461"])
        op.send("REDACT #chan :")
        XCTAssertEqual(op.codes(), ["461"], "an empty msgid is a missing one")
        XCTAssertEqual(try history(op), ["hello"], "nothing was redacted")
    }

    func testPrivateMessagesBetweenAccounts() throws {
        let net = TestNet.withStorage()
        let sender = net.user("sender", caps: Self.caps), recipient = net.user("recipient", caps: Self.caps)
        let stranger = net.user("stranger", caps: Self.caps)
        for u in [sender, recipient, stranger] {
            u.send("REGISTER * * :long-password-1")
            _ = u.lines()
        }
        let msgid = try say(sender, "psst", to: "recipient")
        _ = recipient.lines()
        recipient.send("REDACT sender \(msgid)")
        XCTAssertTrue(recipient.plainLines().first?.hasPrefix(":test.server FAIL REDACT REDACT_FORBIDDEN sender \(msgid)") ?? false)
        stranger.send("REDACT sender \(msgid)")
        XCTAssertEqual(stranger.codes(), ["FAIL"], "a stranger's conversation with sender has no such message")
        sender.send("REDACT recipient \(msgid) :oops")
        XCTAssertEqual(sender.plainLines(), [":sender!~sender@127.0.0.1 REDACT recipient \(msgid) :oops"])
        XCTAssertEqual(try IRCMessage(parsing: XCTUnwrap(recipient.lines().first)).params, ["recipient", msgid, "oops"])
        XCTAssertEqual(try history(recipient, "sender"), [])
    }

    func testTheCapabilityNeedsStorage() {
        let withStorage = TestNet.withStorage().connect()
        withStorage.send("CAP LS 302")
        XCTAssertTrue(withStorage.plainLines().joined().contains("draft/message-redaction"))
        let without = TestNet().connect()
        without.send("CAP LS 302")
        XCTAssertFalse(without.plainLines().joined().contains("draft/message-redaction"))
    }
}
