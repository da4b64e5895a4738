import ChatClient
import ChatServer
import CoreLoop
#if canImport(Glibc)
import Glibc
#endif

/// The interactive client: it owns the connection, the windows and the input
/// line, turns keys into edits and commands and connection events into
/// lines, and redraws once per loop turn (in the before-sleep phase) when
/// something changed. It knows no terminal library: it draws through
/// `Terminal` and is fed `Key`s, so tests drive it as a person would.
///
/// Thread-safety: loop thread only.
public final class ChatApp: BeforeSleepFlushable {
    public let loop: EventLoop
    public let connection: ChatConnection
    public let terminal: Terminal
    public let windows = WindowList()
    public internal(set) var view = ViewState()
    var history = InputHistory()
    var completer = TabCompleter()
    /// Channels to join after each registration (`chat --join`); a reconnect
    /// rejoins on its own, so this is used once.
    public var autoJoin: [String] = []
    /// The last failure the connection reported (the process's exit code).
    public internal(set) var lastFailure: ClientFailure?
    /// Called once the user quit and the connection closed.
    public var onExit: () -> Void = {}
    private var redrawPending = false
    public private(set) var lastScreen: ScreenBuffer?
    private var secretCompletion: ((String) -> Void)?
    private var clockTimer: TimerHandle?
    var transfers = TransferState()
    var scores = ScoreState()
    /// The window a /more is fetching history for.
    var scrollingBackIn: ChatWindow?

    public init(loop: EventLoop, config: ClientConfig, terminal: Terminal) {
        self.loop = loop
        self.terminal = terminal
        connection = ChatConnection(loop: loop, config: config)
        view.nick = config.nick
    }

    public func start() {
        connection.onEvent = { [unowned self] event in
            self.handle(event)
            self.requestRedraw()
        }
        connection.onWritable = { [unowned self] in self.transfers.upload?.resume() }
        info("chat: type /help for commands, /join #channel to talk, /quit to leave", in: windows.server)
        // The clock in the status line moves once a minute; redraw every 10 s.
        clockTimer = loop.scheduleRepeating(every: .seconds(10)) { [weak self] in self?.requestRedraw() }
        connection.start()
        requestRedraw()
    }

    // MARK: - Drawing

    public func requestRedraw() {
        guard !redrawPending else { return }
        redrawPending = true
        loop.scheduleFlush(self)
    }

    public func flushBeforeSleep() {
        redrawPending = false
        redraw()
    }

    /// Renders now (also after a resize).
    public func redraw() {
        view.nowMillis = Self.nowMillis()
        view.nick = connection.nick
        view.account = connection.account
        view.score = scores.followed?.summary.scoreText
        view.transfer = transfers.statusText
        let screen = Renderer.render(windows: windows, view: view, rows: terminal.rows, columns: terminal.columns)
        lastScreen = screen
        terminal.draw(screen)
    }

    // MARK: - Output to windows

    func show(_ line: ChatLine, in window: ChatWindow) {
        window.append(line)
        if window !== windows.current && !line.isHistory {
            window.unread += 1
            let mine = connection.nick.lowercased()
            if window.kind == .query || (!line.isOwn && !mine.isEmpty && line.text.lowercased().contains(mine)) {
                window.highlighted = true
            }
        }
        if window === windows.current && window.scrollRows > 0 {
            // Keep the text the user is reading in place.
            window.scrollRows += 1
        }
        requestRedraw()
    }

    func info(_ text: String, in window: ChatWindow? = nil) {
        show(ChatLine(kind: .info, place: .active, timeMillis: Self.nowMillis(), text: text), in: window ?? windows.current)
    }

    func error(_ text: String, in window: ChatWindow? = nil) {
        show(ChatLine(kind: .error, place: .active, timeMillis: Self.nowMillis(), text: text), in: window ?? windows.current)
    }

    /// The channel or nick the current window talks to; nil in the server window.
    var currentTarget: String? {
        let w = windows.current
        return w.kind == .channel || w.kind == .query ? w.name : nil
    }

    // MARK: - Keys

