import Foundation

/// One match as `SCORES MATCH` reports it (issue #12).
///
/// Thread-safety: a value type; any thread.
public struct MatchSummary: Equatable {
    public var id: String
    public var status: String
    public var minute: Int
    public var homeGoals: Int
    public var awayGoals: Int
    /// `Home FC - Away United` as sent.
    public var teams: String

    public init(id: String, status: String, minute: Int, homeGoals: Int, awayGoals: Int, teams: String) {
        self.id = id
        self.status = status
        self.minute = minute
        self.homeGoals = homeGoals
        self.awayGoals = awayGoals
        self.teams = teams
    }

    /// `Home FC 2–1 Away United, 67'` (the form the issue uses for the topic).
    public var scoreText: String {
        let parts = teams.components(separatedBy: " - ")
        let score = "\(homeGoals)–\(awayGoals)"
        let body = parts.count == 2 ? "\(parts[0]) \(score) \(parts[1])" : "\(teams) \(score)"
        return status == "live" ? "\(body), \(minute)'" : "\(body) (\(status))"
    }
}
