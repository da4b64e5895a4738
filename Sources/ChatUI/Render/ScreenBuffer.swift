/// One rendered screen: rows of styled runs, each row exactly `columns`
/// cells wide, and where the cursor goes. The terminal draws it; tests read
/// its text.
///
/// Thread-safety: a value type; any thread.
public struct ScreenBuffer: Equatable {
    public struct Run: Equatable {
        public var text: String
        public var style: Style

        public init(text: String, style: Style) {
            self.text = text
            self.style = style
        }
    }

    public let rows: Int
    public let columns: Int
    public private(set) var lines: [[Run]]
    public var cursorRow = 0
    public var cursorColumn = 0

    public init(rows: Int, columns: Int) {
        self.rows = max(0, rows)
        self.columns = max(0, columns)
        lines = Array(repeating: [], count: self.rows)
    }

    /// Sets row `row` to `runs`, cut or padded with spaces to the width
    /// (the padding takes the last run's style, so a status bar fills the row).
    public mutating func set(_ row: Int, _ runs: [Run], fill: Style? = nil) {
        guard row >= 0 && row < rows else { return }
        var out: [Run] = []
        var used = 0
        for run in runs where used < columns {
            let (piece, width) = TextWidth.prefix(run.text, fitting: columns - used)
            if !piece.isEmpty { out.append(Run(text: piece, style: run.style)) }
            used += width
        }
        if used < columns {
            out.append(Run(text: String(repeating: " ", count: columns - used), style: fill ?? runs.last?.style ?? .normal))
        }
        lines[row] = out
    }

    /// The text of a row, for tests and for terminals without attributes.
    public func text(_ row: Int) -> String { lines[row].map(\.text).joined() }

    /// The whole screen as text, one row per line, trailing spaces kept off.
    public var plainText: String {
        (0..<rows).map { String(text($0).reversed().drop { $0 == " " }.reversed()) }.joined(separator: "\n")
    }

    public func contains(_ s: String) -> Bool { (0..<rows).contains { text($0).contains(s) } }
}
