import Foundation
import ChatClient
import ChatUI
import XCTest

final class WindowAndRenderTests: XCTestCase {
    func line(_ text: String, at ms: Int64, sender: String = "bob", msgid: String? = nil, kind: ChatLine.Kind = .message) -> ChatLine {
        var l = ChatLine(kind: kind, place: .window("#c"), timeMillis: ms, sender: sender, text: text)
        l.msgid = msgid
        return l
    }

    func testHistoryMergesInTimeOrderWithoutDuplicates() {
        let w = ChatWindow(name: "#c", kind: .channel)
        w.append(line("live", at: 3000, msgid: "c"))
        w.mergeHistory([line("old", at: 1000, msgid: "a"), line("older-but-later", at: 2000, msgid: "b"), line("live", at: 3000, msgid: "c")])
        XCTAssertEqual(w.lines.map(\.text), ["old", "older-but-later", "live"])
        XCTAssertEqual(w.oldestHistoryReference, "msgid=a")
        w.append(line("dup", at: 4000, msgid: "a"))
        XCTAssertEqual(w.lines.count, 3, "a msgid already shown is not shown again")
    }

    func testRedactMarksTheLineAndFindsYourLastMessage() {
        let w = ChatWindow(name: "#c", kind: .channel)
        var mine = ChatLine(kind: .message, place: .window("#c"), timeMillis: 1, sender: "me", text: "secret")
        mine.msgid = "a"; mine.isOwn = true
        var theirs = ChatLine(kind: .message, place: .window("#c"), timeMillis: 2, sender: "bob", text: "hi")
        theirs.msgid = "b"
        w.append(mine); w.append(theirs)
        XCTAssertEqual(w.lastOwnMessage?.msgid, "a")
        XCTAssertFalse(w.redact(msgid: "zz", note: "message deleted"), "not in this window")
        XCTAssertTrue(w.redact(msgid: "a", note: "message deleted by me"))
        XCTAssertNil(w.lastOwnMessage, "a deleted line cannot be deleted again")
        let runs = LineFormatter.runs(w.lines[0], nowMillis: 1, myNick: "me")
        XCTAssertEqual(runs.dropFirst().map(\.text), ["<me> ", "message deleted by me"])
        XCTAssertEqual(runs.last?.style, .event, "shown dim, not as text someone said")
    }

    func testWindowLinesAreBounded() {
        let w = ChatWindow(name: "#c", kind: .channel)
        for i in 0..<(ChatWindow.maxLines + 10) { w.append(line("\(i)", at: Int64(i), msgid: "m\(i)")) }
        XCTAssertEqual(w.lines.count, ChatWindow.maxLines)
        XCTAssertEqual(w.lines.first?.text, "10")
    }

    func testWindowListSelectClose() {
        let list = WindowList()
        let a = list.open("#a", kind: .channel)
        _ = list.open("bob", kind: .query)
        XCTAssertTrue(list.open("#A", kind: .channel) === a, "names fold case")
        a.unread = 3
        XCTAssertEqual(list.active.map(\.number), [2])
        XCTAssertTrue(list.select(number: 2))
        XCTAssertEqual(a.unread, 0)
        XCTAssertFalse(list.select(number: 9))
        list.close(index: 1)
        XCTAssertEqual(list.windows.map(\.name), ["server", "bob"])
        XCTAssertEqual(list.current.name, "server")
        list.close(index: 0)
        XCTAssertEqual(list.windows.count, 2, "the server window stays")
    }

    func testRenderLayout() {
        let list = WindowList()
        let w = list.open("#lobby", kind: .channel)
        w.topic = "Release day"
        list.select(w)
        let now: Int64 = 1_795_269_900_000
        w.append(line("hello alice, a long line that has to wrap onto the next row", at: now, sender: "bob"))
        let other = list.open("#other", kind: .channel)
        other.unread = 2
        other.highlighted = true
        var view = ViewState()
        view.nick = "alice"
        view.account = "alice"
        view.nowMillis = now
        view.editor = LineEditor(text: "typing")
        view.score = "Home FC 2–1 Away United, 67'"
        let screen = Renderer.render(windows: list, view: view, rows: 8, columns: 40)
        XCTAssertEqual(screen.rows, 8)
        XCTAssertEqual(screen.text(0).trimmingCharacters(in: .whitespaces), "#lobby: Release day")
        let hm = TimeText.show(now, nowMillis: now)
        XCTAssertEqual(screen.text(4), "\(hm) <bob> hello alice, a long line    ")
        XCTAssertEqual(screen.text(5).trimmingCharacters(in: .whitespaces), "that has to wrap onto the next row")
        XCTAssertTrue(screen.text(5).hasPrefix("      that"), "wrapped rows are indented past the time")
        XCTAssertEqual(screen.text(6), "[\(hm)] [alice(alice)] [2:#lobby] [Act: ", "the status line is cut at the width")
        let wide = Renderer.render(windows: list, view: view, rows: 8, columns: 90)
        XCTAssertEqual(wide.text(6).trimmingCharacters(in: .whitespaces),
                       "[\(hm)] [alice(alice)] [2:#lobby] [Act: 3!] [Home FC 2–1 Away United, 67']")
        XCTAssertEqual(screen.text(7).trimmingCharacters(in: .whitespaces), "[#lobby] typing")
        XCTAssertEqual(screen.cursorRow, 7)
        XCTAssertEqual(screen.cursorColumn, 15)
        XCTAssertTrue(screen.lines.allSatisfy { $0.reduce(0) { $0 + TextWidth.of($1.text) } == 40 }, "every row is exactly the width")
        // The mention is highlighted.
        XCTAssertTrue(screen.lines[4].contains { $0.style == .highlight })
    }

    func testRenderTinyAndScrolledScreens() {
        let list = WindowList()
        for i in 0..<20 { list.server.append(line("line \(i)", at: Int64(i) * 1000, sender: "s")) }
        var view = ViewState()
        view.editor = LineEditor(text: String(repeating: "x", count: 100))
        let tiny = Renderer.render(windows: list, view: view, rows: 1, columns: 10)
        XCTAssertEqual(tiny.rows, 1)
        XCTAssertEqual(tiny.cursorColumn, 9, "a long input scrolls so the cursor stays visible")
        list.server.scrollRows = 5
        let scrolled = Renderer.render(windows: list, view: view, rows: 6, columns: 60)
        XCTAssertTrue(scrolled.text(1).contains("line 12"), scrolled.plainText)
        XCTAssertTrue(scrolled.text(2).contains("line 13"), scrolled.plainText)
        XCTAssertTrue(scrolled.text(3).contains("more below"), scrolled.plainText)
        view.secretPrompt = "Password: "
        view.editor = LineEditor(text: "hunter22")
        let secret = Renderer.render(windows: list, view: view, rows: 6, columns: 60)
        XCTAssertFalse(secret.contains("hunter22"))
        XCTAssertTrue(secret.text(5).hasPrefix("Password: ********"))
    }

    func testWideCharactersTakeTwoCells() {
        setlocale(LC_ALL, "C.UTF-8")
        XCTAssertEqual(TextWidth.of("a"), 1)
        XCTAssertEqual(TextWidth.of("日本"), 4)
        var screen = ScreenBuffer(rows: 1, columns: 5)
        screen.set(0, [ScreenBuffer.Run(text: "日本語", style: .normal)])
        XCTAssertEqual(screen.text(0), "日本 ", "a wide character that does not fit is left off, and the row padded")
    }
}
