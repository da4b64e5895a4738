/// The input line: text and a cursor, with the editing keys of a shell
/// (Emacs bindings as readline has them). Pure; the renderer shows the part
/// around the cursor.
///
/// Thread-safety: a value type; any thread.
public struct LineEditor: Equatable {
    public private(set) var characters: [Character] = []
    public private(set) var cursor = 0
    /// Longest line accepted: an IRC line cannot carry much more anyway.
    public static let maxCharacters = 2_000

    public init(text: String = "") { set(text) }

    public var text: String { String(characters) }

    public mutating func set(_ text: String) {
        characters = Array(text.prefix(Self.maxCharacters))
        cursor = characters.count
    }

    public mutating func insert(_ c: Character) {
        guard characters.count < Self.maxCharacters else { return }
        characters.insert(c, at: cursor)
        cursor += 1
    }

    public mutating func insert(_ s: String) { for c in s { insert(c) } }

    public mutating func backspace() {
        guard cursor > 0 else { return }
        cursor -= 1
        characters.remove(at: cursor)
    }

    public mutating func deleteForward() {
        guard cursor < characters.count else { return }
        characters.remove(at: cursor)
    }

    public mutating func left() { cursor = max(0, cursor - 1) }
    public mutating func right() { cursor = min(characters.count, cursor + 1) }
    public mutating func home() { cursor = 0 }
    public mutating func end() { cursor = characters.count }

    /// Ctrl-U: deletes from the start to the cursor.
    public mutating func killToStart() {
        characters.removeFirst(cursor)
        cursor = 0
    }

    /// Ctrl-K: deletes from the cursor to the end.
    public mutating func killToEnd() { characters.removeLast(characters.count - cursor) }

    /// Ctrl-W: deletes the word before the cursor (and the spaces after it).
    public mutating func deleteWordBack() {
        var start = cursor
        while start > 0 && characters[start - 1] == " " { start -= 1 }
        while start > 0 && characters[start - 1] != " " { start -= 1 }
        characters.removeSubrange(start..<cursor)
        cursor = start
    }

    /// Replaces `range` of characters with `text`, leaving the cursor after it.
    public mutating func replace(_ range: Range<Int>, with text: String) {
        let clamped = max(0, range.lowerBound)..<min(characters.count, range.upperBound)
        characters.replaceSubrange(clamped, with: Array(text))
        cursor = clamped.lowerBound + text.count
        if characters.count > Self.maxCharacters { characters.removeLast(characters.count - Self.maxCharacters) }
        cursor = min(cursor, characters.count)
    }

    public mutating func clear() {
        characters = []
        cursor = 0
    }
}
