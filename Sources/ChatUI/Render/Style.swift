/// What a piece of text on screen is; the terminal layer decides how each
/// looks (a colour, bold, reverse, or nothing with NO_COLOR or a dumb terminal).
///
/// Thread-safety: a value type; any thread.
public enum Style: Int, CaseIterable, Equatable {
    case normal, time, nick, ownNick, event, error, highlight, title, status, input
}
