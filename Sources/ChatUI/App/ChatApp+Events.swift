import ChatClient
import ChatServer

/// Connection events → windows and lines.
extension ChatApp {
    func handle(_ event: ClientEvent) {
        let prefixes = connection.isupport.memberPrefixes
        switch event {
        case .status(let status):
            handleStatus(status)
        case .registered(let nick, let account):
            info("Connected to \(connection.config.server) as \(nick)" + (account.map { ", logged in as \($0)" } ?? ""), in: windows.server)
            if !autoJoin.isEmpty {
                connection.send(IRCMessage(command: "JOIN", params: [autoJoin.joined(separator: ",")]))
                autoJoin = []
            }
            resumeFollowing()
        case .rejoining(let channels):
            for channel in channels {
                if let w = windows.window(named: channel) { info("Reconnected; rejoining \(channel)", in: w) }
            }
            info("Reconnected; rejoining \(channels.joined(separator: ", "))", in: windows.server)
        case .line(let line):
            place(line)
        case .history(let target, let lines):
            guard let w = windowFor(target, creating: true) else { return }
            w.mergeHistory(lines)
            if scrollingBackIn === w { scrollingBackIn = nil; info("\(lines.count) earlier lines", in: w) }
        case .joined(let channel):
            let isNew = windows.window(named: channel) == nil
            let w = windows.open(channel, kind: .channel)
            w.joined = true
            if isNew { windows.select(w) }
        case .left(let channel):
            if let w = windows.window(named: channel) {
                w.joined = false
                w.clearMembers()
            }
        case .memberJoined(let channel, let nick):
            windows.window(named: channel)?.addMember(nick, prefixes: prefixes)
        case .memberLeft(let channel, let nick):
            windows.window(named: channel)?.removeMember(nick)
        case .memberQuit(let nick, let reason):
            let text = "\(nick) quit" + (reason.isEmpty ? "" : " (\(reason))")
            for w in windows.windows where w.removeMember(nick) || (w.kind == .query && w.name.lowercased() == nick.lowercased()) {
                show(ChatLine(kind: .quit, place: .window(w.name), timeMillis: Self.nowMillis(), sender: nick, text: text), in: w)
            }
        case .nickChanged(let old, let new):
            let mine = new.lowercased() == connection.nick.lowercased()
            let text = mine ? "You are now known as \(new)" : "\(old) is now known as \(new)"
            if mine { info(text, in: windows.server) }
            for w in windows.windows {
                let had = w.removeMember(old)
                if had { w.addMember(new, prefixes: prefixes) }
                if w.kind == .query && w.name.lowercased() == old.lowercased() { w.rename(new) }
                if had || w.name == new {
                    show(ChatLine(kind: .nick, place: .window(w.name), timeMillis: Self.nowMillis(), text: text), in: w)
                }
            }
        case .names(let channel, let nicks):
            guard let w = windows.window(named: channel) else {
                return info("\(channel): \(nicks.joined(separator: " "))")
            }
            w.setMembers(nicks, prefixes: prefixes)
            info("Members of \(channel) (\(nicks.count)): \(nicks.sorted { $0.lowercased() < $1.lowercased() }.joined(separator: " "))", in: w)
        case .topic(let channel, let text):
            windows.window(named: channel)?.topic = text
        case .redacted(let msgid, let by, let reason):
            // The REDACT's target names either side of a private talk: look everywhere.
            let note = "message deleted" + (by.map { " by \($0)" } ?? "") + (reason.isEmpty ? "" : " (\(reason))")
            for w in windows.windows where w.redact(msgid: msgid, note: note) { requestRedraw() }
        case .failure(let failure):
            lastFailure = failure
            error(failure.description, in: windows.server)
            if windows.current !== windows.server { error(failure.description) }
        case .message(let m):
            if m.command == "FILE" || (m.command == "FAIL" && m.params.first == "FILE"), let line = FileLine(m) {
                fileLine(line)
            } else if m.command == "SCORES" || ((m.command == "FAIL" || m.command == "NOTE") && m.params.first == "SCORES"),
                      let line = ScoreLine(m) {
                scoreLine(line)
            }
        }
    }

    private func handleStatus(_ status: ConnectionStatus) {
        switch status {
        case .idle, .registered:
            view.connection = ""
        case .connecting(let attempt):
            view.connection = "connecting"
            info("Connecting to \(connection.config.server)" + (attempt > 1 ? " (attempt \(attempt))" : ""), in: windows.server)
        case .registering:
            view.connection = "logging in"
        case .waitingToReconnect(let delay, let reason):
            let seconds = (delay + 999) / 1000
            view.connection = "reconnecting in \(seconds)s"
            let text = "Disconnected: \(reason); reconnecting in \(seconds)s"
            for w in windows.windows where w.kind == .server || w.joined { error(text, in: w) }
            transfers.connectionLost(self)
            scoresConnectionLost()
        case .closed(let reason):
            view.connection = "disconnected"
            info("Connection closed: \(reason)", in: windows.server)
            transfers.connectionLost(self)
            scoresConnectionLost()
            onExit()
        }
    }

    /// Puts a decoded line in its window. Channel windows open on JOIN only;
    /// a private message opens a query window.
    private func place(_ line: ChatLine) {
        switch line.place {
        case .server:
            show(line, in: windows.server)
        case .active:
            show(line, in: windows.current)
        case .window(let name):
            let opens = line.kind == .message || line.kind == .action || line.kind == .notice
            if let w = windowFor(name, creating: opens && !connection.isupport.isChannel(name)) {
                show(line, in: w)
            } else if opens || line.kind == .error || line.kind == .info {
                show(line, in: windows.server)
            }
        }
    }
}
