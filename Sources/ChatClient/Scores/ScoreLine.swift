import ChatServer

/// A SCORES extension line from the server, in the exact forms of issue #12;
/// nil for anything else or a line with missing or malformed fields.
///
/// Thread-safety: a value type; any thread.
public enum ScoreLine: Equatable {
    case match(MatchSummary)
    case event(ScoreEvent)
    case endList
    case end(matchID: String)
    case udpToken(matchID: String, token: String, port: Int)
    case fail(code: String, context: String?, text: String)
    /// `NOTE SCORES MATCH_RETIRED <id> :<text>`: the match was archived and is no longer followed.
    case retired(matchID: String, text: String)

    public init?(_ m: IRCMessage) {
        let p = m.params
        if m.command == "NOTE" {
            guard p.count == 4, p[0] == "SCORES", p[1] == "MATCH_RETIRED" else { return nil }
            self = .retired(matchID: p[2], text: p[3])
            return
        }
        if m.command == "FAIL" {
            guard p.count >= 3, p[0] == "SCORES" else { return nil }
            self = .fail(code: p[1], context: p.count > 3 ? p[2] : nil, text: p.last!)
            return
        }
        guard m.command == "SCORES", let verb = p.first else { return nil }
        func int(_ i: Int) -> Int? { Int(p[i]).flatMap { $0 >= 0 ? $0 : nil } }
        switch (verb, p.count) {
        case ("MATCH", 7):
            guard let minute = int(3), let home = int(4), let away = int(5) else { return nil }
            self = .match(MatchSummary(id: p[1], status: p[2], minute: minute, homeGoals: home, awayGoals: away, teams: p[6]))
        case ("EVENT", 8):
            guard let seq = int(2), let minute = int(4), let home = int(5), let away = int(6) else { return nil }
            self = .event(ScoreEvent(matchID: p[1], seq: seq, type: p[3], minute: minute, homeGoals: home, awayGoals: away, sentence: p[7]))
        case ("END", 2):
            self = p[1] == "LIST" ? .endList : .end(matchID: p[1])
        case ("UDPTOKEN", 4):
            guard let port = int(3), port > 0, port <= 65535 else { return nil }
            self = .udpToken(matchID: p[1], token: p[2], port: port)
        default:
            return nil
        }
    }
}