    public func handle(_ key: Key) {
        if key != .tab { completer.reset() }
        switch key {
        case .character(let c): view.editor.insert(c)
        case .enter: submit()
        case .backspace: view.editor.backspace()
        case .delete, .control("d"): view.editor.deleteForward()
        case .left, .control("b"): view.editor.left()
        case .right, .control("f"): view.editor.right()
        case .home, .control("a"): view.editor.home()
        case .end, .control("e"): view.editor.end()
        case .control("u"): view.editor.killToStart()
        case .control("k"): view.editor.killToEnd()
        case .control("w"): view.editor.deleteWordBack()
        case .up, .control("p"):
            if secretCompletion == nil, let line = history.previous(current: view.editor.text) { view.editor.set(line) }
        case .down:
            if secretCompletion == nil, let line = history.next() { view.editor.set(line) }
        case .tab: complete()
        case .pageUp: scroll(by: max(1, terminal.rows - 4))
        case .pageDown: scroll(by: -max(1, terminal.rows - 4))
        case .control("n"): windows.select(index: (windows.currentIndex + 1) % windows.windows.count)
        case .alt(let c):
            if let digit = c.wholeNumberValue { selectWindow(digit == 0 ? 10 : digit) }
        case .control("c"):
            if secretCompletion != nil { cancelSecret() } else { view.editor.clear() }
        default: break
        }
        requestRedraw()
    }

    func selectWindow(_ number: Int) {
        if !windows.select(number: number) { error("There is no window \(number)") }
    }

    private func scroll(by rows: Int) {
        let w = windows.current
        w.scrollRows = max(0, min(w.scrollRows + rows, w.lines.count * 4))
    }

    private func complete() {
        let w = windows.current
        var nicks = w.memberNicks(prefixes: connection.isupport.memberPrefixes)
        if w.kind == .query { nicks.append(w.name) }
        let channels = windows.windows.filter { $0.kind == .channel }.map(\.name)
        completer.complete(&view.editor, commands: UICommand.table.map(\.name), nicks: nicks, channels: channels)
    }

    // MARK: - Input

    private func submit() {
        let line = view.editor.text
        view.editor.clear()
        if let completion = secretCompletion {
            secretCompletion = nil
            view.secretPrompt = nil
            return completion(line)
        }
        history.add(line)
        windows.current.scrollRows = 0
        run(line)
    }

    /// Runs one line of input as if typed.
    public func run(_ line: String) {
        switch ParsedInput(line) {
        case .empty:
            break
        case .text(let text):
            guard let target = currentTarget else {
                return error("This is the server window: /join #channel, or /msg nick text")
            }
            say(text, to: target)
        case .command(let name, let arguments):
            guard let command = UICommand.named(name) else {
                return error("Unknown command /\(name); /help lists them")
            }
            guard arguments.count >= command.minArguments else { return error("Usage: \(command.usage)") }
            command.run(self, arguments)
        }
        requestRedraw()
    }

    /// Sends the text as PRIVMSGs, cut where a line would be too long for
    /// the server to relay whole (`ChatConnection.pieces`); without
    /// echo-message each piece is shown at once, with it the server's echo
    /// shows it (with its time).
    func say(_ text: String, to target: String, action: Bool = false) {
        guard connection.isRegistered else { return error("Not connected; the text was not sent") }
        for piece in connection.pieces(of: text, to: target, action: action) {
            let body = action ? "\u{1}ACTION \(piece)\u{1}" : piece
            connection.send(IRCMessage(command: "PRIVMSG", params: [target, body]))
            if !connection.caps.contains("echo-message") {
                var line = ChatLine(kind: action ? .action : .message, place: .window(target), timeMillis: Self.nowMillis(),
                                    sender: connection.nick, text: piece)
                line.isOwn = true
                show(line, in: windowFor(target, creating: true) ?? windows.current)
            }
        }
    }

    /// Asks for a line typed as `*` (a password); it never enters the history.
    func askSecret(_ prompt: String, _ completion: @escaping (String) -> Void) {
        view.editor.clear()
        view.secretPrompt = prompt
        secretCompletion = completion
    }

    private func cancelSecret() {
        secretCompletion = nil
        view.secretPrompt = nil
        view.editor.clear()
        info("Cancelled")
    }

    public func quit(_ reason: String = "bye") {
        if let clockTimer { _ = loop.cancel(clockTimer) }
        clockTimer = nil
        connection.quit(reason)
    }

    /// The window for a channel or nick; `creating` opens one (a query for a nick).
    func windowFor(_ name: String, creating: Bool) -> ChatWindow? {
        if let w = windows.window(named: name) { return w }
        guard creating else { return nil }
        return windows.open(name, kind: connection.isupport.isChannel(name) ? .channel : .query)
    }

    static func nowMillis() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}
