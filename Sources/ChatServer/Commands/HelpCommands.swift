/// HELP/HELPOP (704/705/706, 524 when there is no such topic) and INFO
/// (371…, 374). The help texts are in `HelpTexts`.
///
/// Thread-safety: loop thread only (handlers run inside `IRCServer.dispatch`).
enum HelpCommands {
    static let all: [CommandSpec] = [
        CommandSpec("HELP", .always, help),
        CommandSpec("HELPOP", .always, help),
        CommandSpec("INFO", info),
    ]

    /// `HELP` lists the commands; `HELP <command>` shows its syntax (704),
    /// explanation (705…) and an end line (706), all naming the subject.
    static func help(_ server: IRCServer, _ client: Client, _ message: IRCMessage) throws {
        guard let asked = message.params.first, !asked.isEmpty else {
            let names = server.commands.names.sorted()
            server.reply(client, .helpStart, "*", "chatd help: HELP <command> for one of these")
            var line = ""
            for name in names {
                if line.utf8.count + name.utf8.count + 1 > 300 {
                    server.reply(client, .helpTxt, "*", line)
                    line = ""
                }
                line += line.isEmpty ? name : " " + name
            }
            if !line.isEmpty { server.reply(client, .helpTxt, "*", line) }
            server.reply(client, .endOfHelp, "*", "End of /HELP")
            return
        }
        let subject = asked.uppercased()
        guard server.commands[subject] != nil, let entry = HelpTexts.entries[subject] else {
            throw IRCError(standard: .helpNotFound, String(asked.prefix(32)))
        }
        server.reply(client, .helpStart, subject, entry.syntax)
        for line in entry.lines { server.reply(client, .helpTxt, subject, line) }
        server.reply(client, .endOfHelp, subject, "End of /HELP")
    }

    static func info(_ server: IRCServer, _ client: Client, _ message: IRCMessage) throws {
        try ServerTarget.check(ServerTarget.param(message, 0), on: server)
        let lines = [
            "chatd \(ChatServerVersion.string): an IRC server in Swift",
            "on a single-threaded epoll event loop, for Linux.",
            "Server: \(server.serverName), network \(server.config.networkName).",
            server.createdText,
            "IRCv3: message-tags, server-time, batch, echo-message, labeled-response,",
            "monitor, extended-monitor, setname, bot mode, WHOX, chathistory.",
        ]
        for line in lines { server.reply(client, .info, line) }
        server.reply(client, standard: .endOfInfo)
    }
}
