/// STATS <query> [<server>] (RFC 2812 §3.4.4, modern docs): `u` the
/// uptime, `m` how often each command has been used since start, `o` the
/// operator blocks (operators only: they name who may become one); any
/// other letter lists nothing. Every answer ends with 219 RPL_ENDOFSTATS,
/// so a client can tell "nothing to report" from "not answered".
///
/// Thread-safety: loop thread only (handlers run inside `IRCServer.dispatch`).
enum StatsCommands {
    static let all: [CommandSpec] = [
        CommandSpec("STATS", minParams: 1, stats),
    ]

    static func stats(_ server: IRCServer, _ client: Client, _ message: IRCMessage) throws {
        try ServerTarget.check(ServerTarget.param(message, 1), on: server)
        // Only the letter counts (`STATS uptime` is `STATS u`), as most servers read it.
        guard let letter = message.params[0].first else { throw IRCError.needMoreParams("STATS") }
        switch letter {
        case "u":
            server.reply(client, .statsUptime, uptimeText(seconds: server.uptimeSeconds))
        case "m":
            for (name, calls) in server.commandCallCounts().sorted(by: { $0.key < $1.key }) {
                server.reply(client, .statsCommands, name, String(calls))
            }
        case "o", "O":
            guard client.isOperator else { throw IRCError(standard: .noPrivileges) }
            for credential in server.config.operators {
                server.reply(client, .statsOLine, "O", credential.hostMask, "*", credential.name)
            }
        default:
            break
        }
        server.reply(client, .endOfStats, String(letter), "End of /STATS report")
    }

    /// "Server Up 3 days, 4:05:06", the form ircd and ngIRCd send.
    static func uptimeText(seconds: Int64) -> String {
        let s = max(0, seconds)
        let days = s / 86_400, hours = s % 86_400 / 3_600, minutes = s % 3_600 / 60, rest = s % 60
        func two(_ n: Int64) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "Server Up \(days) days, \(hours):\(two(minutes)):\(two(rest))"
    }
}
