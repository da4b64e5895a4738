/// SCORES: live football scores on the chat connection (advertised as
/// `SCORES` in ISUPPORT).
///
///     SCORES LIST                  SCORES MATCH … per match, SCORES END LIST
///     SCORES SHOW <id>             SCORES MATCH, SCORES EVENT … in order, SCORES END <id>
///     SCORES FOLLOW <id> [since=<seq>]   push each new event as SCORES EVENT
///     SCORES UNFOLLOW <id>
///     SCORES UDP <id>              SCORES UDPTOKEN <id> <token> <udp-port>
///     SCORES UDPSTOP <token>       the token stops working at once
///
/// Errors are `FAIL SCORES <code> [context] :<text>` (`ScoreError.code`).
///
/// Thread-safety: loop thread only (handlers run inside `IRCServer.dispatch`).
enum ScoreCommands {
    static let all: [CommandSpec] = [
        CommandSpec("SCORES", minParams: 1, scores),
    ]

    static func scores(_ server: IRCServer, _ client: Client, _ message: IRCMessage) throws {
        guard let board = server.scores else {
            return fail(server, client, .disabled)
        }
        do {
            try run(board, server, client, message)
        } catch let error as ScoreError {
            fail(server, client, error)
        }
    }

    private static func run(_ board: ScoreBoard, _ server: IRCServer, _ client: Client, _ message: IRCMessage) throws {
        let params = message.params
        let sub = params[0].uppercased()
        func argument(_ index: Int) throws -> String {
            guard index < params.count else { throw IRCError.needMoreParams("SCORES") }
            return params[index]
        }
        func match() throws -> Int64 {
            let text = try argument(1)
            guard let id = matchID(text) else { throw ScoreError.invalidMatchID(text) }
            return id
        }
        switch sub {
        case "LIST":
            for m in board.ledger.sortedMatches { server.send(client, matchMessage(m, source: server.serverName)) }
            server.send(client, IRCMessage(source: server.serverName, command: "SCORES", params: ["END", "LIST"]))
        case "SHOW":
            let id = try match()
            guard let m = board.ledger.matches[id] else { throw ScoreError.noSuchMatch(id) }
            server.send(client, matchMessage(m, source: server.serverName))
            for event in board.ledger.events(of: id) {
                server.send(client, ScoreBoard.eventMessage(event, source: server.serverName).tagged(board.eventTags(event)))
            }
            server.send(client, IRCMessage(source: server.serverName, command: "SCORES", params: ["END", String(id)]))
        case "FOLLOW":
            let id = try match()
            var since: Int64?
            if params.count > 2 {
                let option = params[2]
                guard option.lowercased().hasPrefix("since="), let n = sequence(String(option.dropFirst(6))) else {
                    throw ScoreError.invalidSince(option)
                }
                since = n
            }
            try board.follow(client, match: id, since: since)
        case "UNFOLLOW":
            try board.unfollow(client, match: try match())
        case "UDP":
            let id = try match()
            let (token, port) = try board.udpToken(client, match: id)
            server.send(client, IRCMessage(source: server.serverName, command: "SCORES",
                                           params: ["UDPTOKEN", String(id), token, String(port)]))
        case "UDPSTOP":
            try board.udpStop(client, token: try argument(1))
        default:
            throw ScoreError.unknownSubcommand(params[0])
        }
    }

    /// `SCORES MATCH <id> <status> <minute> <home-goals> <away-goals> :<home team> - <away team>`
    static func matchMessage(_ m: Match, source: String) -> IRCMessage {
        IRCMessage(source: source, command: "SCORES", params: [
            "MATCH", String(m.id), m.status.rawValue, String(m.minute), String(m.homeGoals), String(m.awayGoals),
            "\(m.home) - \(m.away)"])
    }

    static func fail(_ server: IRCServer, _ client: Client, _ error: ScoreError) {
        server.send(client, IRCMessage(source: server.serverName, command: "FAIL",
                                       params: ["SCORES", error.code] + error.context + [error.description]))
    }

    /// A match id: 1 to 18 digits, not 0.
    static func matchID(_ text: String) -> Int64? {
        guard let n = sequence(text), n > 0 else { return nil }
        return n
    }

    /// A whole number of 0 or more, at most 18 digits (so it fits an Int64).
    static func sequence(_ text: String) -> Int64? {
        guard !text.isEmpty, text.utf8.count <= 18, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int64(text)
    }
}
