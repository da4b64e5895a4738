import ChatClient
import ChatServer

/// /scores, /match, /follow, /unfollow: the client side of the SCORES
/// extension (issue #12) over the chat connection, and `/follow ID --udp`
/// over the UDP score stream (events from `UDPScoreWatch`; `/unfollow`
/// shows its loss, duplicate and reorder counts).
extension ChatApp {
    func queryScores(_ kind: ScoreQuery.Kind) {
        guard connection.isRegistered else { return error("Not connected") }
        let query = ScoreQuery(kind)
        scores.query = (query, windows.current)
        connection.send(query.request)
    }

    /// - Parameter select: show the match's window (not when following again after a reconnect).
    func follow(matchID: String, overUDP: Bool = false, select: Bool = true) {
        guard connection.isRegistered else { return error("Not connected") }
        var udp: UDPScoreWatch?
        if overUDP {
            guard let watch = UDPScoreWatch(loop: loop, matchID: matchID, server: connection.config.server,
                                            send: { [unowned self] in self.connection.send($0) }) else {
                return error("\(matchID) is not a match id")
            }
            udp = watch
        }
        stopFollowing()
        let window = windows.open("match-\(matchID)", kind: .match)
        if select { windows.select(window) }
        let followed = FollowedMatch(summary: MatchSummary(id: matchID, status: "live", minute: 0, homeGoals: 0, awayGoals: 0, teams: "match \(matchID)"))
        scores.followed = followed
        scores.followWindow = window
        // SHOW first for the teams and the events so far, then FOLLOW from the
        // last seq (or, over UDP, the stream: it carries only new events).
        queryScores(.show(matchID))
        scores.query?.1 = window
        if let udp {
            scores.udp = udp
            udp.onEvent = { [unowned self] event, _ in self.followedEvent(event) }
            udp.onStateChange = { [unowned self, unowned udp] state in
                switch state {
                case .subscribed:
                    self.info("UDP stream of match \(matchID) from \(udp.destination.map { "\($0)" } ?? "?"); /unfollow shows its statistics", in: window)
                case .failed(let f):
                    self.error("UDP stream of match \(matchID): \(f)", in: window)
                    if udp.token != nil { self.info("UDP stream: \(udp.summary)", in: window) }
                default: break
                }
            }
            udp.start()
        }
        info("Following match \(matchID)\(udp == nil ? "" : " over UDP"); /unfollow to stop", in: window)
    }

    func unfollow() {
        guard let followed = scores.followed else { return error("No match followed") }
        info("Stopped following match \(followed.summary.id)")
        if let udp = scores.udp, udp.token != nil { info("UDP stream: \(udp.summary)") }
        stopFollowing()
    }

    /// Ends the current follow, over the chat connection or UDP.
    private func stopFollowing() {
        if let udp = scores.udp {
            udp.stop()
        } else if let old = scores.followed {
            connection.send(IRCMessage(command: "SCORES", params: ["UNFOLLOW", old.summary.id]))
        }
        scores = ScoreState(query: scores.query)
    }

    /// Connected again: the followed match is followed again, over the
    /// chat connection from the last event seen (so none is missed), or
    /// over a new UDP subscription (the old token died with the connection).
    func resumeFollowing() {
        guard let followed = scores.followed else { return }
        if scores.udp != nil {
            follow(matchID: followed.summary.id, overUDP: true, select: false)
        } else {
            connection.send(followed.followRequest)
            if let w = scores.followWindow { info("Reconnected; following match \(followed.summary.id) again", in: w) }
        }
    }

    /// The chat connection dropped: a UDP token dies with it (the server says
    /// so), so the stream stops here too, and says what it saw.
    func scoresConnectionLost() {
        guard let udp = scores.udp, udp.state == .subscribed || udp.state == .waitingToken else { return }
        udp.connectionLost()
    }

    private func followedEvent(_ e: ChatClient.ScoreEvent) {
        guard var followed = scores.followed, followed.apply(e) else { return }
        scores.followed = followed
        if let w = scores.followWindow { info(e.display, in: w) }
        requestRedraw()
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
                    if scores.udp == nil { connection.send(scores.followed!.followRequest) }
                }
            case .failed(let f):
                error("\(f)", in: window)
                if case .show(let id) = query.kind, scores.followed?.summary.id == id { scores.followed = nil }
            }
            return
        }
        if case .retired(let id, let text) = line {
            info(text, in: scores.followed?.summary.id == id ? scores.followWindow : nil)
            if scores.followed?.summary.id == id { stopFollowing() }
            return
        }
        if let udp = scores.udp, udp.receive(line) { return }
        if case .event(let e) = line { followedEvent(e) }
    }
}
