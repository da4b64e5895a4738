/// Tab completion of the word before the cursor: a command name after a
/// leading `/`, a channel after `#`, otherwise a nick (with `: ` after it
/// at the start of a line, as IRC clients do). Repeated Tab cycles through
/// the matches in order.
///
/// Thread-safety: a value type; any thread.
public struct TabCompleter: Equatable {
    private var cycle: (start: Int, matches: [String], index: Int, insertedEnd: Int)?

    public init() {}

    public static func == (a: TabCompleter, b: TabCompleter) -> Bool { a.cycle?.matches == b.cycle?.matches }

    /// Any key but Tab ends a cycle.
    public mutating func reset() { cycle = nil }

    public mutating func complete(_ editor: inout LineEditor, commands: [String], nicks: [String], channels: [String]) {
        if var c = cycle, editor.cursor == c.insertedEnd {
            c.index = (c.index + 1) % c.matches.count
            let text = decorate(c.matches[c.index], start: c.start, editor: editor)
            editor.replace(c.start..<c.insertedEnd, with: text)
            c.insertedEnd = editor.cursor
            cycle = c
            return
        }
        let chars = editor.characters
        var start = editor.cursor
        while start > 0 && chars[start - 1] != " " { start -= 1 }
        let word = String(chars[start..<editor.cursor])
        guard !word.isEmpty else { return }
        let candidates: [String]
        if start == 0 && word.hasPrefix("/") {
            candidates = commands.map { "/" + $0 }
        } else if word.hasPrefix("#") || word.hasPrefix("&") {
            candidates = channels
        } else {
            candidates = nicks
        }
        let lower = word.lowercased()
        var seen = Set<String>()
        let matches = candidates.filter { $0.lowercased().hasPrefix(lower) && seen.insert($0.lowercased()).inserted }.sorted {
            $0.lowercased() < $1.lowercased()
        }
        guard !matches.isEmpty else { return }
        let text = decorate(matches[0], start: start, editor: editor)
        editor.replace(start..<editor.cursor, with: text)
        cycle = (start, matches, 0, editor.cursor)
    }

    private func decorate(_ match: String, start: Int, editor: LineEditor) -> String {
        if match.hasPrefix("/") { return match + " " }
        if start == 0 && !match.hasPrefix("#") && !match.hasPrefix("&") { return match + ": " }
        return match + " "
    }
}
