import ChatServer

/// /msg /query /me /notice /delete /whois /quote.
///
/// Thread-safety: the handlers run on the loop thread.
enum MessageCommands {
    static let all: [UICommand] = [
        UICommand("msg", "/msg nick|#channel text", "send a message (opens a window for a nick)", min: 2) { app, a in
            let target = a[0]!
            if !app.connection.isupport.isChannel(target) { app.windows.select(app.windowFor(target, creating: true)!) }
            app.say(a.rest(from: 1), to: target)
        },
        UICommand("query", "/query nick", "open a window to talk to someone", min: 1) { app, a in
            app.windows.select(app.windowFor(a[0]!, creating: true)!)
        },
        UICommand("me", "/me action", "say an action: * alice waves", min: 1) { app, a in
            guard let target = app.currentTarget else { return app.error("/me works in channel and query windows") }
            app.say(a.raw, to: target, action: true)
        },
        UICommand("notice", "/notice nick|#channel text", "send a notice", min: 2) { app, a in
            app.sendOrComplain(IRCMessage(command: "NOTICE", params: [a[0]!, a.rest(from: 1)]))
        },
        UICommand("delete", "/delete", "delete your last message in this window, for everyone", min: 0) { app, _ in
            guard let target = app.currentTarget else { return app.error("/delete works in channel and query windows") }
            guard app.connection.caps.contains("draft/message-redaction") else {
                return app.error("This server does not offer deleting messages (draft/message-redaction)")
            }
            guard let line = app.windows.current.lastOwnMessage, let msgid = line.msgid else {
                return app.error("Nothing of yours to delete here")
            }
            app.sendOrComplain(IRCMessage(command: "REDACT", params: [target, msgid]))
        },
        UICommand("whois", "/whois nick", "who someone is and where they are", min: 1) { app, a in
            app.sendOrComplain(IRCMessage(command: "WHOIS", params: [a[0]!]))
        },
        UICommand("quote", "/quote LINE", "send a raw IRC line", min: 1) { app, a in
            guard let m = try? IRCMessage(parsing: a.raw) else { return app.error("Not an IRC line: \(a.raw)") }
            app.sendOrComplain(m)
        },
    ]
}
