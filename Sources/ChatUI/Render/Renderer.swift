/// Lays out the screen: a title row (window name and topic), the message
/// pane, a status line (time, nick and account, window, activity, transfer,
/// score, connection), and the input line with the cursor.
///
/// Thread-safety: pure; any thread.
public enum Renderer {
    public typealias Run = ScreenBuffer.Run

    /// Width of `14:05 `: wrapped rows are indented by it.
    static let timeIndent = 6

    public static func render(windows: WindowList, view: ViewState, rows: Int, columns: Int) -> ScreenBuffer {
        var screen = ScreenBuffer(rows: rows, columns: columns)
        guard rows >= 1, columns >= 1 else { return screen }
        let window = windows.current
        let inputRow = rows - 1
        if rows >= 3 {
            let title = window.kind == .server ? " chat — \(view.nick)" : " \(window.name)" + (window.topic.isEmpty ? "" : ": \(window.topic)")
            screen.set(0, [Run(text: title, style: .title)])
            screen.set(rows - 2, statusRuns(windows: windows, view: view))
            let paneRows = rows - 3
            let pane = paneLines(window, view: view, height: paneRows, width: columns)
            for (i, row) in pane.enumerated() { screen.set(1 + i, row) }
            for i in pane.count..<paneRows { screen.set(1 + i, []) }
        }
        renderInput(&screen, row: inputRow, window: window, view: view)
        return screen
    }

    static func paneLines(_ window: ChatWindow, view: ViewState, height: Int, width: Int) -> [[Run]] {
        guard height > 0 else { return [] }
        // Wrap from the newest line back until the pane (plus what is scrolled) is full.
        var rows: [[Run]] = []
        let wanted = height + window.scrollRows
        for line in window.lines.reversed() {
            let wrapped = LineFormatter.wrap(LineFormatter.runs(line, nowMillis: view.nowMillis, myNick: view.nick),
                                             width: width, indent: timeIndent)
            rows.insert(contentsOf: wrapped, at: 0)
            if rows.count >= wanted { break }
        }
        // Scrolled past the top: keep the oldest page in view.
        let scroll = min(window.scrollRows, max(0, rows.count - height))
        let end = rows.count - scroll
        let start = max(0, end - height)
        var page = Array(rows[start..<end])
        if window.scrollRows > 0 && !page.isEmpty {
            page[page.count - 1] = [Run(text: "-- more below (PageDown) --", style: .status)]
        }
        // Few lines: they sit at the bottom, next to the input, as in irssi.
        return Array(repeating: [], count: height - page.count) + page
    }

    static func statusRuns(windows: WindowList, view: ViewState) -> [Run] {
        let time = TimeText.show(view.nowMillis, nowMillis: view.nowMillis)
        var text = "[\(time)] [\(view.nick)\(view.account.map { "(\($0))" } ?? "")] [\(windows.currentIndex + 1):\(windows.current.name)]"
        let active = windows.active
        if !active.isEmpty {
            text += " [Act: " + active.map { $0.highlighted ? "\($0.number)!" : "\($0.number)" }.joined(separator: ",") + "]"
        }
        if let score = view.score { text += " [\(score)]" }
        if let transfer = view.transfer { text += " [\(transfer)]" }
        if !view.connection.isEmpty { text += " [\(view.connection)]" }
        return [Run(text: text, style: .status)]
    }

    static func renderInput(_ screen: inout ScreenBuffer, row: Int, window: ChatWindow, view: ViewState) {
        let prompt = view.secretPrompt ?? "[\(window.name)] "
        let promptWidth = min(TextWidth.of(prompt), max(0, screen.columns - 2))
        let room = max(1, screen.columns - promptWidth - 1)
        let chars = view.editor.characters.map { view.secretPrompt != nil ? "*" : $0 }
        // Scroll the line horizontally so the cursor stays visible.
        var start = 0
        var widthToCursor = chars[0..<view.editor.cursor].reduce(0) { $0 + TextWidth.of($1) }
        while widthToCursor > room && start < view.editor.cursor {
            widthToCursor -= TextWidth.of(chars[start])
            start += 1
        }
        let shown = String(chars[start...])
        screen.set(row, [Run(text: prompt, style: .input), Run(text: shown, style: .normal)])
        screen.cursorRow = row
        screen.cursorColumn = min(screen.columns - 1, promptWidth + widthToCursor)
    }
}
