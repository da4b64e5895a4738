/// MONITOR (IRCv3 monitor): a list of nicks whose sign-on and sign-off the
/// client hears about (730/731) without polling ISON.
///
///     MONITOR + nick[,nick…]   add; answers with the status of each
///     MONITOR - nick[,nick…]   remove; no answer
///     MONITOR C                clear; no answer
///     MONITOR L                the list (732…, 733)
///     MONITOR S                the status of each (730/731)
///
/// The list holds at most `MonitorRegistry.defaultLimit` nicks (`MONITOR=`
/// in ISUPPORT); an addition past it gets 734 with the nicks not added.
/// Targets that are not valid nicks are skipped. Notifications are sent by
/// `MonitorNotifier`.
///
/// Thread-safety: loop thread only (handlers run inside `IRCServer.dispatch`).
enum MonitorCommands {
    static let all: [CommandSpec] = [
        CommandSpec("MONITOR", minParams: 1, monitor),
    ]

    static func monitor(_ server: IRCServer, _ client: Client, _ message: IRCMessage) throws {
        let registry = server.monitors
        switch message.params[0] {
        case "+":
            let targets = try targetList(message, server)
            let limit = MonitorRegistry.defaultLimit
            var online: [String] = [], offline: [String] = []
            for (index, nick) in targets.enumerated() {
                if !registry.contains(nick, for: client) && registry.count(for: client) >= limit {
                    server.reply(client, .monListFull, String(limit), targets[index...].joined(separator: ","),
                                 Numeric.monListFull.standardText ?? "")
                    break
                }
                registry.add(nick, for: client)
                if let other = server.client(named: nick) { online.append(other.mask) } else { offline.append(nick) }
            }
            server.replyList(client, .monOnline, online)
            server.replyList(client, .monOffline, offline)
        case "-":
            for nick in try targetList(message, server) { registry.remove(nick, for: client) }
        case "C", "c":
            registry.clear(client)
        case "L", "l":
            server.replyList(client, .monList, registry.targets(of: client))
            server.reply(client, standard: .endOfMonList)
        case "S", "s":
            var online: [String] = [], offline: [String] = []
            for nick in registry.targets(of: client) {
                if let other = server.client(named: nick) { online.append(other.mask) } else { offline.append(nick) }
            }
            server.replyList(client, .monOnline, online)
            server.replyList(client, .monOffline, offline)
        default:
            throw IRCError(.unknownError, "MONITOR", "Unknown MONITOR modifier (use + - C L S)")
        }
    }

    /// The valid nicks in the second parameter, without repeats.
    private static func targetList(_ message: IRCMessage, _ server: IRCServer) throws -> [String] {
        guard message.params.count > 1 else { throw IRCError.needMoreParams("MONITOR") }
        var seen: Set<String> = []
        return message.params[1].split(separator: ",").map(String.init).filter {
            NameRules.isValidNick($0, maxLength: server.limits.nickLength) && seen.insert(CaseMapping.fold($0)).inserted
        }
    }
}
