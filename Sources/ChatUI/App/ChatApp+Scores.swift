import ChatClient
import ChatServer

/// /scores, /match, /follow, /unfollow: the client side of the SCORES
/// extension (issue #12) over the chat connection.
extension ChatApp {
    func queryScores(_ kind: ScoreQuery.Kind) {
        guard connection.isRegistered else { return error("Not connected") }
        let query = ScoreQuery(kind)
        scores.query = (query, windows.current)
        connection.send(query.request)
    }

    func follow(matchID: String) {
        guard connection.isRegistered else { return error("Not connected") }
        if let old = scores.followed { connection.send(IRCMessage(command: "SCORES", params: ["UNFOLLOW", old.summary.id])) }
        let window = windows.open("match-\(matchID)", kind: .match)
        windows.select(window)
        let followed = FollowedMatch(summary: MatchSummary(id: matchID, status: "live", minute: 0, homeGoals: 0, awayGoals: 0, teams: "match \(matchID)"))
        scores.followed = followed
        scores.followWindow = window
        // SHOW first for the teams and the events so far, then FOLLOW from the last seq.
        queryScores(.show(matchID))
        scores.query?.1 = window
        info("Following match \(matchID); /unfollow to stop", in: window)
    }

    func unfollow() {
        guard let followed = scores.followed else { return error("No match followed") }
        connection.send(IRCMessage(command: "SCORES", params: ["UNFOLLOW", followed.summary.id]))
        info("Stopped following match \(followed.summary.id)")
        scores.followed = nil
        scores.followWindow = nil
    }

    func scoreLine(_ line: ScoreLine) {
        if case let (query, window)? = scores.query, let result = query.receive(line) {
            scores.query = nil
            switch result {
            case .list(let matches):
                if matches.isEmpty { info("No matches", in: window) }
                for m in matches { info("\(m.id)  \(m.scoreText)  — /match \(m.id), /follow \(m.id)", in: window) }
            case .show(let summary, let events):
                if let summary { info(summary.scoreText, in: window) }
                for e in events { info(e.display, in: window) }
                if let summary, scores.followed?.summary.id == summary.id {
                    scores.followed!.summary = summary
                    for e in events { _ = scores.followed!.apply(e) }
                    connection.send(scores.followed!.followRequest)
                }
            case .failed(let f):
                error("\(f)", in: window)
                if case .show(let id) = query.kind, scores.followed?.summary.id == id { scores.followed = nil }
            }
            return
        }
        if case .event(let e) = line, var followed = scores.followed, followed.apply(e) {
            scores.followed = followed
            if let w = scores.followWindow { info(e.display, in: w) }
        }
    }
}
