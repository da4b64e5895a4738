import ChatServer

/// /join /part /topic /names /list /more.
///
/// Thread-safety: the handlers run on the loop thread.
enum ChannelCommands {
    static let all: [UICommand] = [
        UICommand("join", "/join #channel [key]", "join a channel (its recent history is shown)", min: 1) { app, a in
            var channel = a[0]!
            if !app.connection.isupport.isChannel(channel) { channel = "#" + channel }
            if let w = app.windows.window(named: channel), w.joined { return app.windows.select(w) }
            app.sendOrComplain(IRCMessage(command: "JOIN", params: a[1].map { [channel, $0] } ?? [channel]))
        },
        UICommand("part", "/part [#channel] [reason]", "leave a channel (the current one by default)") { app, a in
            guard case let (channel, rest)? = app.channelArgument(a) else { return }
            app.sendOrComplain(IRCMessage(command: "PART", params: rest.isEmpty ? [channel] : [channel, rest]))
        },
        UICommand("topic", "/topic [text]", "show or set the current channel's topic") { app, a in
            guard case let (channel, rest)? = app.channelArgument(a) else { return }
            if rest.isEmpty {
                let topic = app.windows.window(named: channel)?.topic ?? ""
                app.info(topic.isEmpty ? "No topic is set in \(channel)" : "Topic of \(channel): \(topic)")
            } else {
                app.sendOrComplain(IRCMessage(command: "TOPIC", params: [channel, rest]))
            }
        },
        UICommand("names", "/names [#channel]", "list who is in a channel") { app, a in
            guard case let (channel, _)? = app.channelArgument(a) else { return }
            app.sendOrComplain(IRCMessage(command: "NAMES", params: [channel]))
        },
        UICommand("list", "/list", "list the server's channels") { app, _ in
            app.sendOrComplain(IRCMessage(command: "LIST"))
        },
        UICommand("more", "/more", "show earlier messages of this window (CHATHISTORY)") { app, _ in
            app.fetchEarlierHistory()
        },
    ]
}

extension ChatApp {
    func sendOrComplain(_ m: IRCMessage) {
        if !connection.isRegistered || !connection.send(m) { error("Not connected") }
    }

    /// A channel from the first word, else the current window's; and the text after it.
    func channelArgument(_ a: CommandArguments) -> (String, String)? {
        if let first = a[0], connection.isupport.isChannel(first) { return (first, a.rest(from: 1)) }
        guard windows.current.kind == .channel else {
            error("Name a channel, or use this in a channel window")
            return nil
        }
        return (windows.current.name, a.raw)
    }

    func fetchEarlierHistory() {
        guard let target = currentTarget else { return error("/more works in channel and query windows") }
        guard connection.caps.contains("draft/chathistory") || connection.caps.contains("chathistory") else {
            return error("The server offers no history")
        }
        let reference = windows.current.oldestHistoryReference ?? "timestamp=\(TimeText.serverTime(Self.nowMillis()))"
        scrollingBackIn = windows.current
        sendOrComplain(IRCMessage(command: "CHATHISTORY", params: ["BEFORE", target, reference, "50"]))
        windows.current.scrollRows = 0
    }
}
