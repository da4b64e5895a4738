import ChatUI
import XCTest

final class InputTests: XCTestCase {
    func testLineEditing() {
        var e = LineEditor()
        e.insert("hello world")
        e.left(); e.left(); e.left(); e.left(); e.left()
        e.insert("big ")
        XCTAssertEqual(e.text, "hello big world")
        XCTAssertEqual(e.cursor, 10)
        e.deleteWordBack()
        XCTAssertEqual(e.text, "hello world")
        XCTAssertEqual(e.cursor, 6)
        e.backspace()
        e.deleteForward()
        XCTAssertEqual(e.text, "helloorld")
        e.killToEnd()
        XCTAssertEqual(e.text, "hello")
        e.home(); e.right()
        e.killToStart()
        XCTAssertEqual(e.text, "ello")
        XCTAssertEqual(e.cursor, 0)
        e.backspace()  // at the start: nothing
        e.end(); e.right()
        XCTAssertEqual(e.cursor, 4)
        e.insert("é🙂")
        XCTAssertEqual(e.text, "elloé🙂")
        e.backspace()
        XCTAssertEqual(e.text, "elloé")
    }

    func testEditorIsBounded() {
        var e = LineEditor()
        e.insert(String(repeating: "x", count: LineEditor.maxCharacters + 10))
        XCTAssertEqual(e.characters.count, LineEditor.maxCharacters)
    }

    func testHistoryKeepsTheDraft() {
        var h = InputHistory(limit: 3)
        for line in ["one", "two", "two", "three", "four"] { h.add(line) }
        XCTAssertEqual(h.entries, ["two", "three", "four"], "bounded, no repeated neighbours")
        XCTAssertEqual(h.previous(current: "draft"), "four")
        XCTAssertEqual(h.previous(current: "four"), "three")
        XCTAssertEqual(h.previous(current: "three"), "two")
        XCTAssertNil(h.previous(current: "two"))
        XCTAssertEqual(h.next(), "three")
        XCTAssertEqual(h.next(), "four")
        XCTAssertEqual(h.next(), "draft")
        XCTAssertNil(h.next())
    }

    func testTabCompletesNicksCommandsAndChannels() {
        var t = TabCompleter()
        var e = LineEditor(text: "bo")
        t.complete(&e, commands: [], nicks: ["Bob", "bobby", "alice"], channels: [])
        XCTAssertEqual(e.text, "Bob: ")
        t.complete(&e, commands: [], nicks: ["Bob", "bobby", "alice"], channels: [])
        XCTAssertEqual(e.text, "bobby: ", "a second Tab cycles")
        t.complete(&e, commands: [], nicks: ["Bob", "bobby", "alice"], channels: [])
        XCTAssertEqual(e.text, "Bob: ")

        t.reset()
        e = LineEditor(text: "hi al")
        t.complete(&e, commands: [], nicks: ["alice"], channels: [])
        XCTAssertEqual(e.text, "hi alice ", "mid-line: no colon")

        t.reset()
        e = LineEditor(text: "/jo")
        t.complete(&e, commands: ["join", "me"], nicks: ["jo"], channels: [])
        XCTAssertEqual(e.text, "/join ")

        t.reset()
        e = LineEditor(text: "/join #lo")
        t.complete(&e, commands: ["join"], nicks: [], channels: ["#lobby", "#other"])
        XCTAssertEqual(e.text, "/join #lobby ")

        t.reset()
        e = LineEditor(text: "zz")
        t.complete(&e, commands: [], nicks: ["alice"], channels: [])
        XCTAssertEqual(e.text, "zz", "no match: unchanged")
    }

    func testParsedInput() {
        XCTAssertEqual(ParsedInput("hello"), .text("hello"))
        XCTAssertEqual(ParsedInput("   "), .empty)
        XCTAssertEqual(ParsedInput("//not a command"), .text("/not a command"))
        guard case .command(let name, let args) = ParsedInput("/MSG bob  hello  there") else { return XCTFail() }
        XCTAssertEqual(name, "msg")
        XCTAssertEqual(args.words, ["bob", "hello", "there"])
        XCTAssertEqual(args.rest(from: 1), "hello  there")
        XCTAssertEqual(args.rest(from: 3), "")
        guard case .command("quit", let none) = ParsedInput("/quit") else { return XCTFail() }
        XCTAssertEqual(none.count, 0)
    }

    func testEveryCommandTheIssueNamesIsInTheTable() {
        let names = Set(UICommand.table.map(\.name))
        for wanted in ["join", "part", "msg", "me", "nick", "topic", "names", "list", "whois", "away", "window", "close",
                       "help", "quit", "more", "register", "send", "get", "files", "scores", "match", "follow", "unfollow"] {
            XCTAssertTrue(names.contains(wanted), wanted)
        }
        XCTAssertEqual(names.count, UICommand.table.count, "no command listed twice")
    }
}
