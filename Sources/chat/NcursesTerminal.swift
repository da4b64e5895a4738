import CNcurses
import ChatUI
#if canImport(Glibc)
import Glibc
#endif

/// The screen through ncursesw: draws a `ScreenBuffer` (erase, one styled
/// string per run, cursor, refresh: ncurses sends only what changed) and
/// decodes key presses. Colours are used only if the terminal has them and
/// neither `NO_COLOR` is set nor `TERM` is `dumb`; a dumb terminal also
/// gets no attributes (reverse, bold).
///
/// Thread-safety: loop thread only (ncurses is not thread-safe).
final class NcursesTerminal: Terminal {
    private let useColor: Bool
    private let useAttributes: Bool
    private var ended = false

    init(environment: [String: String]) throws {
        _ = cnc_set_lc_all()
        let term = environment["TERM"] ?? "dumb"
        let attributes = term != "dumb"
        useAttributes = attributes
        guard initscr() != nil else { throw TerminalError.cannotStart(term) }
        raw()
        noecho()
        keypad(cnc_stdscr(), true)
        nodelay(cnc_stdscr(), true)
        // Alt-1 arrives as Esc then 1; wait only briefly for the rest of a key sequence.
        set_escdelay(25)
        let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        useColor = attributes && !noColor && has_colors()
        if attributes && !noColor && has_colors() {
            start_color()
            use_default_colors()
            init_pair(1, Int16(COLOR_CYAN), -1)     // time
            init_pair(2, Int16(COLOR_GREEN), -1)    // nick
            init_pair(3, Int16(COLOR_YELLOW), -1)   // own nick
            init_pair(4, Int16(COLOR_BLUE), -1)     // event
            init_pair(5, Int16(COLOR_RED), -1)      // error
            init_pair(6, Int16(COLOR_MAGENTA), -1)  // highlight
            init_pair(7, Int16(COLOR_WHITE), Int16(COLOR_BLUE))  // title and status
        }
    }

    var rows: Int { Int(cnc_lines()) }
    var columns: Int { Int(cnc_cols()) }

    private func attributes(_ style: Style) -> attr_t {
        guard useAttributes else { return cnc_a_normal() }
        if !useColor {
            switch style {
            case .title, .status: return cnc_a_reverse()
            case .error, .highlight, .ownNick: return cnc_a_bold()
            default: return cnc_a_normal()
            }
        }
        switch style {
        case .normal, .input: return cnc_a_normal()
        case .time: return cnc_color_pair(1)
        case .nick: return cnc_color_pair(2) | cnc_a_bold()
        case .ownNick: return cnc_color_pair(3) | cnc_a_bold()
        case .event: return cnc_color_pair(4)
        case .error: return cnc_color_pair(5) | cnc_a_bold()
        case .highlight: return cnc_color_pair(6) | cnc_a_bold()
        case .title, .status: return cnc_color_pair(7)
        }
    }

    func draw(_ screen: ScreenBuffer) {
        guard !ended else { return }
        erase()
        for row in 0..<min(screen.rows, rows) {
            var column: Int32 = 0
            for run in screen.lines[row] {
                _ = cnc_attrset(attributes(run.style))
                var wide = run.text.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
                wide.append(0)
                _ = cnc_addnwstr(Int32(row), column, wide, Int32(wide.count - 1))
                column += Int32(TextWidth.of(run.text))
            }
        }
        _ = cnc_attrset(cnc_a_normal())
        move(Int32(screen.cursorRow), Int32(screen.cursorColumn))
        refresh()
    }

    /// Takes every key ncurses has (it may have read ahead of epoll).
    func readKeys() -> [Key] {
        var keys: [Key] = []
        var pendingEscape = false
        while true {
            var ch: wint_t = 0
            let rc = wget_wch(cnc_stdscr(), &ch)
            if rc == cnc_err() { break }
            if rc == cnc_key_code_yes() {
                pendingEscape = false
                if let key = Self.functionKey(Int32(ch)) { keys.append(key) }
                continue
            }
            if ch == 27 { pendingEscape = true; continue }
            guard let scalar = Unicode.Scalar(UInt32(ch)) else { continue }
            let key = Self.characterKey(scalar)
            if pendingEscape, case .character(let c) = key {
                keys.append(.alt(c))
            } else {
                keys.append(key)
            }
            pendingEscape = false
        }
        return keys
    }

    static func characterKey(_ s: Unicode.Scalar) -> Key {
        switch s.value {
        case 10, 13: return .enter
        case 9: return .tab
        case 8, 127: return .backspace
        case 1...26: return .control(Character(Unicode.Scalar(s.value + 96)!))
        default: return .character(Character(s))
        }
    }

    static func functionKey(_ code: Int32) -> Key? {
        switch code {
        case cnc_key_up(): return .up
        case cnc_key_down(): return .down
        case cnc_key_left(): return .left
        case cnc_key_right(): return .right
        case cnc_key_home(): return .home
        case cnc_key_end(): return .end
        case cnc_key_backspace(): return .backspace
        case cnc_key_dc(): return .delete
        case cnc_key_ppage(): return .pageUp
        case cnc_key_npage(): return .pageDown
        case cnc_key_enter(): return .enter
        default: return nil
        }
    }

    /// After SIGWINCH (taken by the loop's signalfd, so ncurses's own
    /// handler never runs): read the new size and tell ncurses.
    func resized() {
        var rows: Int32 = 0, columns: Int32 = 0
        if cnc_window_size(&rows, &columns) == 0 { resizeterm(rows, columns) }
        // Drop the KEY_RESIZE ncurses may have queued.
        _ = readKeys()
    }

    func end() {
        guard !ended else { return }
        ended = true
        endwin()
    }
}

/// Why the full screen could not start.
///
/// Thread-safety: a value type; any thread.
enum TerminalError: Error, CustomStringConvertible {
    case cannotStart(String)
    var description: String { "cannot start the full-screen client on this terminal; the subcommands (chat send …) work without one" }
}
