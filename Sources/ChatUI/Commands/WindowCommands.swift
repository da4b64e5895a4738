/// /window /close /help /quit /clear.
///
/// Thread-safety: the handlers run on the loop thread.
enum WindowCommands {
    static let all: [UICommand] = [
        UICommand("window", "/window N", "show window N (also Alt-1 … Alt-0, Ctrl-N for the next)", min: 1) { app, a in
            guard let n = Int(a[0]!) else { return app.error("Usage: /window N") }
            app.selectWindow(n)
        },
        UICommand("close", "/close", "close this window (leaving the channel)") { app, _ in
            let w = app.windows.current
            guard w.kind != .server else { return app.error("The server window stays; /quit to leave") }
            if w.kind == .channel && w.joined { app.connection.send("PART", w.name) }
            if w.kind == .match { app.unfollow() }
            app.windows.close(index: app.windows.currentIndex)
        },
        UICommand("help", "/help [command]", "list commands, or explain one") { app, a in
            if let name = a[0]?.trimmingPrefix("/"), let c = UICommand.named(String(name)) {
                return app.info("\(c.usage) — \(c.summary)")
            }
            app.info("Commands (type the text alone to talk in this window):")
            for c in UICommand.table { app.info("  \(c.usage) — \(c.summary)") }
            app.info("Keys: Alt-1…Alt-0 windows, PageUp/PageDown scroll, Up/Down history, Tab completes")
        },
        UICommand("quit", "/quit [reason]", "leave the server and exit") { app, a in
            app.quit(a.raw.isEmpty ? "bye" : a.raw)
        },
    ]
}
