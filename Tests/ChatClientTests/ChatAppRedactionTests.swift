@testable import ChatServer
import ChatClient
import ChatUI
import CoreLoop
import Foundation
import XCTest

/// Deleting messages in the terminal client (draft/message-redaction):
/// `/delete` takes back one's last line, and a REDACT from anyone shows the
/// line as deleted.
extension ChatAppScreenTests {
    func testDeleteTakesBackYourLastLineAndOthersDeletionsShow() throws {
        try startServer(storage: try ChatStorage())  // REDACT is offered with storage only
        let (alice, screen) = app("alice", rows: 14, columns: 72)
        pump(loop, until: { alice.connection.isRegistered }, "alice")
        typeKeys(alice, "/delete")
        pump(loop, until: { screen.shows("!! /delete works in channel and query windows") }, "the refusal in the server window")
        typeKeys(alice, "/join #lobby")
        pump(loop, until: { screen.shows("You joined #lobby") }, "the #lobby window")
        typeKeys(alice, "/delete")
        pump(loop, until: { screen.shows("!! Nothing of yours to delete here") }, "nothing to delete yet")

        let (bob, b) = other("bob")
        pump(loop, until: { bob.isRegistered }, "bob")
        bob.send("JOIN", "#lobby")
        pump(loop, until: { screen.shows("bob joined #lobby") }, "bob's join")

        typeKeys(alice, "the password is hunter2")
        pump(loop, until: { screen.shows("<alice> the password is hunter2") }, "alice's line, echoed with its msgid")
        let msgid = try XCTUnwrap(alice.windows.current.lastOwnMessage?.msgid)
        typeKeys(alice, "/delete")
        pump(loop, until: { b.has { $0 == .redacted(msgid: msgid, by: "alice", reason: "") } }, "bob to hear of the deletion")
        pump(loop, until: { screen.shows("<alice> message deleted by alice") }, "the line deleted on alice's screen")
        XCTAssertFalse(screen.shows("hunter2"), screen.text)

        bob.send("PRIVMSG", "#lobby", "wrong window, sorry")
        pump(loop, until: { screen.shows("<bob> wrong window, sorry") }, "bob's line")
        let bobsID = try XCTUnwrap(alice.windows.current.lines.last { $0.sender == "bob" }?.msgid)
        bob.send("REDACT", "#lobby", bobsID, "misfire")
        pump(loop, until: { screen.shows("<bob> message deleted by bob (misfire)") }, "bob's deletion on alice's screen")
    }
}
