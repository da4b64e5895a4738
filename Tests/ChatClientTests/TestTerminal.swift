import ChatUI

/// A terminal that keeps the last screen drawn, with a size tests can change.
final class TestTerminal: Terminal {
    var rows: Int
    var columns: Int
    private(set) var screen: ScreenBuffer?
    private(set) var draws = 0

    init(rows: Int, columns: Int) {
        self.rows = rows
        self.columns = columns
    }

    func draw(_ screen: ScreenBuffer) {
        self.screen = screen
        draws += 1
    }

    var text: String { screen?.plainText ?? "" }
    func shows(_ s: String) -> Bool { screen?.contains(s) ?? false }
}
