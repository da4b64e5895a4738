import ArgumentParser
import ChatClient
import ChatUI
import CoreLoop
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `chat [--nick N] [--server H:P] [--account A] [--join #c]`: the full-screen
/// client. One thread, one loop: the socket, standard input, the timers and
/// the signals (SIGWINCH for resizes, SIGINT/SIGTERM/SIGHUP to quit) are all
/// events of the same `EventLoop`.
///
/// Thread-safety: main thread (it runs the loop).
struct Interactive: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "The full-screen client (the default).")

    @OptionGroup var options: ConnectionOptions

    @Option(help: "Channels to join once connected (comma-separated).")
    var join: String?

    func run() throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw ChatExit(.usage("the full-screen client needs a terminal; for scripts use chat send, chat files, …"))
        }
        let config = try options.clientConfig(mayPrompt: true, defaultNick: "guest")
        let loop = try EventLoop()
        // Before initscr: ncurses installs its own SIGWINCH handler only if none is set.
        var terminal: NcursesTerminal?
        var app: ChatApp?
        let signals = try SignalSource(loop: loop, signals: [SIGINT, SIGTERM, SIGHUP, SIGWINCH]) { signo in
            if signo == SIGWINCH {
                terminal?.resized()
                app?.redraw()
            } else {
                app?.quit("terminal closed")
            }
        }
        let screen = try NcursesTerminal(environment: ProcessInfo.processInfo.environment)
        terminal = screen
        defer { screen.end() }
        let chat = ChatApp(loop: loop, config: config, terminal: screen)
        app = chat
        chat.onExit = { loop.stop() }
        let stdin = try StdinSource(loop: loop, onReadable: {
            for key in screen.readKeys() { chat.handle(key) }
        }, onHangup: { chat.quit("terminal closed") })
        chat.autoJoin = (join ?? "").split(separator: ",").map {
            $0.hasPrefix("#") || $0.hasPrefix("&") ? String($0) : "#" + $0
        }
        chat.start()
        try loop.run()
        _ = stdin
        signals.close()
        loop.close()
        screen.end()
        // A wrong password, or a server that was never reached, is the exit code;
        // a quit after a session is a success.
        if let failure = chat.lastFailure, case .loginFailed = failure { throw ChatExit(failure) }
        if let failure = chat.lastFailure, case .cannotConnect = failure { throw ChatExit(failure) }
    }
}
