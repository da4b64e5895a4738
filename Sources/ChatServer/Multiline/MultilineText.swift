/// A multiline message as history keeps it: one text, lines joined by LF
/// (concat lines joined directly). Going back to lines for delivery splits
/// at each LF and cuts longer pieces into concat lines, on character
/// boundaries, so each fits in a protocol line.
///
/// Thread-safety: stateless; any thread.
enum MultilineText {
    /// Bytes of text per line when a stored message is split again.
    static let pieceBytes = 400

    static func join(_ lines: [MultilineLine]) -> String {
        var text = ""
        for (i, line) in lines.enumerated() {
            if i > 0 && !line.concat { text += "\n" }
            text += line.text
        }
        return text
    }

    /// Whether a stored text came from a multiline batch: it holds a line
    /// break, or is longer than any single line can carry.
    static func isMultiline(_ text: String, maxLineLength: Int) -> Bool {
        text.utf8.contains(0x0A) || text.utf8.count >= maxLineLength
    }

    static func lines(of text: String) -> [MultilineLine] {
        var lines: [MultilineLine] = []
        for piece in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var rest = Substring(piece)
            var first = true
            repeat {
                var cut = rest.startIndex
                var used = 0
                while cut < rest.endIndex {
                    let size = rest[cut].utf8.count
                    if used + size > pieceBytes && used > 0 { break }
                    used += size
                    cut = rest.index(after: cut)
                }
                lines.append(MultilineLine(text: String(rest[..<cut]), concat: !first))
                rest = rest[cut...]
                first = false
            } while !rest.isEmpty
        }
        return lines
    }
}
