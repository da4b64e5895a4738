/// A key press, as the terminal layer decodes it (ncurses in `chat`,
/// scripted in tests).
///
/// Thread-safety: a value type; any thread.
public enum Key: Equatable {
    case character(Character)
    case enter, backspace, delete, tab
    case left, right, up, down, home, end, pageUp, pageDown
    /// Ctrl plus a letter, lower-case (`.control("a")` for Ctrl-A).
    case control(Character)
    /// Alt (or Esc then) a character: Alt-1 … Alt-0 pick windows 1–10.
    case alt(Character)
}
