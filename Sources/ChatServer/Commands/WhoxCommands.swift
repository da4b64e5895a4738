/// WHOX: `WHO <mask> [o]%<fields>[,<token>]` answers with 354 lines
/// carrying only the fields asked for, always in the order
/// t c u i h s n f d l a o r (token, channel, user, IP, host, server, nick,
/// flags, hop count, idle seconds, account, op level, real name), whatever
/// order they were asked in. Unknown letters are ignored (none known: only
/// 315 comes back); the token must be
/// 1–3 digits (otherwise `0` is sent for it). The account is `0` when not
/// logged in, the op level `n/a`, the IP the same as the host (no DNS).
/// Who is listed follows plain WHO's rules; `QueryCommands.who` sends the
/// `%` form here and keeps its own output unchanged.
///
/// Thread-safety: loop thread only (handlers run inside `IRCServer.dispatch`).
enum WhoxCommands {
    /// What a `%` parameter asks for.
    struct Request: Equatable {
        var fields: Set<Character>
        var token: String
        var operatorsOnly: Bool

        /// nil when `param` is not the WHOX form.
        init?(_ param: String) {
            guard let percent = param.firstIndex(of: "%") else { return nil }
            operatorsOnly = param[..<percent].contains("o")
            let rest = param[param.index(after: percent)...]
            let parts = rest.split(separator: ",", maxSplits: 1, omittingEmptySubsequences: false)
            fields = Set(parts.first.map { $0.filter { Self.order.contains($0) } } ?? "")
            let given = parts.count > 1 ? parts[1] : ""
            token = (1...3).contains(given.count) && given.allSatisfy(\.isASCII) && given.allSatisfy(\.isNumber)
                ? String(given) : "0"
        }

        /// The spec's field order.
        static let order: [Character] = ["t", "c", "u", "i", "h", "s", "n", "f", "d", "l", "a", "o", "r"]
    }

    static func who(_ server: IRCServer, _ client: Client, mask: String, _ request: Request) {
        guard !request.fields.isEmpty else { return server.reply(client, standard: .endOfWho, mask) }
        let matches = WhoMatches(server, client, mask: mask, operatorsOnly: request.operatorsOnly)
        server.pacedReplies.send(PacedReply(matches.users, line: { server, asker, user in
            guard let (channel, membership) = matches.place(of: user, for: asker) else { return }
            server.reply(asker, .whoSpcRpl, fields(server, asker, user, channel: channel, membership: membership, request))
        }, end: { server, asker in
            server.reply(asker, standard: .endOfWho, mask)
        }), to: client)
    }

    /// The fields of one 354 line, in order.
    static func fields(_ server: IRCServer, _ asker: Client, _ other: Client, channel: String,
                       membership: Channel.Membership, _ request: Request) -> [String] {
        var out: [String] = []
        for field in Request.order where request.fields.contains(field) {
            switch field {
            case "t": out.append(request.token)
            case "c": out.append(channel)
            case "u": out.append(other.user ?? "*")
            case "i", "h": out.append(other.host)
            case "s": out.append(server.serverName)
            case "n": out.append(other.nick)
            case "f": out.append(flags(other, asker, membership))
            case "d": out.append("0")
            case "l": out.append(String((server.clock.monotonicNanos &- other.lastMessageNanos) / 1_000_000_000))
            case "a": out.append(other.account ?? "0")
            case "o": out.append("n/a")
            case "r": out.append(other.realName)
            default: break
            }
        }
        return out
    }

    /// H or G (away), * for a server operator, B for a bot, then the channel prefixes.
    static func flags(_ other: Client, _ asker: Client, _ membership: Channel.Membership) -> String {
        var flags = other.away == nil ? "H" : "G"
        if other.isOperator { flags += "*" }
        if other.isBot { flags += "B" }
        return flags + membership.prefix(all: asker.caps.contains(.multiPrefix))
    }

}
