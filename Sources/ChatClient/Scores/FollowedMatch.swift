import ChatServer

/// The match a user follows (`SCORES FOLLOW`): the last event's score and
/// minute for the status line, and the last seq so a reconnect can ask for
/// `since=<seq>` and miss nothing.
///
/// Thread-safety: a value type; any thread.
public struct FollowedMatch: Equatable {
    public var summary: MatchSummary
    public private(set) var lastSeq = 0

    public init(summary: MatchSummary) { self.summary = summary }

    /// Applies a pushed event; false if it is old (seq not newer) or for another match.
    public mutating func apply(_ e: ScoreEvent) -> Bool {
        guard e.matchID == summary.id, e.seq > lastSeq else { return false }
        lastSeq = e.seq
        summary.homeGoals = e.homeGoals
        summary.awayGoals = e.awayGoals
        summary.minute = e.minute
        if e.type == "full-time" { summary.status = "finished" } else if e.type == "half-time" { summary.status = "half-time" } else { summary.status = "live" }
        return true
    }

    public var followRequest: IRCMessage {
        IRCMessage(command: "SCORES", params: lastSeq > 0 ? ["FOLLOW", summary.id, "since=\(lastSeq)"] : ["FOLLOW", summary.id])
    }
}
